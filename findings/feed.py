"""The aggregate data feed: the board dashboard's figures as CSV and JSON for the
partnership's own reporting (Power BI, Excel), behind a named token per partnership.

- ``feed_token_create(*, actor, name) -> (FeedToken, token)``: the token is returned once and
  only its SHA-256 is stored.
- ``feed_token_revoke(*, actor, feed_token)``: from then on the token reads nothing.
- ``feed_token_authenticate(token) -> FeedToken | None``: an active token of this partnership.
- ``feed_rows() -> list[dict]``: the figures the board dashboard shows (published and closed
  audits, the partnership's grade basis, small-number suppression applied), never a
  pseudonym, a record reference or any text an auditor wrote.
"""

import csv
import hashlib
import io
import json
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log
from auditportal.figures import Figure
from cases.models import Partnership

from . import grade_basis
from .exports import safe_cell
from .models import FeedToken
from .reaudit_results import practice_change_rows
from .results import action_summary, theme_trends
from .rules import may_work_on_findings

TOKEN_BYTES = 32
# As many audits per theme as the dashboard draws: the feed is the dashboard's figures.
FEED_TREND_AUDITS = 10
COLUMNS = [
    "section",
    "theme",
    "audit",
    "audit_month",
    "measure",
    "count",
    "of",
    "percent",
    "shown",
    "grade_basis",
]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_token_create(*, actor: User, name: str) -> tuple[FeedToken, str]:
    if not may_work_on_findings.test(actor):
        raise PermissionDenied
    token = f"apf_{secrets.token_urlsafe(TOKEN_BYTES)}"
    feed_token = FeedToken(
        partnership=Partnership.load(),
        name=name.strip(),
        token_hash=_hash(token),
        prefix=token[:10],
        created_by=actor,
    )
    feed_token.full_clean()
    feed_token.save()
    audit_log(actor=actor, code="feed.token_created", target=feed_token)
    return feed_token, token


@transaction.atomic
def feed_token_revoke(*, actor: User, feed_token: FeedToken) -> FeedToken:
    if not may_work_on_findings.test(actor):
        raise PermissionDenied
    locked = FeedToken.objects.select_for_update().get(pk=feed_token.pk)
    if locked.revoked_at is not None:
        raise ValidationError("This token was already revoked.")
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    audit_log(actor=actor, code="feed.token_revoked", target=locked)
    return locked


def feed_token_authenticate(token: str) -> FeedToken | None:
    """The active token of this partnership with this value, or None (unknown, revoked or
    another partnership's)."""
    if not token or len(token) > 200:
        return None
    feed_token = (
        FeedToken.objects.filter(token_hash=_hash(token), revoked_at__isnull=True)
        .select_related("partnership")
        .first()
    )
    if feed_token is None or feed_token.partnership_id != Partnership.load().pk:
        return None
    return feed_token


def _row(section, theme, audit, month, figure: Figure, suppress_below: int, basis: str) -> dict:
    shown = figure.display(suppress_below)
    hidden = shown != figure.display()
    return {
        "section": section,
        "theme": theme,
        "audit": audit,
        "audit_month": month,
        "measure": figure.label,
        "count": None if hidden else figure.count,
        "of": None if hidden else figure.denominator,
        "percent": None if hidden else figure.percent,
        "shown": shown,
        "grade_basis": basis,
    }


def feed_rows() -> tuple[dict, list[dict]]:
    """(meta, rows): the dashboard's figures, one per row, in a fixed number of queries."""
    partnership = Partnership.load()
    suppress = partnership.suppression_threshold
    use_moderated = grade_basis.board_uses_moderated(partnership)
    basis = grade_basis.short_label(use_moderated)
    rows = []
    for trend in theme_trends(
        for_board=True, latest=FEED_TREND_AUDITS, use_moderated=use_moderated
    ):
        for point in trend.points:
            month = point.returns_open.strftime("%Y-%m")
            for figure in point.grades:
                rows.append(
                    _row(
                        "Theme grades",
                        trend.theme_name,
                        point.audit_title,
                        month,
                        figure,
                        suppress,
                        basis,
                    )
                )
    actions = action_summary(for_board=True)
    for figure in [*actions.by_status, actions.overdue]:
        rows.append(_row("Actions", "", "", "", figure, suppress, ""))
    for change in practice_change_rows(for_board=True, use_moderated=use_moderated):
        reaudit = change["reaudit"]
        month = reaudit.audit.returns_open.strftime("%Y-%m")
        for theme in change["themes"]:
            for side, figure in (("before", theme.poor.before), ("after", theme.poor.after)):
                labelled = Figure(f"{figure.label} ({side})", figure.count, figure.denominator)
                audit = reaudit.source_audit.title if side == "before" else reaudit.audit.title
                rows.append(
                    _row(
                        "Did practice change?",
                        theme.theme_name,
                        audit,
                        month,
                        labelled,
                        suppress,
                        basis,
                    )
                )
        done = Figure(
            f"Actions tested by {reaudit.audit.title}: done",
            change["actions"].count,
            change["actions"].denominator,
        )
        rows.append(
            _row("Did practice change?", "", reaudit.audit.title, month, done, suppress, "")
        )
    meta = {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "grade_basis": grade_basis.caption(use_moderated),
        "suppression_threshold": suppress,
        "note": "Aggregate figures of published audits, as the board dashboard shows them.",
    }
    return meta, rows


def render_json(meta: dict, rows: list[dict]) -> bytes:
    return json.dumps(
        {"meta": meta, "columns": COLUMNS, "figures": rows}, ensure_ascii=False
    ).encode()


def render_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        # Titles are typed by people: never a formula a spreadsheet would run.
        writer.writerow(
            {key: "" if value is None else safe_cell(value) for key, value in row.items()}
        )
    # A byte-order mark so Excel reads "→" and "é" (as the results exports do).
    return ("\ufeff" + buffer.getvalue()).encode()
