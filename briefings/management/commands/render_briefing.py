"""manage.py render_briefing <audit id or title> --out file.pdf: render synchronously."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.models import User
from audits.models import Audit
from briefings import services
from briefings.models import BriefingVersion


class Command(BaseCommand):
    help = "Render an audit's briefing to PDF now, in this process (for scripting and debugging)."

    def add_arguments(self, parser):
        parser.add_argument("audit", help="the audit's id or its exact title")
        parser.add_argument("--out", required=True, help="where to write the PDF")
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="business team user recorded as the renderer (default: the first one)",
        )

    def handle(self, *args, audit: str, out: str, username: str, **options):
        lookup = Q(title=audit) | (Q(pk=int(audit)) if audit.isdigit() else Q())
        matches = list(Audit.objects.filter(lookup)[:2])
        if not matches:
            raise CommandError(f"No audit has the id or title {audit!r}.")
        if len(matches) > 1:
            raise CommandError(f"More than one audit matches {audit!r}: use its id.")
        users = User.objects.filter(role__in=[User.Role.BUSINESS, User.Role.ADMIN])
        actor = (users.filter(username=username) if username else users.order_by("pk")).first()
        if actor is None:
            raise CommandError("No business team user to record as the renderer (see --as).")
        briefing = services.briefing_get_or_create(audit=matches[0], actor=actor)
        version = services.briefing_render_now(briefing=briefing, actor=actor)
        if version.status != BriefingVersion.Status.READY:
            raise CommandError(f"Rendering failed: {version.error}")
        with version.pdf.open("rb") as handle:
            Path(out).write_bytes(handle.read())
        self.stdout.write(
            f"Version {version.number} of {briefing.title!r}: {version.page_count} pages -> {out}"
        )
