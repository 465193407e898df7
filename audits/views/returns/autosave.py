"""Autosave of the return form: one answer at a time, as JSON, with conflicts answered."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from auditportal.access import allowed
from audits.answers import AnswerValue
from audits.return_forms import ReturnForm
from audits.selectors import return_get_for_user, return_items
from audits.services import ReturnConflict, return_save_draft

from .common import _error_text, _progress


def _json_error(kind: str, message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"ok": False, "error": kind, "message": message, **extra}, status=status)


def _base_data(request: HttpRequest, items) -> dict[int, AnswerValue] | None:
    """The answers as the page loaded them (sent by returns.js), to say what someone else
    changed. Only used to word a conflict message; never saved."""
    raw = request.POST.get("_base", "")
    if not raw or len(raw) > 200_000:
        return None
    try:
        values = json.loads(raw)
    except ValueError:
        return None
    except RecursionError:
        # Nested past the interpreter's limit: no page of ours sends that. Refused as bad
        # input (400, nothing saved), like any other value the form cannot read.
        raise ValidationError(
            "The page sent data that could not be read. Reload the page: your typing is kept "
            "in this browser."
        ) from None
    if not isinstance(values, dict):
        return None
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            data.setlist(str(name), value)
    data["version"] = "0"
    form = ReturnForm(data, items=items)
    return form.answer_data() if form.is_valid() else None


@require_POST
def return_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave (returns.js): JSON in every case so the page can keep the typed text.
    401 signed out, 403 read-only, 400 invalid, 409 conflict, 200 saved."""
    if not request.user.is_authenticated:
        return _json_error(
            "signed_out",
            "You have been signed out, so this was not saved. Your typing is kept in this "
            "browser. Sign in again in a new tab, then come back here: it will save again.",
            401,
            login_url=reverse(settings.LOGIN_URL),
        )
    audit_return = return_get_for_user(request.user, pk)
    if not allowed(request.user, "audits.answer_return", audit_return):
        return _json_error("read_only", "This return is read-only for you. Nothing was saved.", 403)
    items = return_items(audit_return)
    form = ReturnForm(request.POST, items=items)
    if not form.is_valid():
        errors = form.error_list()
        return _json_error(
            "invalid",
            "Not saved: " + "; ".join(message for _, message in errors),
            400,
            errors=errors,
        )
    data = form.answer_data()
    try:
        saved_return = return_save_draft(
            audit_return=audit_return,
            actor=request.user,
            data=data,
            base_version=form.cleaned_data["version"],
            base_data=lambda: _base_data(request, items),
        )
    except ReturnConflict as conflict:
        return _json_error(
            "conflict",
            _error_text(conflict),
            409,
            version=conflict.current_version,
            same_user=conflict.same_user,
            changed=[
                {
                    "anchor": c.anchor,
                    "question": c.question,
                    "saved": c.saved,
                    "yours": c.yours,
                    "sentence": c.sentence,
                }
                for c in conflict.changed
            ],
        )
    except ValidationError as error:
        return _json_error("invalid", f"Not saved: {_error_text(error)}", 400)
    # The form holds every question and the save wrote all of it under the version lock, so
    # what is saved now is `data` (a checklist has its row from this save on).
    answered, next_item = _progress(items, data)
    when = timezone.localtime(saved_return.updated_at).strftime("%H:%M")
    return JsonResponse(
        {
            "ok": True,
            "version": saved_return.version,
            "saved_at": when,
            "message": f"Saved at {when}",
            "status": saved_return.get_status_display(),
            "answered": sorted(f"q-{pk}" for pk in answered),
            "next_unanswered": f"q-{next_item.pk}" if next_item else "",
        }
    )
