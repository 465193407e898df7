"""The audit trail for the business team, administrators and the data protection officer:
search, page through and export (CSV) every change, view and security event; and the
retention page (purge dates, legal hold, purge records). Read-only: there is no way to edit
or delete the trail through the app."""

import csv
import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from audits.selectors import audits_visible_to
from cases.models import Partnership, PurgeRecord
from cases.retention import audit_set_legal_hold, purge_due_on

from .auditlog import audit_log
from .models import AuditEvent
from .trail import describe_rows, target_type_choices, trail_rows

PAGE_SIZE = 50


class TrailSearchForm(forms.Form):
    user = forms.CharField(label="User", required=False, max_length=150)
    verb = forms.CharField(
        label="Action contains", required=False, max_length=60, help_text='e.g. "viewed"'
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any"), *AuditEvent.Kind.choices]
    )
    target_type = forms.ChoiceField(label="Record type", required=False, choices=[])
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = [("", "Any"), *target_type_choices()]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("The 'From' date must be on or before the 'To' date.")
        return data


def _require_business_team(request: HttpRequest) -> None:
    if not request.user.is_business_team:
        raise PermissionDenied("Only the business team and administrators can see the trail.")


def _filters(form: TrailSearchForm) -> dict:
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    return {
        "user_q": data.get("user") or "",
        "verb": data.get("verb") or "",
        "kind": data.get("kind") or "",
        "target_type": data.get("target_type") or "",
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
    }


@login_required
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    _require_business_team(request)
    form = TrailSearchForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        rows = trail_rows(**_filters(form))
        paginator = Paginator(rows, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        page.rows = describe_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trail/events.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """Stop spreadsheet formula injection: a cell never starts with = + - @ or a tab."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    _require_business_team(request)
    form = TrailSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "trail/events.html", {"form": form, "page": None}, status=400)
    rows = trail_rows(**_filters(form))
    audit_log(
        actor=request.user,
        verb="exported the audit trail",
        kind=AuditEvent.Kind.ACCESS,
        changes={k: str(v) for k, v in _filters(form).items() if v},
    )

    def generate():
        writer = csv.writer(_Echo())
        yield writer.writerow(
            ["When (UTC)", "Who", "Kind", "Action", "Record type", "Record id", "Record", "Details"]
        )
        chunk = 500
        offset = 0
        while True:
            raw = list(rows[offset : offset + chunk])
            if not raw:
                break
            for row in describe_rows(raw):
                yield writer.writerow(
                    [
                        _cell(row.at.astimezone(datetime.UTC).isoformat(timespec="seconds")),
                        _cell(row.actor),
                        _cell(row.kind),
                        _cell(row.action),
                        _cell(row.target_type),
                        _cell(row.target_id),
                        _cell(row.target),
                        _cell("; ".join(row.details)),
                    ]
                )
            offset += chunk

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response


@login_required
@require_GET
def retention(request: HttpRequest) -> HttpResponse:
    _require_business_team(request)
    audits = list(
        audits_visible_to(request.user).filter(closed_at__isnull=False).order_by("closed_at", "pk")
    )
    for audit in audits:
        audit.purge_due = purge_due_on(audit)
    return render(
        request,
        "trail/retention.html",
        {
            "audits": audits,
            "purges": PurgeRecord.objects.all()[:100],
            "retention_days": Partnership.load().retention_days,
        },
    )


@login_required
@require_POST
def legal_hold(request: HttpRequest, audit_pk: int) -> HttpResponse:
    _require_business_team(request)
    audit = audits_visible_to(request.user).filter(pk=audit_pk).first()
    if audit is None:
        raise Http404("No such audit")
    hold = request.POST.get("hold") == "on"
    try:
        audit_set_legal_hold(audit=audit, hold=hold, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Legal hold {'placed on' if hold else 'lifted from'} “{audit.title}”.",
        )
    return redirect("trail:retention")
