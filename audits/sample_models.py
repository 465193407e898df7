"""The sample builder's candidate list and proposal (imported into audits.models)."""

from django.db import models

from auditportal.tenancy import PartnershipOwned
from cases.models import Case


class SampleCandidate(PartnershipOwned):
    """A child on the candidate list the business team uploaded for a planned audit, from
    which the sample is proposed. The pseudonym identifies a child: it stays on the business
    team's pages and never goes into the audit trail. The list is deleted when the audit
    opens (the chosen children are in its sample by then; audits.services.programme)."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="candidates")
    row_number = models.PositiveIntegerField(help_text="The row of the uploaded file.")
    pseudonym = models.CharField(max_length=30)
    age_band = models.CharField(max_length=10, choices=Case.AgeBand.choices)
    gender = models.CharField(max_length=20, choices=Case.Gender.choices)
    ethnicity = models.CharField(max_length=20, choices=Case.Ethnicity.choices, blank=True)
    level_of_need = models.CharField(max_length=20, choices=Case.LevelOfNeed.choices)
    chosen = models.BooleanField(default=False)

    class Meta:
        ordering = ["audit", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "pseudonym"], name="samplecandidate_unique_pseudonym"
            )
        ]

    def __str__(self) -> str:
        # Never the pseudonym: __str__ ends up in logs and the audit trail.
        return f"Candidate (row {self.row_number}) for {self.audit}"


class SampleProposal(PartnershipOwned):
    """The last proposal made from an audit's candidates: its size and seed, shown on the
    page so the same proposal can be made again."""

    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.CASCADE, related_name="sample_proposal"
    )
    size = models.PositiveIntegerField()
    seed = models.PositiveIntegerField()
    swaps = models.PositiveIntegerField(default=0)
    proposed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Proposal of {self.size} (seed {self.seed}) for {self.audit}"
