from django.conf import settings
from django.core.management.base import BaseCommand

from demo.loader import load_demo
from demo.users import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the fictional Riverbend demo partnership (safe to run twice)."

    def handle(self, *args, **options) -> None:
        result = load_demo()
        users = result["users"]
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("")
        self.stdout.write(
            f"Demo sign-ins at {settings.SITE_URL}/ (password for all: {DEMO_PASSWORD})"
        )
        for user in users:
            agencies = ", ".join(m.agency.label for m in user.memberships.select_related("agency"))
            extra = f" – {agencies}" if agencies else ""
            self.stdout.write(f"  {user.get_role_display():<15} {user.username:<14}{extra}")
        for label, codes in result.get("survey_codes") or []:
            self.stdout.write(
                f"  Survey codes ({label}): {', '.join(codes)} at {settings.SITE_URL}/s/"
            )
        if not settings.MFA_ENFORCED:
            self.stdout.write(
                self.style.WARNING(
                    "Two-factor sign-in is NOT enforced (MFA_ENFORCED=false / DEMO_MODE=true). "
                    "Production enforces it."
                )
            )
