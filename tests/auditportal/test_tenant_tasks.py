"""Tasks know their tenant (issue 14): the partnership goes with every task through the
outbox, the task runs in its context, links use its address, and a task whose partnership
was deactivated stops with a logged reason."""

import logging

from auditportal import outbox, tenancy
from auditportal.models import OutboxMessage
from auditportal.tenant_tasks import PartnershipTask
from cases.hosts import base_url
from tests.tenancy import second_partnership

from ..factories import AuditFactory

seen: list[object] = []


def _record_context() -> int:
    seen.append(tenancy.current())
    return 1


def test_every_registered_task_is_a_partnership_task():
    from auditportal.celery import app

    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if not name.startswith("celery.")]

    assert ours
    assert all(isinstance(task, PartnershipTask) for task in ours)


def test_enqueue_carries_the_partnership_the_caller_runs_for(
    partnership, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        message = outbox.enqueue("auditportal.ping", kwargs={"x": 1})

    assert OutboxMessage.objects.get(pk=message.pk).kwargs == {
        "x": 1,
        "partnership_id": partnership.pk,
    }


def test_a_task_runs_in_the_context_of_the_partnership_it_carries(partnership):
    from auditportal.celery import app

    second = second_partnership()
    task = app.task(name="tests.record_context", bind=False)(_record_context)
    seen.clear()

    task.apply(kwargs={"partnership_id": second.pk})
    task.apply(kwargs={})

    assert seen == [second.pk, partnership.pk]


def test_a_task_of_a_deactivated_partnership_stops_with_a_logged_reason(partnership, caplog):
    from auditportal.celery import app

    second = second_partnership()
    second.active = False
    second.save()
    task = app.task(name="tests.record_context_2")(_record_context)
    seen.clear()

    with caplog.at_level(logging.WARNING, logger="auditportal.tenant_tasks"):
        result = task.apply(kwargs={"partnership_id": second.pk}).get()

    assert result is None
    assert seen == []
    assert f"partnership {second.pk} is deactivated or gone" in caplog.text


def test_a_periodic_task_started_without_a_partnership_runs_once_per_active_partnership(
    partnership,
):
    from auditportal.celery import app
    from auditportal.tenant_tasks import PerPartnershipTask

    second = second_partnership()
    task = app.task(name="tests.record_each", base=PerPartnershipTask)(_record_context)
    seen.clear()

    with tenancy.system_context():
        total = task.apply().get()

    assert seen == [partnership.pk, second.pk]
    assert total == 2


def test_links_in_a_tasks_emails_use_its_partnerships_address(partnership, settings):
    settings.SITE_URL = "https://127.0.0.1:8443"
    second = second_partnership()

    assert base_url() == "https://127.0.0.1:8443"  # the default partnership answers there
    with tenancy.partnership_context(second):
        assert base_url() == "https://second.testserver:8443"


def test_an_audit_opened_email_in_the_second_partnership_links_to_its_address(db):
    from audits.notifications import absolute_url

    second = second_partnership()
    with tenancy.partnership_context(second):
        audit = AuditFactory()
        url = absolute_url(audit.get_absolute_url())

    assert url.startswith("http://second.testserver:8000/")
