"""A task for the outbox tests: records its calls in this process."""

from celery import shared_task

calls: list[str] = []


@shared_task(name="tests.record_call")
def record_call(value: str) -> None:
    calls.append(value)
    if value == "boom":
        raise RuntimeError("the task failed")
