"""With Redis away, sending a return back answers with a page, not a 500: the return is sent
back, its e-mail waits in the outbox, and the page says so."""

from django.urls import reverse

from auditportal.models import OutboxMessage
from audits.models import Answer, Return
from audits.services import return_submit
from tests.queue import messages_of

from .returns_builders import build_open_audit


def test_send_back_with_the_queue_away_is_saved_and_its_email_waits(
    client_as, business, practitioner, agency_a, queue_away, transactional_db
):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)
    Answer.objects.create(audit_return=audit_return, item=built.items["grade"], choice="good")
    Answer.objects.create(audit_return=audit_return, item=built.items["ynp"], choice="yes")
    return_submit(audit_return=audit_return, actor=practitioner)
    url = reverse("audits:return-send-back", args=[audit_return.pk])

    response = client_as(business).post(url, {"reason": "Add the evidence, please."})

    assert response.status_code == 302
    assert messages_of(response) == [
        "The return was sent back for amendment. The practitioner sees your reason. Their "
        "e-mail is queued: it will go when the queue is back."
    ]
    assert Return.objects.get(pk=audit_return.pk).status == Return.Status.RETURNED
    message = OutboxMessage.objects.get(task="audits.notify_return_sent_back")
    assert message.status == OutboxMessage.Status.PENDING


def test_opening_an_audit_with_the_queue_away_says_its_emails_wait(
    client_as, business, practitioner, agency_a, queue_away, transactional_db
):
    built = build_open_audit(agencies=[agency_a], status="planned")
    Return.objects.all().delete()  # opening creates them

    response = client_as(business).post(
        reverse("audits:audit-transition", args=[built.audit.pk]), {"to_status": "open"}
    )

    assert messages_of(response) == [
        "The audit is now “Open for returns”. The e-mails to practitioners are queued: they "
        "will go when the queue is back."
    ]
    assert OutboxMessage.objects.get().task == "audits.notify_audit_opened"


def test_reassigning_with_the_queue_away_says_the_email_waits(
    client_as, business, practitioner, agency_a, queue_away, transactional_db
):
    from tests.factories import UserFactory

    colleague = UserFactory(agencies=[agency_a])
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)

    response = client_as(business).post(
        reverse("audits:return-reassign", args=[audit_return.pk]), {"assignee": colleague.pk}
    )

    assert messages_of(response) == [
        f"The return is now assigned to {colleague}. The e-mail to them is queued: it will go "
        "when the queue is back."
    ]
