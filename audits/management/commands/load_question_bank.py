from django.core.management.base import BaseCommand

from audits.bank import load_bank
from audits.event_bank import load_event_kinds


class Command(BaseCommand):
    help = "Load the default question bank (safe to run again: it only adds what is missing)."

    def handle(self, *args, **options) -> None:
        created = load_bank()
        kinds = load_event_kinds()
        self.stdout.write(
            self.style.SUCCESS(
                f"Question bank loaded: {created['themes']} new themes, "
                f"{created['questions']} new questions, {kinds} new key event kinds."
            )
        )
