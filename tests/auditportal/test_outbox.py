"""The transactional outbox: every enqueue is written with the change that needs it, run
after the commit (in-process without Redis), and kept, not lost, while the queue is away."""

import pytest
from django.db import transaction

from auditportal import outbox
from auditportal.models import OutboxMessage
from tests.queue import broker_at, free_port

from .outbox_tasks import calls


@pytest.fixture(autouse=True)
def _fresh_calls():
    calls.clear()


def test_the_intent_rolls_back_with_the_change(transactional_db):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue("tests.record_call", kwargs={"value": "lost"})
        raise RuntimeError("the change failed")

    assert OutboxMessage.objects.count() == 0
    assert calls == []


def test_without_redis_the_task_runs_in_process_right_after_the_commit(transactional_db):
    with transaction.atomic():
        message = outbox.enqueue("tests.record_call", kwargs={"value": "now"}, ref="thing:1")
        assert calls == []  # not before the commit

    message.refresh_from_db()
    assert calls == ["now"]
    assert message.status == OutboxMessage.Status.SENT
    assert not outbox.is_waiting("thing:1")


def test_a_failing_task_does_not_fail_the_request(transactional_db):
    with transaction.atomic():
        outbox.enqueue("tests.record_call", kwargs={"value": "boom"})

    assert calls == ["boom"]
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_with_the_queue_away_the_message_waits_and_the_write_stands(transactional_db):
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):
        with transaction.atomic():
            message = outbox.enqueue("tests.record_call", kwargs={"value": "x"}, ref="thing:2")
        later = outbox.relay()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts >= 1
    assert "OperationalError" in message.last_error
    assert outbox.is_waiting("thing:2")
    assert outbox.waiting_refs(["thing:2", "thing:3"]) == {"thing:2"}
    assert later.sent == 0
    assert calls == []


def test_while_the_queue_is_away_requests_do_not_each_wait_for_it(transactional_db):
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):
        with transaction.atomic():
            outbox.enqueue("tests.record_call", kwargs={"value": "first"})
        with transaction.atomic():
            second = outbox.enqueue("tests.record_call", kwargs={"value": "second"})

    second.refresh_from_db()
    assert second.attempts == 1
    assert second.last_error == "The queue did not answer a moment ago."


def test_the_retry_waits_longer_each_time_up_to_a_bound():
    delays = [outbox._retry_delay(n).total_seconds() for n in range(1, 10)]

    assert delays == [1, 2, 4, 8, 15, 15, 15, 15, 15]


def test_sweeps_registered_by_apps_run_and_a_failing_one_does_not_stop_the_rest():
    ran = []

    def failing():
        raise RuntimeError("sweep broke")

    def working():
        ran.append("working")

    outbox.register_sweep(failing)
    outbox.register_sweep(working)
    try:
        outbox.run_sweeps()
    finally:
        outbox._sweeps.remove(failing)
        outbox._sweeps.remove(working)

    assert ran == ["working"]


def test_the_relay_command_hands_over_what_waits_and_runs_the_sweeps(transactional_db):
    from django.core.management import call_command
    from django.utils import timezone

    from auditportal.models import OutboxMessage as Message

    waiting = Message.objects.create(
        task="tests.record_call",
        kwargs={"value": "waited"},
        attempts=2,
        next_attempt_at=timezone.now(),
    )
    ran = []
    outbox.register_sweep(sweep := lambda: ran.append("sweep"))
    try:
        call_command("relay_outbox", "--once")
    finally:
        outbox._sweeps.remove(sweep)

    waiting.refresh_from_db()
    assert waiting.status == Message.Status.SENT
    assert calls == ["waited"]
    assert ran == ["sweep"]


def test_the_relays_heartbeat_passes_the_compose_healthcheck(transactional_db, tmp_path):
    """bin/start-relay gives the relay RELAY_HEARTBEAT_FILE to touch after each pass;
    compose's healthcheck (bin/healthcheck relay) reads the same file."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import yaml
    from django.core.management import call_command

    root = Path(__file__).resolve().parents[2]
    relay = yaml.safe_load((root / "docker-compose.yml").read_text())["services"]["relay"]
    python, *check = relay["healthcheck"]["test"][1:]
    heartbeat = tmp_path / "relay-heartbeat"
    env = {**os.environ, "RELAY_HEARTBEAT_FILE": str(heartbeat)}

    def healthy() -> int:
        return subprocess.run([sys.executable, *check], cwd=root, env=env, check=False).returncode

    before = healthy()
    call_command("relay_outbox", "--once", f"--heartbeat-file={heartbeat}")
    after = healthy()

    assert python == "python"
    assert (before, after) == (1, 0)
