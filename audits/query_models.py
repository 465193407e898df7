"""Queries on a single answer (a data resolution workflow): the business team asks about one
answer of a submitted return; the agency replies and may change that answer only."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from auditportal.tenancy import PartnershipOwned

QUERY_TEXT_LIMIT = 1000


class AnswerQuery(PartnershipOwned):
    """Its partnership is its return's audit's. `audit_return` is the answer's return, held
    here so the progress matrix and My returns count open queries per return in one query."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        # Closed by the business team, answered or not; it may re-open it (then open again).
        CLOSED = "closed", "Closed"

    answer = models.ForeignKey("audits.Answer", on_delete=models.CASCADE, related_name="queries")
    audit_return = models.ForeignKey(
        "audits.Return", on_delete=models.CASCADE, related_name="queries"
    )
    question = models.TextField(max_length=QUERY_TEXT_LIMIT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(blank=True, max_length=QUERY_TEXT_LIMIT)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    close_note = models.TextField(blank=True, max_length=QUERY_TEXT_LIMIT)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = "query on an answer"
        verbose_name_plural = "queries on answers"
        indexes = [models.Index(fields=["audit_return", "status"], name="answerquery_return")]

    def __str__(self) -> str:
        return f"Query on answer {self.answer_id}"

    def get_absolute_url(self) -> str:
        return reverse("audits:query-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED
