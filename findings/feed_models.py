"""A token that lets the partnership's own reporting (Power BI, Excel) read the aggregate
data feed. Only a hash of the token is stored; the business team sees the token once."""

from django.conf import settings
from django.db import models

from auditportal.text import validate_single_line


class FeedToken(models.Model):
    partnership = models.ForeignKey(
        "cases.Partnership", on_delete=models.CASCADE, related_name="feed_tokens"
    )
    name = models.CharField(
        max_length=120,
        validators=[validate_single_line],
        help_text='Who or what reads the feed, e.g. "Board Power BI report".',
    )
    # SHA-256 of the token, hex: the token itself is shown once and never stored.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The token's first characters, so a token in a report's settings can be recognised.
    prefix = models.CharField(max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "data feed token"

    def __str__(self) -> str:
        return f"Data feed token “{self.name}” ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
