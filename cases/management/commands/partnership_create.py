from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.onboarding import partnership_create


class Command(BaseCommand):
    help = (
        "Create a partnership with its host name and first business-team member, who is sent "
        "an invitation e-mail (the hosting administration's form, for scripts)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", required=True, help="The partnership's name.")
        parser.add_argument("--host", required=True, help="The host name it answers on.")
        parser.add_argument("--email", required=True, help="Its first business-team member.")
        parser.add_argument("--first-name", default="", help="The member's first name.")
        parser.add_argument("--last-name", default="", help="The member's last name.")
        parser.add_argument("--slug", default="", help="Short name (default: from the name).")
        parser.add_argument(
            "--administrator",
            action="store_true",
            help="Make the member the partnership's administrator (Django admin), as the "
            "first account of a new installation must be.",
        )

    def handle(self, *args, **options) -> None:
        try:
            partnership, member = partnership_create(
                actor=None,
                name=options["name"],
                host=options["host"],
                slug=options["slug"],
                business_email=options["email"],
                business_first_name=options["first_name"],
                business_last_name=options["last_name"],
                administrator=options["administrator"],
            )
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}"
                for field, messages in (
                    getattr(error, "error_dict", None) and error.message_dict.items()
                )
                or [("__all__", error.messages)]
            )
            raise CommandError(problems) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {partnership.name} (id {partnership.pk}) at {options['host']}; "
                f"invitation sent to {member.email}."
            )
        )
