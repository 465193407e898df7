"""Key events in a return: add, change and remove one. The return page autosaves each event
(static/js/key-events.js, JSON answers); without JavaScript each row's Save button posts here
and a problem is shown on the event's own page, at the field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from auditportal.access import require
from auditportal.auditlog import access_log
from audits.event_forms import KeyEventForm
from audits.event_models import KeyEvent
from audits.event_selectors import event_kinds_offered, key_event_get_for_user
from audits.models import Return
from audits.selectors import return_get_for_user
from audits.services.key_events import KeyEventConflict, key_event_delete, key_event_save


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _events_url(audit_return: Return) -> str:
    return audit_return.get_absolute_url() + "#key-events"


def _saved_json(event: KeyEvent, *, created: bool) -> JsonResponse:
    when = timezone.localtime(event.updated_at).strftime("%H:%M")
    return JsonResponse(
        {
            "ok": True,
            "id": event.pk,
            "version": event.version,
            "created": created,
            "action": reverse("audits:key-event-update", args=[event.pk]),
            "remove": reverse("audits:key-event-delete", args=[event.pk]),
            "message": f"Saved at {when}",
        }
    )


def _error_json(error: ValidationError, status: int = 400) -> JsonResponse:
    fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    return JsonResponse({"ok": False, "errors": fields}, status=status)


def _save(request: HttpRequest, audit_return: Return, event: KeyEvent | None) -> HttpResponse:
    form = KeyEventForm(request.POST, kinds=event_kinds_offered())
    try:
        saved = key_event_save(
            audit_return=audit_return,
            actor=request.user,
            when=request.POST.get("when", ""),
            kind_id=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            event=event,
            base_version=_int(request.POST.get("version")),
        )
    except KeyEventConflict as conflict:
        if _wants_json(request):
            return _error_json(conflict, status=409)
        form.is_valid()
        form.add_error(None, conflict)
        return _page(request, audit_return, form, event, status=409)
    except ValidationError as error:
        if _wants_json(request):
            return _error_json(error)
        form.is_valid()
        for field, field_messages in (
            error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
        ):
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
        return _page(request, audit_return, form, event, status=400)
    if _wants_json(request):
        return _saved_json(saved, created=event is None)
    messages.success(request, f"Key event saved: {saved.when_display}, {saved.kind}.")
    return redirect(_events_url(audit_return))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _page(
    request: HttpRequest,
    audit_return: Return,
    form: KeyEventForm,
    event: KeyEvent | None,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "audits/key_event_form.html",
        {"audit_return": audit_return, "form": form, "event": event},
        status=status,
    )


@login_required
@require_POST
def key_event_add(request: HttpRequest, pk: int) -> HttpResponse:
    audit_return = return_get_for_user(request.user, pk)
    require(request.user, "audits.answer_return", audit_return)
    return _save(request, audit_return, None)


@login_required
@require_http_methods(["GET", "POST"])
def key_event_update(request: HttpRequest, pk: int) -> HttpResponse:
    """An event's own page (without JavaScript, and where a refused save shows its problem)."""
    event = key_event_get_for_user(request.user, pk)
    audit_return = event.audit_return
    require(request.user, "audits.answer_return", audit_return)
    if request.method == "POST":
        return _save(request, audit_return, event)
    access_log(actor=request.user, code="key_event.viewed", target=audit_return)
    form = KeyEventForm(
        kinds=event_kinds_offered(),
        initial={
            "version": event.version,
            "when": event.when_input,
            "kind": event.kind_id,
            "text": event.text,
        },
    )
    return _page(request, audit_return, form, event)


@login_required
@require_POST
def key_event_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = key_event_get_for_user(request.user, pk)
    audit_return = event.audit_return
    require(request.user, "audits.answer_return", audit_return)
    try:
        key_event_delete(event=event, actor=request.user)
    except PermissionDenied:
        raise
    except ValidationError as error:
        if _wants_json(request):
            return _error_json(error)
        messages.error(request, " ".join(error.messages))
        return redirect(_events_url(audit_return))
    if _wants_json(request):
        return JsonResponse({"ok": True, "removed": pk})
    messages.success(request, "Key event removed.")
    return redirect(_events_url(audit_return))
