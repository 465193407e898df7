import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Generate N partnerships of audits, returns and answers for benchmarks "
        "(bench/generate.py; deterministic from --seed). Never run it on a live database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--partnerships", type=int, default=1)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=2)
        parser.add_argument("--anchor", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--max-cases", type=int, default=20, help="cases per audit: 3 to N")
        parser.add_argument("--no-references", action="store_true")

    def handle(self, *args, **options) -> None:
        try:
            from bench.generate import generate
        except ImportError as exc:  # the bench/ folder is not shipped in every image
            raise CommandError("bench/generate.py is not available here") from exc
        if options["partnerships"] < 1:
            raise CommandError("--partnerships must be at least 1")
        from auditportal.tenancy import partnership_context
        from demo.partnerships import riverbend

        # The generated "partnerships" are one tenant's worth of data each, all in the
        # partnership answering on SITE_URL (made if none): the pages measured are its own.
        with partnership_context(riverbend()):
            result = self._generate(generate, options)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated on {connection.vendor}: {result['counts']} "
                f"in {result['timings']['total']} s"
            )
        )

    def _generate(self, generate, options) -> dict:
        return generate(
            partnerships=options["partnerships"],
            seed=options["seed"],
            years=options["years"],
            anchor=options["anchor"],
            max_cases=options["max_cases"],
            references=not options["no_references"],
            log=lambda message: None,
        )
