"""Briefing pages: load through a selector, validate with a form, write with a service."""

import datetime
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal import outbox
from auditportal.access import allowed, require
from auditportal.auditlog import access_log
from auditportal.forms import add_service_errors

from . import services
from .data import SECTION_FIELDS, SECTIONS_BY_FIELD, snapshot
from .document import document_context, web_context
from .draft_views import composer_form, conflict_changes, save_form
from .forms import PublishedFilterForm, UseForm
from .models import Briefing, BriefingVersion
from .pulse import pulse_reach
from .selectors import (
    agencies_for_use_record,
    audit_get_for_composer,
    briefing_get_for_composer,
    briefing_get_for_use_record,
    downloads_of,
    public_link_get,
    public_link_get_for_business,
    public_links_of,
    published_briefings_visible_to,
    published_filter_choices,
    reach_by_format,
    reach_by_month,
    suppression_threshold,
    take_up_by_agency,
    uses_visible_to,
    version_get_for_business,
    version_get_for_download,
    version_get_for_reading,
    versions_of,
)
from .services.drafts import BriefingConflict


def _error_text(error: ValidationError) -> list[str]:
    return list(error.messages)


def _composer_url(briefing: Briefing) -> str:
    return reverse("briefings:composer", args=[briefing.audit_id])


# The composer lists the newest versions (and the published one); the rest behind a link, so a
# briefing rendered many times keeps a light table and cheap polls.
SHOWN_VERSIONS = 10


def _listed_versions(request: HttpRequest, briefing: Briefing) -> tuple[list, int]:
    """The versions the table shows, and how many the briefing has when some are left out
    (0 when all are shown)."""
    queryset = versions_of(briefing)
    if request.GET.get("versions") == "all":
        return list(queryset), 0
    versions = list(queryset[: SHOWN_VERSIONS + 1])
    if len(versions) <= SHOWN_VERSIONS:
        return versions, 0
    versions = versions[:SHOWN_VERSIONS]
    published = briefing.published_version_id
    if published and all(v.pk != published for v in versions):
        versions.append(queryset.get(pk=published))
    return versions, queryset.count()


def _versions_context(request: HttpRequest, briefing: Briefing) -> dict:
    versions, total = _listed_versions(request, briefing)
    now = timezone.now()
    for version in versions:
        version.waiting_for_worker = (
            version.status == BriefingVersion.Status.QUEUED
            and not version.waiting_for_queue
            and now - version.handed_over_at > services.WAITING_AFTER
        )
        version.rerun_from = services.version_rerun_from(version)
        version.can_rerun = version.status == BriefingVersion.Status.FAILED or (
            version.rerun_from is not None and now >= version.rerun_from
        )
    in_progress = [v for v in versions if v.is_in_progress]
    poll_every = None
    if in_progress:
        newest = max(v.handed_over_at for v in in_progress)
        poll_every = "250ms" if now - newest <= FAST_POLL_FOR else "2s"
    return {
        "briefing": briefing,
        "versions": versions,
        "versions_total": total,
        "shown_versions": SHOWN_VERSIONS,
        "all_versions": request.GET.get("versions") == "all",
        "polling": bool(in_progress),
        "poll_every": poll_every,
        "poll_state": _poll_state(versions, poll_every),
    }


# A render usually takes about a second: the page asks four times a second at first, so "Ready"
# shows within a quarter of a second of the worker finishing, then every 2 s for a render that
# waits (a busy or stopped worker). A poll that would show the same table answers 204 (htmx
# leaves the page alone), so the quick polls cost one small query each.
FAST_POLL_FOR = datetime.timedelta(seconds=20)


def _poll_state(versions: list[BriefingVersion], poll_every: str | None) -> str:
    """A digest of what the versions table shows (and how often it polls)."""
    shown = [
        (v.pk, v.status, v.waiting_for_queue, v.waiting_for_worker, v.can_rerun, v.error)
        for v in versions
    ]
    return hashlib.blake2s(repr((shown, poll_every)).encode(), digest_size=8).hexdigest()


def _composer_data(request: HttpRequest):
    """The posted composer, with the version the user chose to save over after a conflict
    ("Keep my text": the conflict panel's button carries the version now saved)."""
    chosen = request.POST.get("version_chosen", "")
    if not chosen.isdigit() or len(chosen) > 10:
        return request.POST
    data = request.POST.copy()
    data["version"] = chosen
    return data


