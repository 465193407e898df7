import socket

from django.core.management.base import BaseCommand, CommandError

from auditportal import health


class Command(BaseCommand):
    help = (
        "Readiness as /readyz reports it: the database, Redis and a recent worker heartbeat "
        "(or only the checks named). Exits 1 when a check fails."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "checks", nargs="*", metavar="CHECK", help=f"any of {', '.join(health.CHECKS)}"
        )
        parser.add_argument(
            "--this-host",
            action="store_true",
            help="the worker check counts only a worker on this host (its container healthcheck)",
        )

    def handle(self, *args, checks: list[str], this_host: bool, **options) -> None:
        unknown = sorted(set(checks) - set(health.CHECKS))
        if unknown:
            raise CommandError(f"unknown checks: {', '.join(unknown)}")
        results = health.readiness(
            checks or health.CHECKS, worker_host=socket.gethostname() if this_host else None
        )
        for check in results:
            self.stdout.write(f"{check.name}: {check.detail}")
        failed = [check.name for check in results if not check.ok]
        if failed:
            raise CommandError(f"not ready: {', '.join(failed)}", returncode=1)
