"""A re-audit: a follow-up audit scheduled from actions or a finding to measure whether
practice changed. Its path to the partnership is through its audits."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class ReAudit(models.Model):
    """Links a follow-up audit to the published audit it re-measures, the actions it tests
    and the themes it compares. ``same_children`` records whether the source audit's children
    were sampled again (a new return each) or the business team chose new ones."""

    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.CASCADE, related_name="reaudit_link"
    )
    source_audit = models.ForeignKey(
        "audits.Audit", on_delete=models.PROTECT, related_name="reaudits"
    )
    actions = models.ManyToManyField("findings.Action", blank=True, related_name="reaudits")
    themes = models.ManyToManyField("audits.Theme", related_name="+")
    same_children = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "re-audit"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(audit=models.F("source_audit")),
                name="reaudit_not_of_itself",
            )
        ]

    def __str__(self) -> str:
        return f"Re-audit of {self.source_audit_id} in {self.audit_id}"

    def get_absolute_url(self) -> str:
        return reverse("findings:reaudit-results", args=[self.audit_id])
