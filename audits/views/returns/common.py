"""What the return pages share: how a refusal's message reads."""

from django.conf import settings
from django.core.exceptions import ValidationError

from audits.answers import AnswerValue
from audits.models import Audit


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _audit_contact(audit: Audit) -> str:
    """Whom a practitioner asks about an audit: the business team member who scheduled it,
    else the partnership's contact address, else the business team."""
    owner = audit.created_by
    if owner is not None and owner.is_active and owner.email:
        return f"{owner} ({owner.email}), who runs this audit"
    if settings.PARTNERSHIP_CONTACT_EMAIL:
        return f"the partnership team ({settings.PARTNERSHIP_CONTACT_EMAIL})"
    return f"the {settings.PARTNERSHIP_NAME} business team"


def _answered_ids(items, saved: dict[int, AnswerValue]) -> set[int]:
    return {
        item.pk
        for item in items
        if item.pk in saved and saved[item.pk].is_answered(item, saved=True)
    }


def _progress(items, saved):
    answered = _answered_ids(items, saved)
    next_item = next((item for item in items if item.pk not in answered), None)
    return answered, next_item