@login_required
@require_http_methods(["GET", "POST"])
def composer(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = audit_get_for_composer(request.user, audit_pk)
    briefing = services.briefing_get_or_create(audit=audit, actor=request.user)
    data = _composer_data(request) if request.method == "POST" else None
    form = composer_form(data, briefing, audit)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_form(request, briefing, form)
        except BriefingConflict as error:
            conflict = {
                "message": " ".join(error.messages),
                "version": error.current_version,
                "changes": conflict_changes(error, form),
            }
        except ValidationError as error:
            for message in _error_text(error):
                form.add_error(None, message)
        else:
            when = timezone.localtime(saved.updated_at).strftime("%H:%M")
            messages.success(
                request, f"Briefing saved at {when}. Render a PDF when the text is ready."
            )
            return redirect(_composer_url(briefing))
    if request.method == "POST":
        briefing.refresh_from_db()
    else:
        access_log(actor=request.user, code="briefing.viewed", target=briefing)
    context = {
        "audit": audit,
        "briefing": briefing,
        "form": form,
        "conflict": conflict,
        "section_fields": [form[field] for field in SECTION_FIELDS],
        "downloads": downloads_of(briefing),
        "suppress_below": suppression_threshold(),
        "public_links": [
            (link, request.build_absolute_uri(link.get_absolute_url()))
            for link in (public_links_of(briefing) if briefing.published_version_id else [])
        ],
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "login_url": reverse(settings.LOGIN_URL),
        **_versions_context(request, briefing),
    }
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "briefings/composer.html", context, status=status)


@login_required
@require_POST
def refill(request: HttpRequest, audit_pk: int) -> HttpResponse:
    briefing = briefing_get_for_composer(request.user, audit_pk)
    field = request.POST.get("field", "")
    try:
        services.briefing_refill_section(briefing=briefing, field=field, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(_error_text(error)))
    else:
        section = SECTIONS_BY_FIELD[field]
        messages.success(request, f"Point {section.number} was refilled from the audit's data.")
    return redirect(_composer_url(briefing))


@login_required
@require_POST
def render_version(request: HttpRequest, audit_pk: int) -> HttpResponse:
    briefing = briefing_get_for_composer(request.user, audit_pk)
    version = services.briefing_render(briefing=briefing, actor=request.user)
    if outbox.is_waiting(outbox.ref_for(version)):
        queued = "queued: it will start when the queue is back"
    else:
        queued = "queued for rendering"
    messages.info(request, f"Version {version.number} is {queued}. Its status updates below.")
    return redirect(_composer_url(briefing) + "#versions")


@login_required
@require_GET
def versions_partial(request: HttpRequest, audit_pk: int) -> HttpResponse:
    briefing = briefing_get_for_composer(request.user, audit_pk)
    context = _versions_context(request, briefing)
    if request.GET.get("state") == context["poll_state"]:
        return HttpResponse(status=204)
    return render(request, "briefings/_versions.html", context)


@login_required
@require_GET
def preview(request: HttpRequest, audit_pk: int) -> HttpResponse:
    briefing = briefing_get_for_composer(request.user, audit_pk)
    context = document_context(
        snapshot(briefing), version_label="Preview: not yet rendered", preview=True
    )
    context["back_url"] = _composer_url(briefing)
    access_log(actor=request.user, code="briefing.previewed", target=briefing)
    return render(request, "briefings/pdf/briefing.html", context)


@login_required
@require_POST
def preview_live(request: HttpRequest, audit_pk: int) -> HttpResponse:
    """The composer's preview beside the text, from what is typed (htmx, debounced): nothing
    is saved. Not logged per keystroke: opening the composer wrote its access row."""
    briefing = briefing_get_for_composer(request.user, audit_pk)
    # The instance is loaded for this request only, and never saved here.
    form = composer_form(request.POST, briefing)
    if not form.is_valid():
        return render(request, "briefings/_live_preview.html", {"form": form, "invalid": True})
    # A validated ModelForm's instance holds the typed values (unsaved).
    unsaved = form.instance
    content = snapshot(
        unsaved, resources=form.cleaned_data["resources"], quotes=form.cleaned_data["quotes"]
    )
    context = web_context(content, version_label="Preview as typed: not rendered")
    context.update(point_level=3, panel_level=4)
    return render(request, "briefings/_live_preview.html", context)


def _version_action(request: HttpRequest, pk: int, action) -> HttpResponse:
    version = version_get_for_business(request.user, pk)
    try:
        message = action(version)
    except ValidationError as error:
        for text in _error_text(error):
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(_composer_url(version.briefing) + "#versions")


@login_required
@require_POST
def version_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    def rerun(version):
        services.version_rerun(version=version, actor=request.user)
        if outbox.is_waiting(outbox.ref_for(version)):
            return f"Version {version.number} is queued: it will start when the queue is back."
        return f"Version {version.number} is queued to render again."

    return _version_action(request, pk, rerun)


