"""The aggregate data feed (CSV and JSON for Power BI and Excel) and the business team's page
that creates, names and revokes its tokens."""

import json

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal.access import require
from auditportal.auditlog import access_log
from findings.feed import (
    feed_rows,
    feed_token_authenticate,
    feed_token_create,
    feed_token_revoke,
    render_csv,
    render_json,
)
from findings.feed_refusals import refusal_recorded, retry_after
from findings.models import FeedToken

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


class FeedTokenForm(forms.Form):
    name = forms.CharField(
        label="Name of the token",
        max_length=120,
        help_text='Who or what will read the feed, e.g. "Board Power BI report".',
        error_messages={"required": "Name the token so you know what to revoke later."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


@login_required
@require_http_methods(["GET", "POST"])
def feed_tokens(request: HttpRequest) -> HttpResponse:
    require(request.user, "findings.manage_findings")
    new_token = ""
    status = 200
    if request.method == "POST":
        form = FeedTokenForm(request.POST)
        if form.is_valid():
            try:
                _, new_token = feed_token_create(actor=request.user, name=form.cleaned_data["name"])
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("name", message)
                status = 400
            else:
                form = FeedTokenForm()
        else:
            status = 400
    else:
        form = FeedTokenForm()
    response = render(
        request,
        "findings/feed_tokens.html",
        {
            "form": form,
            "tokens": FeedToken.objects.select_related("created_by", "revoked_by").order_by(
                F("revoked_at").asc(nulls_first=True), "-created_at", "-pk"
            ),
            "new_token": new_token,
            "csv_url": request.build_absolute_uri(reverse("findings:feed-data", args=["csv"])),
            "json_url": request.build_absolute_uri(reverse("findings:feed-data", args=["json"])),
        },
        status=status,
    )
    if new_token:
        response["Cache-Control"] = "no-store"  # shown once: not again from the cache
    return response


@login_required
@require_POST
def feed_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "findings.manage_findings")
    feed_token = get_object_or_404(FeedToken.objects.all(), pk=pk)
    try:
        feed_token_revoke(actor=request.user, feed_token=feed_token)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Revoked “{feed_token.name}”: it reads nothing from now on.")
    return redirect("findings:feed-tokens")


def _bearer(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _refused(request: HttpRequest, fmt: str, reason: str) -> HttpResponse:
    # The trail says a read was refused and why (the first per range per minute); it never
    # holds what was sent.
    refusal_recorded(request, fmt=fmt, reason=reason)
    response = HttpResponse(
        json.dumps({"error": "A valid data feed token is required (Authorization: Bearer)."}),
        content_type="application/json",
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="auditportal-feed"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def feed_data(request: HttpRequest, fmt: str) -> HttpResponse:
    """The board dashboard's aggregate figures. No session: a token in the Authorization
    header, checked against the stored hashes; every read is in the trail, and the first
    refusal per address range per minute (findings.feed_refusals)."""
    if fmt not in CONTENT_TYPES:
        return HttpResponse("Unknown format: use figures.csv or figures.json.", status=404)
    wait = retry_after(request)
    if wait is not None:
        response = HttpResponse(
            json.dumps({"error": "Too many refused reads from your network: try again later."}),
            content_type="application/json",
            status=429,
        )
        response["Retry-After"] = str(wait)
        response["Cache-Control"] = "no-store"
        return response
    token = _bearer(request)
    if not token:
        return _refused(request, fmt, "no token")
    feed_token = feed_token_authenticate(token)
    if feed_token is None:
        return _refused(request, fmt, "unknown or revoked token")
    meta, rows = feed_rows()
    access_log(
        actor=None,
        code="feed.read",
        target=feed_token,
        changes={"format": fmt, "rows": len(rows)},
    )
    FeedToken.objects.filter(pk=feed_token.pk).update(last_used_at=timezone.now())
    body = render_csv(rows) if fmt == "csv" else render_json(meta, rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    if fmt == "csv":
        response["Content-Disposition"] = 'inline; filename="partnership-figures.csv"'
    response["Cache-Control"] = "no-store"
    return response
