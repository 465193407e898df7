"""Records of people reading a briefing: downloads, web reading and take-up."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import access_log, audit_log
from cases.models import Agency, Membership

from ..models import Briefing, BriefingDownload, BriefingUse, BriefingVersion

# ---------------------------------------------------------------------------------------------
# Downloads, web reading and take-up


@transaction.atomic
def version_download_record(
    *, version: BriefingVersion, actor: User, file_format: str = BriefingDownload.Format.PDF
) -> BriefingDownload:
    """A download of a version's PDF or its Word version: listed on the composer page and in
    the trail."""
    download = BriefingDownload(version=version, user=actor, file_format=file_format)
    download.full_clean()
    download.save()
    if file_format == BriefingDownload.Format.PDF:
        access_log(actor=actor, code="briefing.downloaded", target=version)
    else:
        access_log(actor=actor, code="briefing.downloaded_word", target=version)
    return download


def version_read_record(*, version: BriefingVersion, actor: User) -> None:
    """A reading of the web briefing, logged as a download is."""
    access_log(actor=actor, code="briefing.read", target=version)


@transaction.atomic
def briefing_use_record(
    *,
    briefing: Briefing,
    agency: Agency,
    used_on: datetime.date,
    staff_reached: int,
    actor: User,
    format: str = BriefingUse.Format.OTHER,
    how: str = "",
) -> BriefingUse:
    """A learning event where an agency used a published briefing."""
    if briefing.status != Briefing.Status.PUBLISHED:
        raise ValidationError("Use can be recorded only for a published briefing.")
    if (
        not actor.is_business_team
        and not Membership.objects.filter(user=actor, agency=agency).exists()
    ):
        raise ValidationError("You can record use only for your own agencies.")
    if used_on > timezone.localdate():
        raise ValidationError({"used_on": "The date cannot be in the future."})
    if briefing.published_at and used_on < timezone.localdate(briefing.published_at):
        raise ValidationError({"used_on": "The date cannot be before the briefing was published."})
    use = BriefingUse(
        briefing=briefing,
        agency=agency,
        used_on=used_on,
        format=format,
        how=" ".join(how.split()),
        staff_reached=staff_reached,
        recorded_by=actor,
    )
    use.full_clean()
    use.save()
    audit_log(actor=actor, code="briefing.use_recorded", target=use)
    return use
