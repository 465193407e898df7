from django.core.management.base import BaseCommand

from audits.bank import load_bank


class Command(BaseCommand):
    help = "Load the default question bank (safe to run again: it only adds what is missing)."

    def handle(self, *args, **options) -> None:
        created = load_bank()
        self.stdout.write(
            self.style.SUCCESS(
                f"Question bank loaded: {created['themes']} new themes, "
                f"{created['questions']} new questions."
            )
        )
