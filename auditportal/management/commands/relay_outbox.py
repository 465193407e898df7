"""The outbox relay: hands waiting background tasks to Celery, retrying until Redis answers,
and runs the apps' sweeps (stuck renders) every half minute. One runs beside the worker."""

import logging
import signal
import threading
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from auditportal import outbox

logger = logging.getLogger("auditportal.outbox")


class Command(BaseCommand):
    help = "Hand waiting background tasks to the queue until stopped, and run the sweeps."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between passes (default 1)"
        )
        parser.add_argument(
            "--sweep-every", type=float, default=30.0, help="seconds between sweeps (default 30)"
        )
        parser.add_argument(
            "--heartbeat-file", default="", help="touched after every pass (for a healthcheck)"
        )

    def handle(
        self,
        *args,
        once: bool,
        interval: float,
        sweep_every: float,
        heartbeat_file: str,
        **options,
    ) -> None:
        stopping = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stopping.set())
            logger.info("outbox relay started")
        last_sweep = float("-inf")
        while not stopping.is_set():
            close_old_connections()
            busy = False
            try:
                if time.monotonic() - last_sweep >= sweep_every:
                    last_sweep = time.monotonic()
                    outbox.run_sweeps()
                result = outbox.relay()
            except Exception:
                # The database away: wait and try again, as with Redis.
                logger.exception("outbox relay pass failed")
            else:
                if result.sent:
                    logger.info("handed %s task(s) to the queue", result.sent)
                busy = result.sent >= outbox.BATCH
                if heartbeat_file:
                    Path(heartbeat_file).touch()
            if once:
                break
            stopping.wait(0 if busy else interval)
        if not once:
            logger.info("outbox relay stopped")
