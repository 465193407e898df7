"""Thin Celery wrappers around cases' services; ids only, safe to run twice."""

from celery import shared_task


@shared_task(name="cases.send_invitation", autoretry_for=(OSError,), max_retries=5)
def send_invitation(*, user_id: int) -> bool:
    from .invitations import invitation_send

    return invitation_send(user_id=user_id)
