"""Approving and publishing a version, after the disclosure check."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.models import Audit

from .. import data, disclosure
from ..models import Briefing, BriefingVersion
from .common import _require_business_team

# ---------------------------------------------------------------------------------------------
# Approval and publishing


@transaction.atomic
def version_approve(*, version: BriefingVersion, actor: User) -> BriefingVersion:
    _require_business_team(actor)
    version = (
        BriefingVersion.objects.select_for_update().select_related("briefing").get(pk=version.pk)
    )
    if not version.is_ready:
        raise ValidationError(
            f"Version {version.number} is {version.get_status_display().lower()}: only a "
            "ready PDF can be approved."
        )
    if version.created_by_id == actor.pk:
        raise ValidationError(
            f"You rendered version {version.number}, so you cannot approve it: another member "
            "of the business team must check and approve it."
        )
    if version.approved_by_id:
        raise ValidationError(f"Version {version.number} is already approved.")
    version.approved_by = actor
    version.approved_at = timezone.now()
    version.save(update_fields=["approved_by", "approved_at"])
    briefing = version.briefing
    if briefing.status == Briefing.Status.DRAFT:
        briefing.status = Briefing.Status.APPROVED
        briefing.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, code="briefing.approved", target=version)
    return version


def disclosure_problems(version: BriefingVersion) -> list[str]:
    """Every case pseudonym or record reference of the partnership that the version prints
    (briefings.disclosure), as messages naming the identifier and where it is."""
    return disclosure.printed_problems(
        version.content, disclosure.identifiers_for(version.briefing.audit)
    )


@transaction.atomic
def briefing_publish(*, version: BriefingVersion, actor: User) -> Briefing:
    """Publish an approved, ready version after the disclosure check; the audit moves to
    published in the same transaction, through the audit layer's audit_publish."""
    _require_business_team(actor)
    briefing = (
        Briefing.objects.select_for_update().select_related("audit").get(pk=version.briefing_id)
    )
    version = BriefingVersion.objects.get(pk=version.pk)
    if not version.is_ready:
        raise ValidationError(
            f"Version {version.number} is {version.get_status_display().lower()}: publishing "
            "needs a ready PDF. Render the briefing and wait until it is ready."
        )
    if not version.approved_by_id:
        raise ValidationError(
            f"Version {version.number} has not been approved: another member of the business "
            "team must approve it before it can be published."
        )
    if briefing.published_version_id == version.pk:
        raise ValidationError(f"Version {version.number} is already the published version.")
    problems = disclosure_problems(version)
    if problems:
        raise ValidationError(
            [
                "Publishing refused: the briefing names a child's case. Edit the text, "
                "render a new version and have it approved.",
                *problems,
            ]
        )
    unwritten = data.unwritten_points(version.content)
    if unwritten:
        raise ValidationError(
            [f"Publishing refused: version {version.number} has unfinished points.", *unwritten]
        )
    briefing.published_version = version
    briefing.published_at = timezone.now()
    briefing.status = Briefing.Status.PUBLISHED
    briefing.save(update_fields=["published_version", "published_at", "status", "updated_at"])
    audit = briefing.audit
    if audit.status not in {Audit.Status.PUBLISHED, Audit.Status.CLOSED}:
        from audits.services import audit_publish

        audit_publish(
            audit=audit,
            actor=actor,
            note=f"Briefing version {version.number} published",
        )
    audit_log(actor=actor, code="briefing.published", target=version)
    return briefing
