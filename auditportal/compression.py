"""Which pages are sent compressed, and why only those (docs/security.md, "Compressed pages").

Static files are compressed by WhiteNoise. Of the pages, only the aggregate ones are: results,
trends and dashboards, which are large (charts and tables) and show figures, never a child's
pseudonym, a record reference or a practitioner's typed text. BREACH recovers a secret from a
compressed page that also reflects text an attacker chose, by watching its size change; these
pages reflect no free text (their only parameter is a choice of grade basis), their one secret,
the CSRF token, is masked afresh on every response, and Django's GZip adds random bytes to each
response's header. Pages that show case-level data stay uncompressed.
"""

from collections.abc import Callable
from typing import TypeVar

from django.views.decorators.gzip import gzip_page

View = TypeVar("View", bound=Callable)


def compressed_aggregate_page(view: View) -> View:
    """Compress this view's responses for browsers that accept gzip (an aggregate page only)."""
    return gzip_page(view)
