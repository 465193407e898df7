"""Fault tests of the production shape: a real worker, the outbox relay and a private
redis-server (its own free port, stopped and started by its pid), on PostgreSQL.

1. Redis stops. The business team renders a briefing and sends a return back: no 500, both
   saved, each page says the work waits for the queue, results and dashboards still answer.
   Redis starts again: the PDF is rendered and the e-mail sent, with nobody doing anything.
2. The worker is killed (SIGKILL) mid-render. Started again, it renders the version at once;
   killed again with no worker of that name coming back, the version can be run again by the
   business team, and is sent again by the sweep, once its time limit plus the margin passed.

Needs REDIS_URL, PostgreSQL and redis-server: skipped locally without them, a failure in CI.
"""

import datetime
import time
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from audits.models import Answer, NotificationSent, Return
from audits.services import return_submit
from briefings import services
from briefings.models import BriefingVersion
from tests.audits.returns_builders import build_open_audit
from tests.briefings.conftest import briefing, briefing_audit  # noqa: F401  (fixtures)
from tests.queue import broker_at, messages_of
from tests.workers import (
    need,
    private_redis,
    process_env,
    relay_command,
    start,
    start_worker,
    stop,
    wait_for,
)

pytestmark = pytest.mark.worker

# A render of this takes a second or more: long enough to be killed in the middle.
LONG_TEXT = (
    "- **Voice of the child**: "
    + "Practitioners recorded the child's wishes and feelings and acted on them. " * 8
    + "\n"
) * 24


@pytest.fixture
def shape(settings, tmp_path, transactional_db):
    """Private Redis, a worker and the relay on it; the test process sends to it too and
    caches in it, as the web process does in production."""
    need(settings.IS_POSTGRES and bool(settings.REDIS_URL), "PostgreSQL and Redis (CI)")
    redis = private_redis(tmp_path)
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    env = process_env(
        redis_url=redis.url,
        queue=queue,
        media_root=str(settings.MEDIA_ROOT),
        EMAIL_BACKEND="file",
        EMAIL_FILE_PATH=str(mail_dir),
        RELAY_HEARTBEAT_FILE=str(tmp_path / "relay-heartbeat"),
    )
    settings.CACHES = {
        "default": {"BACKEND": "auditportal.cache.ResilientRedisCache", "LOCATION": redis.url}
    }
    world = {
        "redis": redis,
        "queue": queue,
        "env": env,
        "mail_dir": mail_dir,
        "worker_log": tmp_path / "worker.log",
        "relay_log": tmp_path / "relay.log",
        "processes": [],
    }
    try:
        with broker_at(redis.url, queue=queue):
            yield world
    finally:
        for process in world["processes"]:
            stop(process)
        redis.stop()


def _worker(shape, node: str):
    process = start_worker(
        env=shape["env"], queue=shape["queue"], log=shape["worker_log"], node=node
    )
    shape["processes"].append(process)
    return process


def _relay(shape):
    process = start(relay_command(), env=shape["env"], log=shape["relay_log"])
    shape["processes"].append(process)
    return process


def _submitted_return(agency, practitioner):
    built = build_open_audit(agencies=[agency])
    audit_return = built.return_for(agency)
    Return.objects.filter(pk=audit_return.pk).update(assignee=practitioner)
    Answer.objects.create(audit_return=audit_return, item=built.items["grade"], choice="good")
    Answer.objects.create(audit_return=audit_return, item=built.items["ynp"], choice="yes")
    return return_submit(audit_return=audit_return, actor=practitioner), built


