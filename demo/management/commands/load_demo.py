from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand

from auditportal.tenancy import partnership_context
from demo.loader import load_demo
from demo.partnerships import address
from demo.users import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the fictional demo partnerships, Riverbend and Northmoor (safe to run twice)."

    def handle(self, *args, **options) -> None:
        result = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Password for every demo user: {DEMO_PASSWORD}")
        for partnership, users in result["partnerships"]:
            self.stdout.write("")
            self.stdout.write(f"{partnership.name}: sign in at {address(partnership)}")
            with partnership_context(partnership):
                for user in users:
                    agencies = ", ".join(
                        m.agency.label for m in user.memberships.select_related("agency")
                    )
                    extra = f" – {agencies}" if agencies else ""
                    self.stdout.write(f"  {user.get_role_display():<15} {user.username:<16}{extra}")
            if partnership == result["partnerships"][0][0]:
                for label, codes in result.get("survey_codes") or []:
                    self.stdout.write(
                        f"  Survey codes ({label}): {', '.join(codes)} at {address(partnership)}s/"
                    )
        if settings.HOSTING_HOSTS:
            site = urlsplit(settings.SITE_URL)
            port = f":{site.port}" if site.port else ""
            where = f"{site.scheme}://{settings.HOSTING_HOSTS[0]}{port}/hosting/"
            self.stdout.write("")
            self.stdout.write(f"Hosting administration: sign in at {where}")
            self.stdout.write(f"  {'Hosting admin':<15} {result['hosting'].username}")
        self.stdout.write("")
        self.stdout.write(
            "Each partnership sees only its own data: sign in to one, then try the other's "
            "address with the same account (it does not exist there)."
        )
        if not settings.MFA_ENFORCED:
            self.stdout.write(
                self.style.WARNING(
                    "Two-factor sign-in is NOT enforced (MFA_ENFORCED=false / DEMO_MODE=true). "
                    "Production enforces it."
                )
            )
