"""The business team's pages: audit programme, calendar and feed, audits and their cases, the
status flow, the question bank and question sets. Objects come only through selectors; every
change goes through audits.services."""

import calendar
import copy
import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal import outbox
from auditportal.access import require
from auditportal.auditlog import access_log
from auditportal.forms import add_service_errors
from audits import ics
from audits.forms import (
    AuditForm,
    CaseForm,
    QuestionForm,
    QuestionSetForm,
    ThemeForm,
    TransitionForm,
)
from audits.models import Audit, Return, SampleCase
from audits.selectors import (
    PROGRAMME_ACTIVE_STATUSES,
    audit_cases,
    audit_get_for_business_team,
    audit_opening_told,
    audits_visible_to,
    audits_with_dates_between,
    calendar_feed_for,
    concerns_with_failing_alerts,
    programme_audits,
    question_bank_themes,
    question_get_for_business_team,
    question_sets_visible_to,
    questionset_get_for_business_team,
    questionset_items_by_theme,
    sample_case_get_for_business_team,
    sample_spread,
    theme_get_for_business_team,
)
from audits.services import programme as services


def business_team_required(request: HttpRequest) -> None:
    require(request.user, "audits.manage_programme")


# Programme, calendar and feed ----------------------------------------------------------------


PROGRAMME_PAGE_SIZE = 50


