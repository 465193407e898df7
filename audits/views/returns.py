"""Returns: My returns, the return form (autosave, submit, amendment, reassignment), immediate
concerns and the business team's progress matrix. Objects come only through selectors."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal import outbox
from auditportal.access import allowed, require
from auditportal.auditlog import access_log
from audits.answers import AnswerValue, evidence_name, field_anchor, field_name
from audits.models import Audit, Return
from audits.return_field_html import return_field_html
from audits.return_forms import (
    AmendmentForm,
    ConcernForm,
    ConcernResolveForm,
    ReassignForm,
    ReturnForm,
)
from audits.rules import reassign_is_offered, send_back_is_offered
from audits.selectors import (
    OUTSTANDING_RETURN_STATUSES,
    agency_members,
    audit_get_for_business_team,
    concern_alerts_of,
    concern_get_for_user,
    my_returns_counts,
    my_returns_filtered,
    progress_returns,
    return_answers,
    return_get_for_user,
    return_involvement,
    return_items,
)
from audits.services import (
    ReturnConflict,
    concern_raise,
    concern_resolve,
    return_reassign,
    return_save_draft,
    return_send_back,
    return_submit,
)
from cases.selectors import record_reference_for

SCOPES = {"": "Mine and my agencies'", "mine": "Assigned to me", "agency": "Others in my agencies"}


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- My returns --------------------------------------------------------------------------

# A list page's access row names at most this many of the returns it showed.
MAX_LOGGED_IDS = 500


def _audit_contact(audit: Audit) -> str:
    """Whom a practitioner asks about an audit: the business team member who scheduled it,
    else the partnership's contact address, else the business team."""
    owner = audit.created_by
    if owner is not None and owner.is_active and owner.email:
        return f"{owner} ({owner.email}), who runs this audit"
    if settings.PARTNERSHIP_CONTACT_EMAIL:
        return f"the partnership team ({settings.PARTNERSHIP_CONTACT_EMAIL})"
    return f"the {settings.PARTNERSHIP_NAME} business team"


@login_required
@require_GET
def my_returns_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "audits.list_my_returns")
    scope = request.GET.get("scope", "")
    scope = scope if scope in SCOPES else ""
    status = request.GET.get("status", "")
    status = status if status in {*Return.Status.values, "overdue"} else ""
    query = request.GET.get("q", "").strip()[:100]
    returns = list(my_returns_filtered(request.user, scope=scope, status=status, query=query))
    closed = [r for r in returns if r.audit.status != Audit.Status.OPEN]
    access_log(
        actor=request.user,
        code="return.listed",
        target=None,
        changes={"returns": [r.pk for r in returns[:MAX_LOGGED_IDS]], "count": len(returns)},
        listed=returns[:MAX_LOGGED_IDS],
    )
    return render(
        request,
        "audits/my_returns.html",
        {
            "returns": [r for r in returns if r.audit.status == Audit.Status.OPEN],
            "closed": [(r, _audit_contact(r.audit)) for r in closed],
            "counts": my_returns_counts(request.user),
            "today": timezone.localdate(),
            "scope": scope,
            "scopes": SCOPES,
            "status": status,
            "statuses": Return.Status.choices,
            "query": query,
            "filtered": bool(scope or status or query),
        },
    )


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