def test_redis_stops_nothing_fails_or_is_lost_and_all_completes_when_it_is_back(
    shape,
    client_as,
    business,
    board,
    practitioner,
    agency_a,
    briefing,  # noqa: F811
):
    audit_return, built = _submitted_return(agency_a, practitioner)
    _worker(shape, node=f"faults-{shape['queue']}@%h")
    _relay(shape)
    client = client_as(business)

    shape["redis"].stop()
    started = time.monotonic()
    rendered = client.post(reverse("briefings:render", args=[briefing.audit_id]))
    render_messages = messages_of(rendered)
    sent_back = client.post(
        reverse("audits:return-send-back", args=[audit_return.pk]),
        {"reason": "Please add the evidence for the grade."},
    )
    answered_in = time.monotonic() - started
    pages = {
        "results": client.get(reverse("findings:results", args=[built.audit.pk])).status_code,
        "dashboard": client.get(reverse("findings:dashboard")).status_code,
        "board dashboard": client_as(board).get(reverse("findings:dashboard")).status_code,
    }

    version = BriefingVersion.objects.get()
    assert (rendered.status_code, sent_back.status_code) == (302, 302)
    assert answered_in < 10, answered_in
    assert render_messages == [
        "Version 1 is queued: it will start when the queue is back. Its status updates below."
    ]
    assert (
        "Their e-mail is queued: it will go when the queue is back." in messages_of(sent_back)[-1]
    )
    assert pages == {"results": 200, "dashboard": 200, "board dashboard": 200}
    assert version.status == BriefingVersion.Status.QUEUED
    assert Return.objects.get(pk=audit_return.pk).status == Return.Status.RETURNED

    shape["redis"].start()

    wait_for(
        lambda: BriefingVersion.objects.get(pk=version.pk).status == BriefingVersion.Status.READY,
        timeout=120,
        what="the render after Redis came back",
        log=shape["worker_log"],
    )

    def mails() -> str:
        return "".join(path.read_text() for path in Path(shape["mail_dir"]).glob("*.log"))

    wait_for(
        lambda: "A return needs amending" in mails(),
        timeout=60,
        what="the send-back e-mail after Redis came back",
        log=shape["worker_log"],
    )
    assert NotificationSent.objects.filter(key__startswith="sent_back:").count() == 1
    assert practitioner.email in mails()


def _render_and_kill(shape, worker, briefing, business):  # noqa: F811
    """Render a long version and SIGKILL the worker once it is rendering; the version as
    the kill left it, or None if the render finished first."""
    version = services.briefing_render(briefing=briefing, actor=business)
    wait_for(
        lambda: BriefingVersion.objects.get(pk=version.pk).status != "queued",
        timeout=60,
        what="the render's start",
        log=shape["worker_log"],
    )
    stop(worker, kill=True)
    version.refresh_from_db()
    return version if version.status == BriefingVersion.Status.RENDERING else None


def _killed_mid_render(shape, node, briefing, business):  # noqa: F811
    for _ in range(3):
        version = _render_and_kill(shape, _worker(shape, node=node), briefing, business)
        if version is not None:
            return version
    pytest.fail("every render finished before the worker could be killed")


def test_a_worker_killed_mid_render_finishes_or_becomes_re_runnable_within_the_limit(
    shape,
    business,
    briefing,  # noqa: F811
):
    services.briefing_update(
        briefing=briefing, actor=business, **{f: LONG_TEXT for f in ("topic", "development")}
    )
    _relay(shape)
    limit = services.STUCK_AFTER
    node = f"render-{shape['queue']}@%h"

    # Killed, then started again (a container restart): it renders the version at once.
    first = _killed_mid_render(shape, node, briefing, business)
    killed_at = time.monotonic()
    restarted = _worker(shape, node=node)
    wait_for(
        lambda: BriefingVersion.objects.get(pk=first.pk).status == BriefingVersion.Status.READY,
        timeout=limit.total_seconds(),
        what="the render of the killed worker's version",
        log=shape["worker_log"],
    )
    assert time.monotonic() - killed_at < limit.total_seconds()
    stop(restarted)

    # Killed, and no worker of that name comes back: another worker runs, the version stays
    # "rendering" until its time limit plus the margin, then it can be run again and the
    # sweep sends it again.
    second = _killed_mid_render(shape, node, briefing, business)
    _worker(shape, node=f"other-{shape['queue']}@%h")
    started = second.started_at
    assert not services.version_is_stuck(
        second, now=started + limit - datetime.timedelta(seconds=1)
    )
    assert services.version_is_stuck(second, now=started + limit)
    assert BriefingVersion.objects.get(pk=second.pk).status == BriefingVersion.Status.RENDERING

    assert services.versions_sweep_stuck(now=started + limit) == [second.pk]

    wait_for(
        lambda: BriefingVersion.objects.get(pk=second.pk).status == BriefingVersion.Status.READY,
        timeout=120,
        what="the render sent again after the time limit",
        log=shape["worker_log"],
    )
    assert BriefingVersion.objects.get(pk=second.pk).attempts == 2
