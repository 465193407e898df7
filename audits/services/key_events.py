"""Writes for the key events of a return: add, change and remove one, autosaved like answers
(a version per event: a save from a stale copy is refused) and kept in the change history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log
from auditportal.disclosure import text_problems
from audits.event_dates import EventDate, check_event_date, parse_event_date
from audits.event_models import EVENT_TEXT_LIMIT, EventKind, KeyEvent
from audits.models import Return
from audits.rules import may_answer_return
from cases.identifiers import child_identifiers

__all__ = ["KeyEventConflict", "key_event_delete", "key_event_save", "key_event_text_problems"]

NO_NAMES = "Write it without names or identifiers: no pseudonyms and no record references."


class KeyEventConflict(ValidationError):
    """Someone saved this event since the copy was loaded: nothing was written."""

    def __init__(self, event: KeyEvent):
        when = timezone.localtime(event.updated_at).strftime("%H:%M on %d %b %Y")
        who = event.updated_by or "someone"
        super().__init__(
            f"{who} saved this event at {when}, after this page was opened. Your change was "
            "not saved; reload the page to see theirs.",
            code="conflict",
        )
        self.event = event


def key_event_text_problems(text: str) -> list[str]:
    """The disclosure check on an event's line, as on a briefing: no child's pseudonym and no
    record reference."""
    return text_problems([("the text", text)], child_identifiers())


def _clean(
    *, audit_return: Return, when: str, kind_id: object, text: str
) -> tuple[EventDate, EventKind, str]:
    errors: dict[str, list[str]] = {}
    event_date = None
    try:
        event_date = parse_event_date(when)
        check_event_date(
            event_date,
            case=audit_return.case,
            audit=audit_return.audit,
            today=timezone.localdate(),
        )
    except ValidationError as error:
        errors["when"] = error.messages
    kind = None
    try:
        kind = EventKind.objects.filter(pk=int(str(kind_id)), active=True).first()
    except (TypeError, ValueError):
        kind = None
    if kind is None:
        errors["kind"] = ["Choose what kind of event it was."]
    text = " ".join((text or "").split())
    if len(text) > EVENT_TEXT_LIMIT:
        errors["text"] = [f"Keep it to one line of {EVENT_TEXT_LIMIT} characters or fewer."]
    else:
        problems = key_event_text_problems(text)
        if problems:
            errors["text"] = [f"{problems[0]} {NO_NAMES}"]
    if errors:
        raise ValidationError(errors)
    assert kind is not None and event_date is not None
    return event_date, kind, text


def _check_may_write(actor: User, audit_return: Return) -> None:
    if not may_answer_return.test(actor, audit_return):
        if audit_return.status == Return.Status.SUBMITTED:
            raise ValidationError(
                "This return has been submitted and is read-only. Nothing was changed.",
                code="submitted",
            )
        raise PermissionDenied


@transaction.atomic
def key_event_save(
    *,
    audit_return: Return,
    actor: User,
    when: str,
    kind_id: object,
    text: str,
    event: KeyEvent | None = None,
    base_version: int | None = None,
) -> KeyEvent:
    """Add an event to the return, or change `event` if nobody saved it since `base_version`
    (one conditional UPDATE, as for a return's answers). Each field's problem is raised under
    its name (when, kind, text); nothing is written then."""
    _check_may_write(actor, audit_return)
    event_date, kind, text = _clean(
        audit_return=audit_return, when=when, kind_id=kind_id, text=text
    )
    if event is None:
        event = KeyEvent(
            audit_return=audit_return,
            when=event_date.when,
            precision=event_date.precision,
            kind=kind,
            text=text,
            updated_by=actor,
        )
        event.full_clean()
        event._history_user = actor  # type: ignore[attr-defined]
        event.save()
        audit_log(actor=actor, code="key_event.added", target=audit_return)
        return event
    if event.audit_return_id != audit_return.pk:
        raise PermissionDenied
    won = KeyEvent.objects.filter(pk=event.pk, version=base_version or 0).update(
        version=F("version") + 1
    )
    if not won:
        current = KeyEvent.objects.select_related("updated_by").filter(pk=event.pk).first()
        if current is None:
            raise ValidationError("This event was removed. Reload the page.", code="removed")
        raise KeyEventConflict(current)
    event.refresh_from_db(fields=["version"])
    event.when = event_date.when
    event.precision = event_date.precision
    event.kind = kind
    event.text = text
    event.updated_by = actor
    event.full_clean()
    event._history_user = actor  # type: ignore[attr-defined]
    event.save(update_fields=["when", "precision", "kind", "text", "updated_by", "updated_at"])
    # Ids only: an event's text is case data and never goes into the audit trail.
    audit_log(
        actor=actor, code="key_event.changed", target=audit_return, changes={"event": event.pk}
    )
    return event


@transaction.atomic
def key_event_delete(*, event: KeyEvent, actor: User) -> None:
    audit_return = event.audit_return
    _check_may_write(actor, audit_return)
    pk = event.pk
    event._history_user = actor  # type: ignore[attr-defined]
    event.delete()
    audit_log(actor=actor, code="key_event.removed", target=audit_return, changes={"event": pk})
