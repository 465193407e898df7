from celery import shared_task

from .retention import purge_expired


@shared_task(name="cases.purge_expired")
def purge_expired_task() -> int:
    """Daily (celery beat): purge record references and draft data past retention."""
    return len(purge_expired())
