"""Point 1's "What changed since the last audit" paragraph of a re-audit's briefing, from the
re-audit's before → after figures (aggregate only, the partnership's suppression and grade
basis applied)."""

from audits.models import Audit
from cases.models import Partnership
from findings.grade_basis import board_uses_moderated, short_label
from findings.models import Action, ReAudit
from findings.reaudit_results import SMALL_NUMBER, theme_changes


def what_changed(audit: Audit, partnership: Partnership) -> str:
    """The paragraph, or "" when the audit re-audits no other audit."""
    reaudit = (
        ReAudit.objects.filter(audit=audit)
        .select_related("source_audit")
        .prefetch_related("themes", "actions")
        .first()
    )
    if reaudit is None:
        return ""
    suppress = partnership.suppression_threshold
    use_moderated = board_uses_moderated(partnership)
    source = reaudit.source_audit
    children = "the same children" if reaudit.same_children else "a new sample of children"
    lines = [
        f"**What changed since the last audit.** This audit followed up {source.title} "
        f"({source.returns_open:%B %Y}) with {children}, counting {short_label(use_moderated)}."
    ]
    bullets = []
    small = False
    for theme in theme_changes([reaudit], use_moderated=use_moderated)[reaudit.pk]:
        change = theme.poor
        small = small or change.small
        bullets.append(f"- {change.label}: {change.display(suppress)}")
    actions = list(reaudit.actions.all())
    if actions:
        done = sum(1 for action in actions if action.status == Action.Status.DONE)
        bullets.append(f"- Actions it tested that are done: {done} of {len(actions)}")
    if bullets:
        lines.append("\n".join(bullets))
    if small:
        lines.append(
            f"Some of these figures rest on fewer than {SMALL_NUMBER} answers, so they show what "
            "the audits found and are not evidence of a significant change."
        )
    return "\n\n".join(lines)
