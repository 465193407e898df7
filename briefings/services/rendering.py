"""Rendering a briefing: a numbered, immutable BriefingVersion made from a JSON snapshot,
rendered to PDF through Celery, and the renders that got stuck sent again."""

import datetime
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import User
from auditportal import outbox
from auditportal.auditlog import audit_log
from auditportal.models import OutboxMessage
from auditportal.pdf import RenderedPDF, render_pdf_document

from .. import data
from ..document import version_html
from ..models import Briefing, BriefingVersion
from .common import _require_business_team

logger = logging.getLogger(__name__)

# A version the queue got longer ago than this is shown as "waiting for the PDF worker".
WAITING_AFTER = datetime.timedelta(seconds=30)
# A render not finished this long after it started (or after the queue got it) cannot still
# be running: the task's hard time limit stops it before. From then on the business team may
# run it again at once, and the sweep (run by the outbox relay and by beat) resends it.
STUCK_MARGIN = datetime.timedelta(seconds=30)
STUCK_AFTER = datetime.timedelta(seconds=settings.BRIEFING_RENDER_TIME_LIMIT) + STUCK_MARGIN
# After this many attempts the sweep marks a version failed instead of trying again.
MAX_ATTEMPTS = 5
# Errors worth retrying: the disk, the network to storage, the database going away.
TRANSIENT_ERRORS = (OSError, OperationalError)

_IN_PROGRESS = (BriefingVersion.Status.QUEUED, BriefingVersion.Status.RENDERING)


# ---------------------------------------------------------------------------------------------
# Rendering


def _enqueue(version: BriefingVersion) -> None:
    """The render task, through the outbox: written with the version, handed to the queue
    after the commit (or as soon as Redis answers again)."""
    outbox.enqueue(
        "briefings.render_pdf", kwargs={"version_id": version.pk}, ref=outbox.ref_for(version)
    )


