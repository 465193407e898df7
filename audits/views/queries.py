"""Queries on one answer: the business team raises one from the answer; the agency's
practitioner reads it at the answer and on My returns, replies, and may change that answer
while the return stays submitted. Not visible: 404 (an answer of a return the user may not
see); visible but not allowed: 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from auditportal.access import allowed, require
from auditportal.auditlog import access_log
from audits.answers import AnswerValue, evidence_name, field_name
from audits.event_forms import QueryCloseForm, QueryRaiseForm, QueryReplyForm
from audits.event_selectors import answer_get_for_user, query_get_for_user
from audits.models import Answer
from audits.query_models import AnswerQuery
from audits.return_field_html import return_field_html
from audits.return_forms import ReturnForm
from audits.services.queries import query_close, query_raise, query_reopen, query_reply


def _put_errors(form, error: ValidationError) -> None:
    pairs = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, field_messages in pairs:
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _answer_history(answer: Answer) -> list[dict]:
    """The answer's saved versions, newest first (simple-history), with who saved each and
    the answer in words."""
    rows = (
        Answer.history.filter(id=answer.pk)  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:20]
    )
    return [
        {
            "at": row.history_date,
            "who": row.history_user,
            "answer": AnswerValue(choice=row.choice, number=row.number, text=row.text).display(
                answer.item
            ),
            "evidence": row.evidence,
        }
        for row in rows
    ]


@login_required
@require_http_methods(["GET", "POST"])
def query_raise_view(request: HttpRequest, pk: int) -> HttpResponse:
    answer = answer_get_for_user(request.user, pk)
    audit_return = answer.audit_return
    require(request.user, "audits.manage_programme", audit_return)
    can_raise = allowed(request.user, "audits.raise_query", audit_return)
    form = QueryRaiseForm(request.POST or None)
    if request.method == "POST":
        if not can_raise:
            raise PermissionDenied
        if form.is_valid():
            try:
                query = query_raise(
                    answer=answer, actor=request.user, question=form.cleaned_data["question"]
                )
            except ValidationError as error:
                _put_errors(form, error)
            else:
                messages.success(
                    request, f"Query sent to {audit_return.agency.name} about this answer."
                )
                return redirect(query.get_absolute_url())
    else:
        access_log(actor=request.user, code="query.answer_viewed", target=audit_return)
    return render(
        request,
        "audits/query_raise.html",
        {
            "answer": answer,
            "audit_return": audit_return,
            "value": AnswerValue.from_answer(answer).display(answer.item),
            "form": form,
            "can_raise": can_raise,
            "queries": list(answer.queries.select_related("raised_by").order_by("-raised_at")),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def query_detail(request: HttpRequest, pk: int) -> HttpResponse:
    query = query_get_for_user(request.user, pk)
    audit_return = query.audit_return
    answer = query.answer
    item = answer.item
    can_reply = allowed(request.user, "audits.reply_query", query)
    saved = {item.pk: AnswerValue.from_answer(answer)}
    answer_form = ReturnForm(
        request.POST or None,
        items=[item],
        answers=saved,
        disabled=not can_reply,
        initial={"version": audit_return.version},
    )
    reply_form = QueryReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_reply:
            raise PermissionDenied
        if answer_form.is_valid() and reply_form.is_valid():
            try:
                query_reply(
                    query=query,
                    actor=request.user,
                    reply=reply_form.cleaned_data["reply"],
                    value=answer_form.answer_data()[item.pk],
                )
            except ValidationError as error:
                _put_errors(answer_form, error)
                _put_errors(reply_form, error)
            else:
                messages.success(request, "Reply sent to the business team.")
                return redirect(audit_return.get_absolute_url() + f"#q-{item.pk}")
        status = 400
    else:
        access_log(actor=request.user, code="query.viewed", target=audit_return)
    return render(
        request,
        "audits/query_detail.html",
        {
            "query": query,
            "audit_return": audit_return,
            "answer": answer,
            "value": AnswerValue.from_answer(answer).display(item),
            "can_reply": can_reply,
            "answer_field": return_field_html(answer_form[field_name(item)]),
            "evidence_field": return_field_html(answer_form[evidence_name(item)])
            if evidence_name(item) in answer_form.fields
            else None,
            "answer_form": answer_form,
            "reply_form": reply_form,
            "history": _answer_history(answer),
            "is_answered": query.status == AnswerQuery.Status.ANSWERED,
            "can_close": allowed(request.user, "audits.close_query", query),
            "close_form": QueryCloseForm(),
            "query_history": _query_history(query),
        },
        status=status,
    )


def _query_history(query: AnswerQuery) -> list[dict]:
    """The query's states, oldest first (simple-history): raised, answered, closed, re-opened."""
    rows = (
        AnswerQuery.history.filter(id=query.pk)  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("history_date", "history_id")[:50]
    )
    words = {AnswerQuery.Status.ANSWERED: "Answered", AnswerQuery.Status.CLOSED: "Closed"}
    found = []
    for index, row in enumerate(rows):
        if row.status == AnswerQuery.Status.OPEN:
            status = "Raised" if index == 0 else "Re-opened"
        else:
            status = words.get(row.status, row.status)
        found.append({"at": row.history_date, "who": row.history_user, "status": status})
    return found


@login_required
@require_POST
def query_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The business team closes a query (answered or not) with an optional note."""
    query = query_get_for_user(request.user, pk)
    require(request.user, "audits.close_query", query)
    form = QueryCloseForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("note", []):
            messages.error(request, f"{message} The query was not closed.")
        return redirect(query.get_absolute_url())
    try:
        query_close(query=query, actor=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Query closed. It no longer counts as open.")
    return redirect(query.get_absolute_url())


@login_required
@require_POST
def query_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    query = query_get_for_user(request.user, pk)
    require(request.user, "audits.close_query", query)
    try:
        query_reopen(query=query, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Query re-opened: the agency can reply again.")
    return redirect(query.get_absolute_url())