@login_required
@require_GET
def programme(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    audits = programme_audits(request.user, search=search)
    if status in Audit.Status.values:
        audits = audits.filter(status=status)
    else:
        status = ""
    # One query gives the count of each status (the section headings) and, summed, the
    # paginator's count.
    status_counts = dict(
        audits.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    paginator = Paginator(audits, PROGRAMME_PAGE_SIZE)
    paginator.count = sum(status_counts.values())
    page = paginator.get_page(request.GET.get("page"))
    # Where each status starts in the whole list: a section that began on an earlier page
    # is marked as continued.
    starts, position = {}, 0
    for value in Audit.Status.values:
        starts[value] = position
        position += status_counts.get(value, 0)
    by_status: dict[str, list[Audit]] = {}
    for audit in page.object_list:
        by_status.setdefault(audit.status, []).append(audit)
    groups = [
        (
            value,
            label,
            by_status[value],
            status_counts[value],
            starts[value] < page.start_index() - 1,
        )
        for value, label in Audit.Status.choices
        if value in by_status
    ]
    query = {key: value for key, value in (("q", search), ("status", status)) if value}
    return render(
        request,
        "audits/programme.html",
        {
            "groups": groups,
            "page": page,
            "query": urlencode(query),
            "search": search,
            "status": status,
            "statuses": Audit.Status.choices,
            "active_statuses": PROGRAMME_ACTIVE_STATUSES,
            "filtered": bool(query),
            "failing_alerts": concerns_with_failing_alerts(request.user),
        },
    )


def _month_from(value: str) -> datetime.date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in value.split("-"))
        return datetime.date(year, month, 1) if 1900 < year < 3000 else today.replace(day=1)
    except (ValueError, TypeError):
        return today.replace(day=1)


@login_required
@require_GET
def programme_calendar(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    month = _month_from(request.GET.get("month", ""))
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    dates = ics.programme_dates(audits_with_dates_between(request.user, first, last))
    by_day: dict[datetime.date, list] = {}
    for date in dates:
        by_day.setdefault(date.day, []).append(date)
    previous_month = (month - datetime.timedelta(days=1)).replace(day=1)
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    feed = calendar_feed_for(request.user)
    return render(
        request,
        "audits/calendar.html",
        {
            "month": month,
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
            "weekdays": [calendar.day_name[i] for i in range(7)],
            "month_dates": [d for d in dates if d.day.month == month.month],
            "previous_month": f"{previous_month:%Y-%m}",
            "next_month": f"{next_month:%Y-%m}",
            "today": timezone.localdate(),
            "feed_url": ics.feed_url(feed) if feed else "",
        },
    )


@require_GET
def programme_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The programme's dates for calendar apps: a secret, signed address instead of a session.
    Titles and dates only, never case data."""
    user = ics.feed_user(token)
    if user is None:
        raise Http404("No such calendar feed")
    body = ics.programme_ics(
        ics.programme_dates(audits_visible_to(user).order_by("returns_open")),
        calendar_name=f"{settings.PARTNERSHIP_NAME} audit programme",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="audit-programme.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_POST
def programme_ics_renew(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    ics.calendar_feed_issue(user=request.user)
    messages.success(
        request,
        "Your calendar address is ready. Any address you had before no longer works.",
    )
    return redirect("audits:calendar")


@login_required
@require_POST
def programme_ics_revoke(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    ics.calendar_feed_revoke(user=request.user)
    messages.success(request, "Your calendar address has been switched off.")
    return redirect("audits:calendar")


# Audits --------------------------------------------------------------------------------------


# Scheduling from a day of the calendar: returns open that day and are due this many days later.
RETURNS_WINDOW_DAYS = 21


def _dates_from(value: str) -> dict:
    """The form's dates for ?returns_open=YYYY-MM-DD (from the calendar); nothing if unreadable."""
    try:
        opens = datetime.date.fromisoformat(value)
    except ValueError:
        return {}
    return {"returns_open": opens, "returns_due": opens + datetime.timedelta(RETURNS_WINDOW_DAYS)}


@login_required
@require_http_methods(["GET", "POST"])
def audit_create(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    form = AuditForm(request.POST or None, initial=_dates_from(request.GET.get("returns_open", "")))
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{audit.title}” is scheduled. Now add its cases.")
            return redirect("audits:case-add", audit.pk)
    return render(request, "audits/audit_form.html", {"form": form, "audit": None})


@login_required
@require_http_methods(["GET", "POST"])
def audit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_business_team(request.user, pk)
    # The form validates a copy: the service compares against the audit as it is.
    form = AuditForm(request.POST or None, instance=copy.copy(audit))
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if not form.fields[k].disabled}
        try:
            services.audit_update(audit=audit, actor=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The audit has been saved.")
            return redirect(audit)
    return render(request, "audits/audit_form.html", {"form": form, "audit": audit})


@login_required
@require_GET
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_business_team(request.user, pk)
    audit = (
        Audit.objects.select_related("question_set", "created_by")
        .filter(pk=audit.pk)
        .annotate(item_count=Count("question_set__items", distinct=True))
        .get()
    )
    cases = audit_cases(audit)
    access_log(actor=request.user, code="audit.sample_viewed", target=audit)
    return_counts = dict(
        Return.objects.filter(audit=audit)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    next_statuses = [
        (status, Audit.Status(status).label, status == services.BACKWARD.get(audit.status))
        for status in services.audit_next_statuses(audit)
    ]
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "cases": cases,
            "spread": sample_spread(cases),
            "transitions": audit.transitions.select_related("actor"),
            "next_statuses": next_statuses,
            "return_summary": _return_summary(return_counts),
            "told": audit_opening_told(audit) if audit.opened_at else None,
            "cases_editable": audit.status in services.CASE_EDITABLE_STATUSES,
            "transition_form": TransitionForm(),
        },
    )


def _return_summary(counts: dict[str, int]) -> str:
    """ "6 returns: 4 not started, 2 submitted." (empty before the audit opens)."""
    total = sum(counts.values())
    if not total:
        return ""
    choices = Return.Status.choices
    parts = [f"{counts[value]} {label.lower()}" for value, label in choices if counts.get(value)]
    return f"{total} return{'' if total == 1 else 's'}: {', '.join(parts)}."


@login_required
@require_POST
def audit_transition(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_business_team(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(audit)
    to_status = form.cleaned_data["to_status"]
    try:
        services.audit_transition(
            audit=audit, to_status=to_status, actor=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        message = f"The audit is now “{audit.get_status_display()}”."
        if outbox.is_waiting(outbox.ref_for(audit)):
            message += (
                " The e-mails to practitioners are queued: they will go when the queue is back."
            )
        messages.success(request, message)
    return redirect(audit)


# Cases ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit's cases page: the sample so far, its spread, and a form to add a case."""
    audit = audit_get_for_business_team(request.user, pk)
    editable = audit.status in services.CASE_EDITABLE_STATUSES
    form = CaseForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            messages.error(request, "The cases of this audit can no longer change.")
            return redirect("audits:case-add", audit.pk)
        if form.is_valid():
            try:
                case = services.case_create(audit=audit, actor=request.user, **form.case_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                earlier = case.audits.exclude(pk=audit.pk).count()
                message = f"{case.pseudonym} has been added to the sample."
                if earlier:
                    message = (
                        f"{case.pseudonym} is already a child of the partnership (in "
                        f"{earlier} other audit{pluralize(earlier)}): added to this sample "
                        "with the record references it has."
                    )
                messages.success(request, message)
                return redirect("audits:case-add", audit.pk)
    cases = audit_cases(audit)
    access_log(actor=request.user, code="audit.sample_viewed", target=audit)
    return render(
        request,
        "audits/audit_cases.html",
        {
            "audit": audit,
            "cases": cases,
            "spread": sample_spread(cases),
            "form": form,
            "editable": editable,
        },
    )


def _sample_references(sample: SampleCase) -> dict[int, str]:
    """agency id -> record reference ("" if none) of the agencies this audit samples."""
    references = {}
    for involvement in sample.involvements.select_related("record_reference"):
        reference = getattr(involvement, "record_reference", None)
        references[involvement.agency_id] = reference.reference if reference else ""
    return references


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, audit_pk: int, pk: int) -> HttpResponse:
    sample = sample_case_get_for_business_team(request.user, audit_pk, pk)
    audit, case = sample.audit, sample.case
    form = CaseForm(request.POST or None, case=case, references=_sample_references(sample))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(audit=audit, case=case, actor=request.user, **form.case_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{case.pseudonym} has been saved.")
            return redirect("audits:case-add", audit.pk)
    access_log(actor=request.user, code="case.viewed", target=case)
    return render(
        request,
        "audits/case_form.html",
        {
            "audit": audit,
            "case": case,
            "form": form,
            "editable": audit.status in services.CASE_EDITABLE_STATUSES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_delete(request: HttpRequest, audit_pk: int, pk: int) -> HttpResponse:
    sample = sample_case_get_for_business_team(request.user, audit_pk, pk)
    audit, case = sample.audit, sample.case
    if request.method == "POST":
        pseudonym = case.pseudonym
        try:
            services.case_delete(audit=audit, case=case, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"{pseudonym} has been removed from the sample.")
        return redirect("audits:case-add", audit.pk)
    access_log(actor=request.user, code="case.viewed", target=case)
    return render(request, "audits/case_confirm_delete.html", {"audit": audit, "case": case})


# Question bank -------------------------------------------------------------------------------


@login_required
@require_GET
def question_bank(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "audits/question_bank.html",
        {"themes": question_bank_themes(request.user, search=query), "query": query},
    )


def _question_fields(form: QuestionForm) -> dict:
    data = form.cleaned_data
    return {
        "theme": data["theme"],
        "text": data["text"],
        "kind": data["kind"],
        "help_text": data["help_text"],
        "options": data["options"],
        "required": data["required"],
        "active": data["active"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    initial = {"required": True, "active": True, "theme": request.GET.get("theme")}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(actor=request.user, **_question_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The question has been added to the bank.")
            return redirect(reverse("audits:question-bank") + f"#question-{question.pk}")
    return render(request, "audits/question_form.html", {"form": form, "question": None})


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_get_for_business_team(request.user, pk)
    form = QuestionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                question=question, actor=request.user, **_question_fields(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "The question has been saved. Audits that have opened keep the wording they asked.",
            )
            return redirect(reverse("audits:question-bank") + f"#question-{question.pk}")
    return render(request, "audits/question_form.html", {"form": form, "question": question})


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_get_for_business_team(request.user, pk)
    try:
        services.question_move(
            question=question, direction=request.POST.get("direction", ""), actor=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(reverse("audits:question-bank") + f"#question-{question.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def theme_create(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    form = ThemeForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The theme “{theme.name}” has been added.")
            return redirect(reverse("audits:question-bank") + f"#theme-{theme.pk}")
    return render(request, "audits/theme_form.html", {"form": form, "theme": None})


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = theme_get_for_business_team(request.user, pk)
    form = ThemeForm(request.POST or None, instance=copy.copy(theme))
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(theme=theme, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The theme has been saved.")
            return redirect(reverse("audits:question-bank") + f"#theme-{theme.pk}")
    return render(request, "audits/theme_form.html", {"form": form, "theme": theme})


# Question sets -------------------------------------------------------------------------------


@login_required
@require_GET
def questionset_list(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "audits/questionset_list.html",
        {"question_sets": question_sets_visible_to(request.user, search=query), "query": query},
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionset_create(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    form = QuestionSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question_set = services.questionset_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                questions=form.cleaned_data["questions"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The question set “{question_set}” has been created.")
            return redirect("audits:questionset-detail", question_set.pk)
    return render(request, "audits/questionset_form.html", {"form": form, "question_set": None})


@login_required
@require_GET
def questionset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = questionset_get_for_business_team(request.user, pk)
    return render(
        request,
        "audits/questionset_detail.html",
        {
            "question_set": question_set,
            "groups": questionset_items_by_theme(question_set),
            "audits": question_set.audits.order_by("returns_open"),
            "versions": question_sets_visible_to(request.user).filter(name=question_set.name),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = questionset_get_for_business_team(request.user, pk)
    if question_set.is_frozen:
        messages.error(request, services.FROZEN_SET_MESSAGE)
        return redirect("audits:questionset-detail", question_set.pk)
    form = QuestionSetForm(request.POST or None, question_set=question_set)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionset_update(
                question_set=question_set,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                questions=form.cleaned_data["questions"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The question set has been saved.")
            return redirect("audits:questionset-detail", question_set.pk)
    return render(
        request, "audits/questionset_form.html", {"form": form, "question_set": question_set}
    )


@login_required
@require_POST
def questionset_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = questionset_get_for_business_team(request.user, pk)
    try:
        clone = services.questionset_new_version(question_set=question_set, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("audits:questionset-detail", question_set.pk)
    messages.success(request, f"Version {clone.version} has been made: you can edit it.")
    return redirect("audits:questionset-detail", clone.pk)