@login_required
@require_POST
def version_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def approve(version):
        services.version_approve(version=version, actor=request.user)
        return f"Version {version.number} is approved. It can now be published."

    return _version_action(request, pk, approve)


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    def publish(version):
        services.briefing_publish(version=version, actor=request.user)
        return (
            f"Version {version.number} is published: board members and every practitioner "
            "can now read it on the web and download the PDF."
        )

    return _version_action(request, pk, publish)


@login_required
@require_GET
def version_download(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_get_for_download(request.user, pk)
    try:
        handle = version.pdf.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The PDF file is missing.") from None
    services.version_download_record(version=version, actor=request.user)
    filename = f"{slug_for(version.briefing.title)}-v{version.number}.pdf"
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _reading_context(version: BriefingVersion) -> dict:
    return web_context(version.content, version_label=services.version_read_label(version))


@login_required
@require_GET
def version_read(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_get_for_reading(request.user, pk)
    services.version_read_record(version=version, actor=request.user)
    context = _reading_context(version)
    context["version"] = version
    return render(request, "briefings/read.html", context)


@require_GET
def public_version(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: the published version at its unguessable link (404 once withdrawn)."""
    link = public_link_get(token)
    context = _reading_context(link.version)
    context["allow_indexing"] = link.allow_indexing
    response = render(request, "briefings/public.html", context)
    if not link.allow_indexing:
        response["X-Robots-Tag"] = "noindex, nofollow"
    # No copy kept on the way (a proxy, the browser): a withdrawal holds at once.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def version_public_link(request: HttpRequest, pk: int) -> HttpResponse:
    def create(version):
        allow_indexing = request.POST.get("allow_indexing") == "on"
        services.public_link_create(
            version=version, actor=request.user, allow_indexing=allow_indexing
        )
        return f"Version {version.number} has a public link: anyone with it can read it."

    version = version_get_for_business(request.user, pk)
    try:
        message = create(version)
    except ValidationError as error:
        for text in _error_text(error):
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(_composer_url(version.briefing) + "#public-version")


@login_required
@require_POST
def public_link_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    link = public_link_get_for_business(request.user, pk)
    try:
        services.public_link_withdraw(link=link, actor=request.user)
    except ValidationError as error:
        for text in _error_text(error):
            messages.error(request, text)
    else:
        messages.success(request, "The public link is withdrawn: it now answers “not found”.")
    return redirect(_composer_url(link.version.briefing) + "#public-version")


def slug_for(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)[:80] or "briefing"


@login_required
@require_GET
def published(request: HttpRequest) -> HttpResponse:
    require(request.user, "briefings.view_published")
    priorities, years = published_filter_choices()
    form = PublishedFilterForm(request.GET or None, priorities=priorities, years=years)
    priority, year = "", None
    if form.is_bound and form.is_valid():
        priority, year = form.cleaned_data["priority"], form.cleaned_data["year"]
    briefings = published_briefings_visible_to(request.user, priority=priority, year=year)
    return render(
        request,
        "briefings/published.html",
        {
            "briefings": briefings,
            "form": form,
            "filtered": bool(priority or year),
            "can_record_use": allowed(request.user, "briefings.record_use"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def use_record(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = briefing_get_for_use_record(request.user, pk)
    agencies = agencies_for_use_record(request.user)
    form = UseForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            services.briefing_use_record(briefing=briefing, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you: the learning event is recorded.")
            return redirect("briefings:use-record", pk=briefing.pk)
    uses = (
        uses_visible_to(request.user)
        .filter(briefing=briefing)
        .select_related("agency", "recorded_by")
        .order_by("-used_on", "-pk")
    )
    return render(
        request,
        "briefings/use_record.html",
        {"briefing": briefing, "form": form, "uses": uses},
        status=400 if form.errors else 200,
    )


def _reach_context(user, *, search: str = "") -> dict:
    require(user, "briefings.view_reach")
    return {
        "query": search,
        "rows": take_up_by_agency(user, search=search),
        "months": reach_by_month(user),
        "formats": reach_by_format(user),
        "pulses": pulse_reach(suppress_below=suppression_threshold()),
    }


@login_required
@require_GET
def take_up(request: HttpRequest) -> HttpResponse:
    """The reach of published briefings: learning events by agency (searchable), month and
    format."""
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "briefings/take_up.html", _reach_context(request.user, search=query))


@login_required
@require_GET
def reach_partial(request: HttpRequest) -> HttpResponse:
    """The same tables for the board dashboard, which loads them (htmx) into its page."""
    return render(request, "briefings/_reach.html", _reach_context(request.user))
