"""Writes for benchmarking across partnerships: each partnership's share per theme
(findings.benchmark_models.BenchmarkShare), recomputed from its own answers only."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from auditportal.tenancy import partnership_context
from audits.models import Answer
from cases.models import Partnership
from findings.benchmark_models import BenchmarkShare
from findings.benchmarks import GOOD, graded_answers

__all__ = ["benchmark_shares_refresh"]


@transaction.atomic
def benchmark_shares_refresh(*, partnership_id: int) -> int:
    """Recompute one partnership's shares from its own graded answers (published and closed
    audits) and replace its rows, in one transaction; returns how many themes it shares.
    A partnership that has not opted in, or is deactivated, shares nothing: its rows go.

    Runs in that partnership's context whoever calls it (a receiver after an audit's status
    changed, the nightly task), so it reads and writes that partnership's rows alone. Safe to
    run twice and side by side: rows are written by (partnership, theme) with an upsert."""
    with partnership_context(partnership_id):
        shares = BenchmarkShare.objects.filter(partnership_id=partnership_id)
        sharing = Partnership.objects.filter(
            pk=partnership_id, benchmarking_opt_in=True, active=True
        ).exists()
        if not sharing:
            shares.delete()
            return 0
        now = timezone.now()
        rows = [
            BenchmarkShare(
                partnership_id=partnership_id,
                theme_key=row["item__theme__key"],
                graded=row["graded"],
                good=row["good"],
                refreshed_at=now,
            )
            for row in graded_answers(Answer.objects.filter(partnership_id=partnership_id))
            .values("item__theme__key")
            .annotate(graded=Count("pk"), good=Count("pk", filter=Q(choice__in=GOOD)))
            .order_by("item__theme__key")
        ]
        shares.exclude(theme_key__in=[row.theme_key for row in rows]).delete()
        BenchmarkShare.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["partnership", "theme_key"],
            update_fields=["graded", "good", "refreshed_at"],
        )
        return len(rows)
