"""Reads of briefings, scoped by role. The business team composes and sees every version;
everyone else sees published briefings and their published versions only."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from accounts.models import User
from auditportal.access import allowed, require
from audits.models import Audit
from audits.selectors import audits_visible_to
from cases.models import Agency, Partnership
from cases.selectors import agencies_of

from .models import Briefing, BriefingDownload, BriefingPublicLink, BriefingUse, BriefingVersion


def published_briefings_visible_to(
    user: User, *, priority: str = "", year: int | None = None
) -> QuerySet[Briefing]:
    """Every signed-in role may read published briefings: they hold aggregate figures only."""
    if not user.is_authenticated:
        return Briefing.objects.none()
    briefings = (
        Briefing.objects.filter(status=Briefing.Status.PUBLISHED, published_version__isnull=False)
        .select_related("audit", "published_version")
        .order_by("-published_at", "-pk")
    )
    if priority:
        briefings = briefings.filter(audit__priority=priority)
    if year:
        briefings = briefings.filter(published_at__year=year)
    return briefings


def published_filter_choices() -> tuple[list[str], list[int]]:
    published = Briefing.objects.filter(status=Briefing.Status.PUBLISHED)
    priorities = sorted(set(published.values_list("audit__priority", flat=True)))
    years = sorted({d.year for d in published.dates("published_at", "year")}, reverse=True)
    return priorities, years


def suppression_threshold() -> int:
    """The partnership's threshold, read without writing: a page (even a refused form) must
    not create the settings row. No row yet: the default a new partnership gets."""
    stored = Partnership.objects.filter(pk=1).values_list("suppression_threshold", flat=True)
    threshold = stored.first()
    if threshold is None:
        return Partnership._meta.get_field("suppression_threshold").get_default()
    return threshold


def audit_get_for_composer(user: User, audit_pk: int) -> Audit:
    """Business team only: an audit a practitioner can see is refused (403), any other 404."""
    audit = get_object_or_404(audits_visible_to(user), pk=audit_pk)
    require(user, "briefings.compose_briefing", audit)
    return audit


def briefing_get_for_composer(user: User, audit_pk: int) -> Briefing:
    audit = audit_get_for_composer(user, audit_pk)
    return get_object_or_404(Briefing.objects.select_related("audit"), audit=audit)


def versions_visible_to(user: User) -> QuerySet[BriefingVersion]:
    """Business team: every version (superseded ones too). Others: published versions."""
    if not user.is_authenticated:
        return BriefingVersion.objects.none()
    if user.is_business_team:
        return BriefingVersion.objects.all()
    published = Briefing.objects.filter(status=Briefing.Status.PUBLISHED).values(
        "published_version"
    )
    return BriefingVersion.objects.filter(pk__in=published)


def version_get_for_download(user: User, pk: int) -> BriefingVersion:
    versions = versions_visible_to(user).filter(status=BriefingVersion.Status.READY)
    version = get_object_or_404(versions.select_related("briefing"), pk=pk)
    if not version.pdf:
        raise PermissionDenied  # pragma: no cover - a ready version always has its file
    return version


def version_get_for_word(user: User, pk: int) -> BriefingVersion:
    """The Word version: only of a published version (the one everyone reads), for everyone
    who may download its PDF. A draft or superseded version is not found, for every role."""
    versions = versions_visible_to(user).filter(
        status=BriefingVersion.Status.READY,
        pk__in=Briefing.objects.filter(status=Briefing.Status.PUBLISHED).values(
            "published_version"
        ),
    )
    return get_object_or_404(versions.select_related("briefing__audit"), pk=pk)


def version_get_for_reading(user: User, pk: int) -> BriefingVersion:
    """The web briefing: the published version for every signed-in role (board members and
    every practitioner of the partnership), any ready version for the business team."""
    versions = versions_visible_to(user).filter(status=BriefingVersion.Status.READY)
    return get_object_or_404(versions.select_related("briefing"), pk=pk)


def public_link_get(token: str) -> BriefingPublicLink:
    """A live link to a version that is still its briefing's published version; anything
    else (withdrawn, superseded, unknown) is a plain 404."""
    links = BriefingPublicLink.objects.filter(
        withdrawn_at__isnull=True,
        version__status=BriefingVersion.Status.READY,
        version__briefing__status=Briefing.Status.PUBLISHED,
        version__briefing__published_version=F("version"),
    )
    return get_object_or_404(links.select_related("version"), token=token)


def public_links_of(briefing: Briefing) -> QuerySet[BriefingPublicLink]:
    return (
        BriefingPublicLink.objects.filter(version__briefing=briefing, withdrawn_at__isnull=True)
        .select_related("version", "created_by")
        .order_by("-created_at", "-pk")
    )


def public_link_get_for_business(user: User, pk: int) -> BriefingPublicLink:
    require(user, "briefings.compose_briefing")
    return get_object_or_404(BriefingPublicLink.objects.select_related("version"), pk=pk)


def version_get_for_business(user: User, pk: int) -> BriefingVersion:
    version = get_object_or_404(
        versions_visible_to(user).select_related("briefing", "briefing__audit"), pk=pk
    )
    require(user, "briefings.compose_briefing", version)
    return version


def versions_of(briefing: Briefing) -> QuerySet[BriefingVersion]:
    return (
        briefing.versions.with_queue_state()
        .select_related("created_by", "approved_by")
        .order_by("-number")
    )


def downloads_of(briefing: Briefing, *, limit: int = 50) -> QuerySet[BriefingDownload]:
    return (
        BriefingDownload.objects.filter(version__briefing=briefing)
        .select_related("user", "version")
        .order_by("-at", "-pk")[:limit]
    )


def agencies_for_use_record(user: User) -> QuerySet[Agency]:
    """The business team records for any agency, a practitioner for their own agencies."""
    if user.is_business_team:
        return Agency.objects.filter(active=True)
    if user.is_practitioner:
        return agencies_of(user)
    return Agency.objects.none()


def briefing_get_for_use_record(user: User, pk: int) -> Briefing:
    briefing = get_object_or_404(published_briefings_visible_to(user), pk=pk)
    require(user, "briefings.record_use", briefing)
    return briefing


def uses_visible_to(user: User) -> QuerySet[BriefingUse]:
    if user.is_business_team:
        return BriefingUse.objects.all()
    if user.is_practitioner:
        return BriefingUse.objects.filter(agency__memberships__user=user)
    return BriefingUse.objects.none()


def _may_see_reach(user: User) -> bool:
    return allowed(user, "briefings.view_reach")


def take_up_by_agency(
    user: User, briefing: Briefing | None = None, *, search: str = ""
) -> QuerySet[Agency]:
    """Agencies with the number of learning events and attendance (business team, board);
    with a search, the agencies whose name or short name has it."""
    if not _may_see_reach(user):
        raise PermissionDenied
    scope = Q(briefing_uses__briefing=briefing) if briefing is not None else Q()
    agencies = Agency.objects.all()
    if search:
        agencies = agencies.filter(Q(name__icontains=search) | Q(short_name__icontains=search))
    return (
        agencies.annotate(
            uses=Count("briefing_uses", filter=scope),
            staff=Sum("briefing_uses__staff_reached", filter=scope),
            briefings=Count("briefing_uses__briefing", filter=scope, distinct=True),
        )
        .filter(Q(active=True) | Q(uses__gt=0))
        .order_by("-uses", "name")
    )


def reach_by_month(user: User) -> list[dict]:
    """Learning events and attendance per month, newest first (business team, board)."""
    if not _may_see_reach(user):
        raise PermissionDenied
    rows = (
        BriefingUse.objects.annotate(month=TruncMonth("used_on"))
        .values("month")
        .annotate(events=Count("pk"), attendance=Sum("staff_reached"))
        .order_by("-month")
    )
    return [dict(row) for row in rows]


def reach_by_format(user: User) -> list[dict]:
    if not _may_see_reach(user):
        raise PermissionDenied
    labels = dict(BriefingUse.Format.choices)
    rows = (
        BriefingUse.objects.values("format")
        .annotate(events=Count("pk"), attendance=Sum("staff_reached"))
        .order_by("-events", "format")
    )
    return [{**row, "label": labels.get(row["format"], row["format"])} for row in rows]
