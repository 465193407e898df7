import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Generate N partnerships, each a tenant with its own audits, returns and answers, for "
        "benchmarks (bench/generate.py; deterministic from --seed). Never run it on a live "
        "database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--partnerships", type=int, default=1)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=2)
        parser.add_argument("--anchor", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--max-cases", type=int, default=20, help="cases per audit: 3 to N")
        parser.add_argument("--no-references", action="store_true")
        parser.add_argument("--domain", default="bench.localhost", help="P007: p007.DOMAIN")

    def handle(self, *args, **options) -> None:
        try:
            from bench.generate import generate
        except ImportError as exc:  # the bench/ folder is not shipped in every image
            raise CommandError("bench/generate.py is not available here") from exc
        if options["partnerships"] < 1:
            raise CommandError("--partnerships must be at least 1")
        # Each generated partnership is a tenant of its own, answering on p007.bench.localhost
        # (and on --domain's names): bench/generate.py makes them.
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
            domain=options["domain"],
            log=lambda message: None,
        )
