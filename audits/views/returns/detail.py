"""The return form: its themes, saved answers and progress, shown, saved and submitted."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from auditportal.access import allowed
from auditportal.auditlog import access_log
from audits.answers import AnswerValue, evidence_name, field_anchor, field_name
from audits.models import Audit, Return
from audits.return_field_html import return_field_html
from audits.return_forms import ConcernForm, ReturnForm
from audits.rules import reassign_is_offered, send_back_is_offered
from audits.selectors import return_answers, return_get_for_user, return_involvement, return_items
from audits.services import ReturnConflict, return_save_draft, return_submit
from cases.selectors import record_reference_for

from .common import _audit_contact, _error_text, _progress

# --- The return form ---------------------------------------------------------------------


def _themes(items, form: ReturnForm, saved: dict[int, AnswerValue], answered_ids: set[int]):
    """Questions grouped by theme (in question order), with per-theme progress."""
    themes: list[dict] = []
    for item in items:
        if not themes or themes[-1]["name"] != item.theme_name:
            themes.append(
                {
                    "name": item.theme_name,
                    "anchor": f"theme-{len(themes) + 1}",
                    "questions": [],
                    "answered": 0,
                    "total": 0,
                }
            )
        answered = item.pk in answered_ids
        theme = themes[-1]
        theme["questions"].append(
            {
                "item": item,
                "field": return_field_html(form[field_name(item)]),
                "evidence": return_field_html(form[evidence_name(item)])
                if evidence_name(item) in form.fields
                else None,
                "answered": answered,
                "anchor": f"q-{item.pk}",
                "input_id": field_anchor(item),
            }
        )
        theme["total"] += 1
        theme["answered"] += answered
    return themes


def _render_return(
    request: HttpRequest,
    audit_return: Return,
    *,
    form: ReturnForm | None = None,
    errors: list[tuple[str, str]] | None = None,
    conflict: ReturnConflict | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    items = return_items(audit_return)
    saved = {
        item_id: AnswerValue.from_answer(a) for item_id, a in return_answers(audit_return).items()
    }
    can_write = allowed(user, "audits.answer_return", audit_return)
    if form is None:
        form = ReturnForm(
            items=items,
            answers=saved,
            disabled=not can_write,
            initial={"version": audit_return.version},
        )
    answered, next_item = _progress(items, saved)
    involvement = return_involvement(audit_return)
    access_log(actor=user, code="return.viewed", target=audit_return)
    return render(
        request,
        "audits/return_detail.html",
        {
            "audit_return": audit_return,
            "audit": audit_return.audit,
            "case": audit_return.case,
            "record_reference": record_reference_for(user, involvement) if involvement else None,
            "form": form,
            "themes": _themes(items, form, saved, answered),
            "answered_count": len(answered),
            "question_count": len(items),
            "next_unanswered": f"q-{next_item.pk}" if next_item else "",
            "can_write": can_write,
            "can_send_back": send_back_is_offered.test(user, audit_return),
            "can_reassign": reassign_is_offered.test(user, audit_return),
            "concerns": list(
                audit_return.concerns.select_related("raised_by").order_by("-raised_at")
            ),
            "concern_form": ConcernForm(),
            "errors": errors or [],
            "conflict": conflict,
            # Closed by moderation before it was submitted: whom to ask (one query, only then).
            "closed_contact": _audit_contact(audit_return.audit)
            if audit_return.audit.status == Audit.Status.MODERATION
            and audit_return.status != Return.Status.SUBMITTED
            and user.is_practitioner
            else "",
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
            "login_url": reverse(settings.LOGIN_URL),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The return form. A POST here is the no-JavaScript "Save draft" (autosave does the same
    through return_autosave)."""
    audit_return = return_get_for_user(request.user, pk)
    if request.method == "GET":
        return _render_return(request, audit_return)
    if not allowed(request.user, "audits.answer_return", audit_return):
        if request.user.is_practitioner and not audit_return.is_editable:
            # Their own agency's return, but submitted or the audit has moved on.
            messages.error(request, "This return is read-only now. Nothing was changed.")
            return redirect(audit_return.get_absolute_url())
        raise PermissionDenied
    form = ReturnForm(request.POST, items=return_items(audit_return))
    if not form.is_valid():
        return _render_return(request, audit_return, form=form, errors=form.error_list())
    try:
        saved = return_save_draft(
            audit_return=audit_return,
            actor=request.user,
            data=form.answer_data(),
            base_version=form.cleaned_data["version"],
        )
    except ReturnConflict as conflict:
        return _render_return(request, audit_return, form=form, conflict=conflict)
    except ValidationError as error:
        return _render_return(request, audit_return, form=form, errors=[("", _error_text(error))])
    when = timezone.localtime(saved.updated_at).strftime("%H:%M")
    messages.success(request, f"Draft saved at {when}.")
    return redirect(saved.get_absolute_url())


@login_required
@require_POST
def return_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    audit_return = return_get_for_user(request.user, pk)
    if audit_return.status == Return.Status.SUBMITTED:
        try:
            return_submit(audit_return=audit_return, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect(audit_return.get_absolute_url())
    if not allowed(request.user, "audits.answer_return", audit_return):
        raise PermissionDenied
    items = return_items(audit_return)
    form = ReturnForm(request.POST, items=items)
    if not form.is_valid():
        return _render_return(request, audit_return, form=form, errors=form.error_list())
    try:
        audit_return = return_save_draft(
            audit_return=audit_return,
            actor=request.user,
            data=form.answer_data(),
            base_version=form.cleaned_data["version"],
        )
    except ReturnConflict as conflict:
        return _render_return(request, audit_return, form=form, conflict=conflict)
    except ValidationError as error:
        return _render_return(request, audit_return, form=form, errors=[("", _error_text(error))])
    try:
        return_submit(audit_return=audit_return, actor=request.user)
    except ValidationError as error:
        by_item = {field_name(item): item for item in items}
        if hasattr(error, "error_dict"):
            errors = [
                (field_anchor(by_item[name]), f"{by_item[name].text}: answer this question")
                for name in error.error_dict
                if name in by_item
            ]
        else:
            errors = [("", _error_text(error))]
        data = request.POST.copy()
        data["version"] = str(audit_return.version)  # the draft just saved
        form = ReturnForm(data, items=items)
        form.is_valid()
        for name in getattr(error, "error_dict", {}):
            if name in form.fields:
                form.add_error(name, "Answer this question.")
        messages.info(
            request, "Your answers are saved as a draft. The return is not submitted yet."
        )
        return _render_return(request, audit_return, form=form, errors=errors)
    messages.success(
        request, "Return submitted. Thank you: it is now read-only. The business team can see it."
    )
    return redirect(audit_return.get_absolute_url())
