"""The audit trail for the business team, administrators and the data protection officer:
search, page through and export (CSV) every change, view and security event; and the
retention page (purge dates, legal hold, purge records). Read-only: there is no way to edit
or delete the trail through the app."""

import csv
import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .access import require
from .auditlog import audit_log
from .models import AuditEvent
from .trail import describe_rows, target_type_choices, trail_rows
from .trail_records import CaseMatch, RecordScope, cases_named, record_scope

PAGE_SIZE = 50


class TrailSearchForm(forms.Form):
    # A record's own trail: "<type>:<id>", set by the "Who has seen this?" links.
    record = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    case = forms.CharField(
        label="Child (case pseudonym)",
        required=False,
        max_length=30,
        help_text='e.g. "YP1": every view and change of that child\'s case, returns and answers',
    )
    user = forms.CharField(label="User", required=False, max_length=150)
    # Exactly one user's actions (the admin's "What this user did" link).
    actor = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    event = forms.CharField(
        label="Event contains",
        required=False,
        max_length=60,
        help_text='e.g. "viewed", "downloaded" or "return.viewed"',
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
        self.scope: RecordScope | None = None
        self.case_matches: list[CaseMatch] = []

    def clean_record(self) -> str:
        value = self.cleaned_data.get("record", "").strip()
        if value:
            self.scope = record_scope(value)
            if self.scope is None:
                raise ValidationError("That record is not in the trail.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("The 'From' date must be on or before the 'To' date.")
        pseudonym = (data.get("case") or "").strip()
        if pseudonym and not data.get("record") and "record" not in self.errors:
            matches = cases_named(pseudonym)
            if not matches:
                self.add_error("case", f"No case is called “{pseudonym}”.")
            elif len(matches) == 1:
                self.scope = record_scope(matches[0].key)
            else:
                self.case_matches = matches
        return data


def _require_business_team(request: HttpRequest) -> None:
    # The rule is accounts.rules' (the business team); auditportal imports no app, so it asks
    # by name.
    require(request.user, "auditportal.view_trail")


def _filters(form: TrailSearchForm) -> dict:
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    return {
        "user_q": data.get("user") or "",
        "actor_id": data.get("actor"),
        "event": data.get("event") or "",
        "kind": data.get("kind") or "",
        "target_type": data.get("target_type") or "",
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
        "scope": form.scope,
    }


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _actor(form: TrailSearchForm):
    actor_id = form.cleaned_data.get("actor") if form.is_valid() else None
    return get_user_model().objects.filter(pk=actor_id).first() if actor_id else None


@login_required
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    _require_business_team(request)
    form = TrailSearchForm(request.GET or None)
    page = None
    if not form.is_bound or (form.is_valid() and not form.case_matches):
        rows = trail_rows(**_filters(form))
        paginator = Paginator(rows, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        page.rows = describe_rows(page.object_list)
    return render(
        request,
        "trail/events.html",
        {
            "form": form,
            "page": page,
            "scope": form.scope,
            "case_matches": form.case_matches,
            "query": _query_without(request, "page"),
            # Choosing one of several children named alike keeps the other filters.
            "choice_query": _query_without(request, "page", "case", "record"),
            "whole_trail_query": _query_without(request, "page", "case", "record"),
            "actor_user": _actor(form),
            "all_actors_query": _query_without(request, "page", "actor"),
        },
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
    if form.case_matches:  # several children share the pseudonym: choose one on the page
        return redirect(reverse("trail:events") + "?" + request.GET.urlencode())
    filters = _filters(form)
    rows = trail_rows(**filters)
    logged = {k: str(v) for k, v in filters.items() if v and k != "scope"}
    if form.scope is not None:
        logged["record"] = form.scope.key
    audit_log(actor=request.user, code="trail.exported", changes=logged)

    def generate():
        # A byte-order mark so spreadsheet programs read the file as UTF-8 ("–", "é").
        yield "\ufeff"
        writer = csv.writer(_Echo())
        yield writer.writerow(
            [
                "When (UTC)",
                "Who",
                "Kind",
                "Event code",
                "Event",
                "Record type",
                "Record id",
                "Record",
                "Part of",
                "Details",
            ]
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
                        _cell(row.code),
                        _cell(row.label),
                        _cell(row.target_type),
                        _cell(row.target_id),
                        _cell(row.target),
                        _cell(row.part_of[2] if row.part_of else ""),
                        _cell("; ".join(row.details)),
                    ]
                )
            offset += chunk

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"audit-trail-{form.scope.file_slug}-{stamp}" if form.scope else f"audit-trail-{stamp}"
    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
