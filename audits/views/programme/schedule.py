"""The audit programme: its list, the calendar and the calendar feed (and its link)."""

import calendar
import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from audits import ics
from audits.models import Audit
from audits.selectors import (
    PROGRAMME_ACTIVE_STATUSES,
    audits_visible_to,
    audits_with_dates_between,
    calendar_feed_for,
    concerns_with_failing_alerts,
    programme_audits,
)

from .common import business_team_required

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
