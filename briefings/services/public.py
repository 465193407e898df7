"""The public version of a briefing: its link, made and withdrawn."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log

from .. import disclosure
from ..document import public_html
from ..models import Briefing, BriefingPublicLink, BriefingVersion
from .common import _require_business_team
from .rendering import version_read_label

# ---------------------------------------------------------------------------------------------
# The public version


@transaction.atomic
def public_link_create(
    *, version: BriefingVersion, actor: User, allow_indexing: bool = False
) -> BriefingPublicLink:
    """An unguessable link to the published version that needs no sign-in. Refused, naming
    the text, when the version prints a pseudonym or record reference of the partnership
    (checked again now: identifiers added since publishing count too)."""
    _require_business_team(actor)
    briefing = Briefing.objects.select_for_update().get(pk=version.briefing_id)
    version = BriefingVersion.objects.select_related("briefing__audit").get(pk=version.pk)
    if briefing.published_version_id != version.pk or not version.is_ready:
        raise ValidationError(
            f"Version {version.number} is not the published version: only the published "
            "version can have a public link."
        )
    # The page a visitor gets is checked, as the PDF is before publishing.
    page = public_html(
        version.content, version_label=version_read_label(version), allow_indexing=allow_indexing
    )
    headings = {str(s["number"]): s["heading"] for s in version.content.get("sections", [])}
    problems = disclosure.html_problems(
        page, disclosure.identifiers_for(version.briefing.audit), headings=headings
    )
    if problems:
        raise ValidationError(
            ["The public version is refused: the briefing names a child's case.", *problems]
        )
    if version.public_links.filter(withdrawn_at__isnull=True).exists():
        raise ValidationError(f"Version {version.number} already has a public link.")
    link = BriefingPublicLink(version=version, allow_indexing=allow_indexing, created_by=actor)
    link.full_clean()
    link.save()
    audit_log(
        actor=actor,
        code="briefing.public_link_created",
        target=version,
        changes={"link": link.pk, "allow_indexing": allow_indexing},
    )
    return link


@transaction.atomic
def public_link_withdraw(*, link: BriefingPublicLink, actor: User) -> BriefingPublicLink:
    """From now on the link answers 404, as if it never existed."""
    _require_business_team(actor)
    link = BriefingPublicLink.objects.select_for_update().select_related("version").get(pk=link.pk)
    if link.withdrawn_at is not None:
        raise ValidationError("This public link is already withdrawn.")
    link.withdrawn_at = timezone.now()
    link.withdrawn_by = actor
    link.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_log(
        actor=actor,
        code="briefing.public_link_withdrawn",
        target=link.version,
        changes={"link": link.pk},
    )
    return link
