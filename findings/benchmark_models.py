"""A partnership's share for benchmarking, one row per theme of the default bank: how many of
its graded answers (published and closed audits) there are and how many were good or
outstanding. Kept by ``findings.benchmarks.benchmark_shares_refresh`` from the partnership's
own answers, so a dashboard reads every opted-in partnership's figures from these few rows
instead of their answers (issue 14: a page's cost does not grow with the partnerships)."""

from django.db import models

from auditportal.tenancy import PartnershipOwned, current_partnership_id


class BenchmarkShare(PartnershipOwned):
    # Derived data: it goes with its partnership.
    partnership = models.ForeignKey(
        "cases.Partnership",
        on_delete=models.CASCADE,
        related_name="benchmark_shares",
        default=current_partnership_id,
        editable=False,
    )
    # The theme's bank key: every partnership's bank is seeded from the default bank.
    theme_key = models.SlugField(max_length=60)
    graded = models.PositiveIntegerField()
    good = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "theme_key"], name="benchmark_share_unique_theme"
            ),
            models.CheckConstraint(
                condition=models.Q(good__lte=models.F("graded")),
                name="benchmark_share_good_within_graded",
            ),
        ]

    def __str__(self) -> str:
        return f"Benchmark share {self.theme_key}: {self.good} of {self.graded}"