@login_required
@require_http_methods(["GET", "POST"])
def return_send_back_view(request: HttpRequest, pk: int) -> HttpResponse:
    audit_return = return_get_for_user(request.user, pk)
    require(request.user, "audits.send_back_return", audit_return)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return_send_back(
                audit_return=audit_return, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    for e in errors:
                        form.add_error(name if name in form.fields else None, e)
            else:
                form.add_error(None, error)
        else:
            message = "The return was sent back for amendment. The practitioner sees your reason."
            if outbox.is_waiting(outbox.ref_for(audit_return)):
                message += " Their e-mail is queued: it will go when the queue is back."
            messages.success(request, message)
            return redirect(audit_return.get_absolute_url())
    access_log(actor=request.user, code="return.viewed", target=audit_return)
    return render(
        request,
        "audits/return_send_back.html",
        {"audit_return": audit_return, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_reassign_view(request: HttpRequest, pk: int) -> HttpResponse:
    audit_return = return_get_for_user(request.user, pk)
    require(request.user, "audits.reassign_return", audit_return)
    members = agency_members(audit_return.agency_id)
    form = ReassignForm(
        request.POST or None,
        members=members,
        initial={"assignee": audit_return.assignee_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            return_reassign(
                audit_return=audit_return,
                actor=request.user,
                assignee=form.cleaned_data["assignee"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = f"The return is now assigned to {form.cleaned_data['assignee']}."
            if outbox.is_waiting(outbox.ref_for(audit_return)):
                message += " The e-mail to them is queued: it will go when the queue is back."
            messages.success(request, message)
            return redirect(audit_return.get_absolute_url())
    access_log(actor=request.user, code="return.viewed", target=audit_return)
    return render(
        request,
        "audits/return_reassign.html",
        {"audit_return": audit_return, "form": form, "has_members": members.exists()},
    )


# --- Immediate concerns ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def concern_raise_view(request: HttpRequest, pk: int) -> HttpResponse:
    audit_return = return_get_for_user(request.user, pk)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concern = concern_raise(
                audit_return=audit_return,
                actor=request.user,
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The first try has run (right after the commit): say what it did.
            if all(alert.status == alert.Status.SENT for alert in concern_alerts_of(concern)):
                told = "The business team and the agency's safeguarding lead have been e-mailed."
            else:
                told = (
                    "Not every alert could be e-mailed yet: they are tried again, and the "
                    "business team is shown any that does not go. Tell them another way too."
                )
            messages.warning(
                request,
                f"Immediate concern raised. {told} If the child is in danger now, call 999.",
            )
            return redirect(audit_return.get_absolute_url())
    access_log(actor=request.user, code="return.viewed", target=audit_return)
    return render(
        request, "audits/concern_raise.html", {"audit_return": audit_return, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    concern = concern_get_for_user(request.user, pk)
    can_resolve = allowed(request.user, "audits.manage_concern", concern.audit_return)
    if request.method == "POST" and not can_resolve:
        raise PermissionDenied
    form = ConcernResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concern_resolve(
                concern=concern, actor=request.user, action_taken=form.cleaned_data["action_taken"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The action taken is recorded and the concern is closed.")
            return redirect(concern.audit_return.get_absolute_url())
    access_log(actor=request.user, code="concern.viewed", target=concern)
    return render(
        request,
        "audits/concern_resolve.html",
        {
            "concern": concern,
            "form": form,
            "can_resolve": can_resolve,
            "alerts": concern_alerts_of(concern),
        },
    )


# --- Progress matrix ---------------------------------------------------------------------


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Cases × agencies for the business team, with counts per agency and overdue flagged."""
    audit = audit_get_for_business_team(request.user, pk)
    today = timezone.localdate()
    all_returns = progress_returns(audit)
    past_due = audit.returns_due < today
    for audit_return in all_returns:
        audit_return.is_overdue = past_due and audit_return.status in OUTSTANDING_RETURN_STATUSES

    agencies = sorted({r.agency for r in all_returns}, key=lambda a: a.name)
    try:
        agency_id = int(request.GET.get("agency", "") or 0)
    except ValueError:
        agency_id = 0
    status = request.GET.get("status", "")
    status = status if status in {*Return.Status.values, "overdue"} else ""

    def shown(r: Return) -> bool:
        if agency_id and r.agency_id != agency_id:
            return False
        if status == "overdue":
            return r.is_overdue
        return not status or r.status == status

    columns = [a for a in agencies if not agency_id or a.pk == agency_id]
    cells = {(r.case_id, r.agency_id): r for r in all_returns if shown(r)}
    cases = sorted({r.case for r in all_returns}, key=lambda c: c.pseudonym)
    rows = [
        {"case": case, "cells": [cells.get((case.pk, agency.pk)) for agency in columns]}
        for case in cases
        if any((case.pk, agency.pk) in cells for agency in columns)
    ]
    summary = [
        {
            "agency": agency,
            "expected": sum(1 for r in all_returns if r.agency_id == agency.pk),
            "submitted": sum(
                1
                for r in all_returns
                if r.agency_id == agency.pk and r.status == Return.Status.SUBMITTED
            ),
            "overdue": sum(1 for r in all_returns if r.agency_id == agency.pk and r.is_overdue),
        }
        for agency in agencies
    ]
    access_log(actor=request.user, code="audit.progress_viewed", target=audit)
    return render(
        request,
        "audits/progress.html",
        {
            "audit": audit,
            "rows": rows,
            "columns": columns,
            "agencies": agencies,
            "summary": summary,
            "total": len(all_returns),
            "submitted": sum(1 for r in all_returns if r.status == Return.Status.SUBMITTED),
            "overdue": sum(1 for r in all_returns if r.is_overdue),
            "agency_id": agency_id,
            "status": status,
            "statuses": Return.Status.choices,
            "filtered": bool(agency_id or status),
        },
    )
