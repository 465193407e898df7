"""The composer's autosave (static/js/autosave.js, shared with returns) and the pieces the
composer page's own "Save briefing" uses: the save from the page's copy (services.drafts),
and a conflict told with both texts so the second writer chooses."""

import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audits.models import Audit
from findings.selectors import active_resources, consented_quotes

from .forms import BriefingForm
from .models import Briefing
from .selectors import briefing_get_for_composer
from .services import briefing_update
from .services.drafts import DRAFT_FIELDS, TOGGLES, BriefingConflict

# The longest `_base` (the page's copy as loaded, as JSON) worth reading: seven points of
# 10,000 characters each, escaped, with room to spare. Longer is not from our page.
BASE_LIMIT = 400_000
MULTIPLE = {"quotes", "resources"}
STALE_PAGE = (
    "This page sent no version of the briefing, so it cannot tell whether someone saved in "
    "the meantime. Reload the page: nothing was saved."
)


def composer_form(data, briefing: Briefing, audit: Audit | None = None) -> BriefingForm:
    audit = audit or briefing.audit
    return BriefingForm(
        data,
        instance=briefing,
        audit=audit,
        resources=(active_resources() | briefing.resources.all()).distinct(),
        quotes=consented_quotes(audit),
    )


def base_values(request: HttpRequest) -> dict[str, object] | None:
    """The briefing as the page last had it saved (sent by autosave.js), to say which fields
    someone else changed. Only used to word a conflict; never saved."""
    raw = request.POST.get("_base", "")
    if not raw or len(raw) > BASE_LIMIT:
        return None
    try:
        values = json.loads(raw)
    except ValueError:
        return None
    except RecursionError:
        raise ValidationError(
            "The page sent data that could not be read. Reload the page: your typing is kept "
            "in this browser."
        ) from None
    if not isinstance(values, dict):
        return None
    result: dict[str, object] = {}
    for name in DRAFT_FIELDS:
        value = values.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            continue
        if name in MULTIPLE:
            result[name] = [int(v) for v in value if v.isdigit() and len(v) < 12]
        elif name in TOGGLES:
            result[name] = bool(value)
        else:
            result[name] = value[0] if value else ""
    return result


def page_values(briefing: Briefing) -> dict[str, list[str]]:
    """What is saved, as the page's fields hold it (for autosave.js to put into a field)."""
    values: dict[str, list[str]] = {}
    for name in DRAFT_FIELDS:
        if name in MULTIPLE:
            values[name] = [str(pk) for pk in getattr(briefing, name).values_list("pk", flat=True)]
        elif name in TOGGLES:
            values[name] = ["on"] if getattr(briefing, name) else []
        else:
            text = getattr(briefing, name) or ""
            values[name] = [text.replace("\r\n", "\n")]
    return values


def _shown(form: BriefingForm, name: str, value: list[str]) -> str:
    """A field's value in words, for the conflict message."""
    if name in TOGGLES:
        return "ticked" if value else "not ticked"
    if name in MULTIPLE:
        field = form.fields[name]
        chosen = field.queryset.filter(pk__in=[int(v) for v in value if v.isdigit()])  # type: ignore[attr-defined]
        words = [field.label_from_instance(item) for item in chosen]  # type: ignore[attr-defined]
        return "; ".join(words) or "none chosen"
    return value[0] if value else ""


def conflict_changes(conflict: BriefingConflict, form: BriefingForm) -> list[dict]:
    """For each field someone else changed: its label, what is saved now and what this page
    has (both in words, and the saved value as the field holds it)."""
    saved = page_values(conflict.briefing)
    typed = {name: form.data.getlist(name) for name in DRAFT_FIELDS}
    changes = []
    for name in conflict.changed:
        yours = typed[name]
        if name not in MULTIPLE and name not in TOGGLES:
            yours = [(yours[0] if yours else "").replace("\r\n", "\n")]
        changes.append(
            {
                "name": name,
                "label": str(form[name].label),
                "anchor": form[name].id_for_label or f"id_{name}",
                "saved": saved[name],
                "saved_text": _shown(form, name, saved[name]),
                "yours_text": _shown(form, name, yours),
            }
        )
    return changes


def save_form(request: HttpRequest, briefing: Briefing, form: BriefingForm) -> Briefing:
    """Save a valid composer form through the conflict-checked service."""
    version = form.cleaned_data.get("version")
    if version is None:
        raise ValidationError(STALE_PAGE)
    values = {
        name: value
        for name, value in form.cleaned_data.items()
        if name not in {"resources", "quotes", "version"}
    }
    return briefing_update(
        briefing=briefing,
        actor=request.user,  # type: ignore[arg-type]
        resources=form.cleaned_data["resources"],
        quotes=form.cleaned_data["quotes"],
        base_version=version,
        base_values=base_values(request),
        **values,
    )


def _json_error(kind: str, message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"ok": False, "error": kind, "message": message, **extra}, status=status)


@require_POST
def autosave(request: HttpRequest, audit_pk: int) -> HttpResponse:
    """Autosave of the composer (autosave.js): JSON in every case so the page keeps the typed
    text. 401 signed out, 403 not the business team, 400 invalid, 409 conflict, 200 saved.
    Not logged as a view: each save is in the trail as `briefing.updated`."""
    if not request.user.is_authenticated:
        return _json_error(
            "signed_out",
            "You have been signed out, so this was not saved. Your typing is kept in this "
            "browser. Sign in again in a new tab, then come back here: it will save again.",
            401,
            login_url=reverse(settings.LOGIN_URL),
        )
    try:
        briefing = briefing_get_for_composer(request.user, audit_pk)
    except PermissionDenied:
        return _json_error(
            "read_only", "Only the business team can change this briefing. Nothing was saved.", 403
        )
    form = composer_form(request.POST, briefing)
    if not form.is_valid():
        errors = [
            (form[name].id_for_label if name in form.fields else "", f"{label}: {message}")
            for name, messages in form.errors.items()
            for label in [form[name].label if name in form.fields else "The briefing"]
            for message in messages
        ]
        return _json_error(
            "invalid",
            "Not saved: " + "; ".join(message for _, message in errors),
            400,
            errors=errors,
        )
    try:
        saved = save_form(request, briefing, form)
    except BriefingConflict as conflict:
        return _json_error(
            "conflict",
            " ".join(conflict.messages),
            409,
            version=conflict.current_version,
            same_user=conflict.same_user,
            changed=conflict_changes(conflict, form),
        )
    except ValidationError as error:
        return _json_error("invalid", "Not saved: " + " ".join(error.messages), 400)
    when = timezone.localtime(saved.updated_at).strftime("%H:%M")
    return JsonResponse(
        {
            "ok": True,
            "version": saved.edit_version,
            "saved_at": when,
            "message": f"Saved at {when}",
        }
    )