@transaction.atomic
def briefing_render(*, briefing: Briefing, actor: User, enqueue: bool = True) -> BriefingVersion:
    """A new numbered version holding a snapshot of the briefing, rendered by a worker once
    this transaction commits (enqueue=False: the caller renders it, e.g. the command)."""
    _require_business_team(actor)
    briefing = Briefing.objects.select_for_update().select_related("audit").get(pk=briefing.pk)
    number = (briefing.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = BriefingVersion(
        briefing=briefing,
        number=number,
        status=BriefingVersion.Status.QUEUED,
        content=data.snapshot(briefing),
        created_by=actor,
        enqueued_at=timezone.now(),
    )
    version.full_clean(exclude=["pdf"])
    version.save()
    audit_log(actor=actor, code="briefing.render_requested", target=version)
    if enqueue:
        _enqueue(version)
    return version


def _waiting_for_queue(version: BriefingVersion) -> bool:
    cached = getattr(version, "waiting_for_queue", None)
    return outbox.is_waiting(outbox.ref_for(version)) if cached is None else cached


def _handed_over_at(version: BriefingVersion) -> datetime.datetime:
    cached = getattr(version, "handed_over_at", None)
    if cached is not None:
        return cached
    sent = (
        OutboxMessage.objects.filter(ref=outbox.ref_for(version), status=OutboxMessage.Status.SENT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return sent or version.enqueued_at or version.created_at


def version_rerun_from(version: BriefingVersion) -> datetime.datetime | None:
    """When an unfinished render may be run again (None: it is not in progress, or it waits
    for the queue and will start when the queue is back)."""
    if version.status == BriefingVersion.Status.RENDERING and version.started_at:
        return version.started_at + STUCK_AFTER
    if version.status == BriefingVersion.Status.QUEUED and not _waiting_for_queue(version):
        return _handed_over_at(version) + STUCK_AFTER
    return None


def version_is_stuck(version: BriefingVersion, *, now: datetime.datetime | None = None) -> bool:
    rerun_from = version_rerun_from(version)
    return rerun_from is not None and (now or timezone.now()) >= rerun_from


@transaction.atomic
def version_rerun(*, version: BriefingVersion, actor: User) -> BriefingVersion:
    """Send a version back to the worker (its snapshot is unchanged): a failed one, or one
    that has not finished within its time limit plus a margin (its worker died)."""
    _require_business_team(actor)
    version = BriefingVersion.objects.select_for_update().get(pk=version.pk)
    was = version.status
    if version.is_in_progress and _waiting_for_queue(version):
        raise ValidationError(
            f"Version {version.number} is queued: it will start when the queue is back."
        )
    if version.is_in_progress and not version_is_stuck(version):
        rerun_from = timezone.localtime(version_rerun_from(version))
        raise ValidationError(
            f"Version {version.number} is {version.get_status_display().lower()}: if it has "
            f"not finished by {rerun_from:%H:%M}, it can be run again."
        )
    if not version.is_in_progress and was != BriefingVersion.Status.FAILED:
        raise ValidationError(
            f"Version {version.number} is {version.get_status_display().lower()}: only a "
            "failed render, or one that has not finished in time, can be run again."
        )
    version.status = BriefingVersion.Status.QUEUED
    version.error = ""
    version.enqueued_at = timezone.now()
    version.save(update_fields=["status", "error", "enqueued_at"])
    audit_log(actor=actor, code="briefing.render_rerun", target=version, changes={"was": was})
    _enqueue(version)
    return version


def render_content(content: dict, *, version_label: str) -> RenderedPDF:
    html = version_html(content, version_label=version_label)
    return render_pdf_document(
        html, title=content.get("title", "Briefing"), author=content.get("partnership", "")
    )


def version_label(number: int, rendered_at: datetime.datetime) -> str:
    local = timezone.localtime(rendered_at)
    return f"Version {number}, rendered {local:%-d %B %Y}"


def version_read_label(version: BriefingVersion) -> str:
    """The label the web and public versions print: the PDF's (rendering starts it)."""
    return version_label(version.number, version.started_at or version.created_at)


def _mark(version_id: int, **fields: object) -> None:
    BriefingVersion.objects.filter(pk=version_id).update(**fields)


def short_reason(exc: BaseException) -> str:
    message = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def version_render_pdf(
    *, version_id: int, final_attempt: bool = True, worker: str = ""
) -> BriefingVersion | None:
    """The worker's job, safe to run twice: a ready version is left alone, and a second run
    that finishes after the first keeps the first file. Transient errors are raised for the
    task to retry unless this is the final attempt; anything else marks the version failed."""
    with transaction.atomic():
        version = (
            BriefingVersion.objects.select_for_update()
            .select_related("briefing")
            .filter(pk=version_id)
            .first()
        )
        if version is None or version.is_ready:
            return version
        now = timezone.now()
        version.status = BriefingVersion.Status.RENDERING
        version.started_at = now
        version.rendered_by = worker[:200]
        version.attempts += 1
        version.save(update_fields=["status", "started_at", "rendered_by", "attempts"])
    try:
        rendered = render_content(version.content, version_label=version_label(version.number, now))
        return _store(version_id, rendered)
    except SoftTimeLimitExceeded:
        _mark(
            version_id,
            status=BriefingVersion.Status.FAILED,
            finished_at=timezone.now(),
            error="Rendering took longer than the time limit. Switch off a chart or shorten "
            "the text, then run it again.",
        )
    except TRANSIENT_ERRORS as exc:
        if not final_attempt:
            _mark(
                version_id,
                status=BriefingVersion.Status.QUEUED,
                error=f"Retrying after a temporary error ({type(exc).__name__}).",
            )
            raise
        _mark(
            version_id,
            status=BriefingVersion.Status.FAILED,
            finished_at=timezone.now(),
            error=f"A temporary error kept happening: {short_reason(exc)}",
        )
    except Exception as exc:
        logger.exception("briefing version %s failed to render", version_id)
        _mark(
            version_id,
            status=BriefingVersion.Status.FAILED,
            finished_at=timezone.now(),
            error=short_reason(exc),
        )
    return BriefingVersion.objects.filter(pk=version_id).first()


@transaction.atomic
def _store(version_id: int, rendered: RenderedPDF) -> BriefingVersion:
    version = BriefingVersion.objects.select_for_update().get(pk=version_id)
    if version.is_ready:
        return version  # another run got there first: one file, one ready status
    if version.pdf:
        version.pdf.delete(save=False)
    name = f"briefing-{version.briefing_id}-v{version.number}.pdf"
    version.pdf.save(name, ContentFile(rendered.content), save=False)
    version.status = BriefingVersion.Status.READY
    version.page_count = rendered.page_count
    version.finished_at = timezone.now()
    version.error = ""
    version.save(update_fields=["pdf", "status", "page_count", "finished_at", "error"])
    return version


def briefing_render_now(*, briefing: Briefing, actor: User) -> BriefingVersion:
    """Render a new version in this process (the command line and the demo)."""
    version = briefing_render(briefing=briefing, actor=actor, enqueue=False)
    rendered = version_render_pdf(version_id=version.pk)
    assert rendered is not None  # created just above, in this process
    return rendered


def _resend(version: BriefingVersion, *, now: datetime.datetime, reason: str) -> bool:
    """Queue a locked, unfinished version again; after MAX_ATTEMPTS mark it failed instead."""
    if version.attempts >= MAX_ATTEMPTS:
        version.status = BriefingVersion.Status.FAILED
        version.error = f"Gave up after {version.attempts} attempts."
        version.finished_at = now
        version.save(update_fields=["status", "error", "finished_at"])
        return False
    version.status = BriefingVersion.Status.QUEUED
    version.enqueued_at = now
    version.save(update_fields=["status", "enqueued_at"])
    audit_log(actor=None, code="briefing.render_resent", target=version, changes={"why": reason})
    _enqueue(version)
    return True


def versions_sweep_stuck(*, now: datetime.datetime | None = None) -> list[int]:
    """Resend versions that have not finished STUCK_AFTER after they started, or after the
    queue got them (a lost message, a killed worker); those still waiting for the queue are
    left to the outbox. Returns the ids resent. After MAX_ATTEMPTS a version is marked
    failed. Run by the outbox relay every half minute and by beat."""
    now = now or timezone.now()
    cutoff = now - STUCK_AFTER
    stuck = BriefingVersion.objects.with_queue_state().filter(
        Q(status=BriefingVersion.Status.RENDERING, started_at__lte=cutoff)
        | Q(
            status=BriefingVersion.Status.QUEUED,
            waiting_for_queue=False,
            handed_over_at__lte=cutoff,
        )
    )
    ids = list(stuck.values_list("pk", flat=True))
    resent = []
    with transaction.atomic():
        for version in BriefingVersion.objects.select_for_update().filter(
            pk__in=ids, status__in=_IN_PROGRESS
        ):
            if _resend(version, now=now, reason="not finished in time"):
                resent.append(version.pk)
    return resent


def versions_requeue_from_worker(*, worker: str) -> list[int]:
    """A worker node starting: whatever it was rendering when it last stopped died with it
    (a node name belongs to one running worker), so it is sent again at once."""
    now = timezone.now()
    resent = []
    with transaction.atomic():
        for version in BriefingVersion.objects.select_for_update().filter(
            status=BriefingVersion.Status.RENDERING, rendered_by=worker
        ):
            if _resend(version, now=now, reason=f"{worker} restarted"):
                resent.append(version.pk)
    return resent
