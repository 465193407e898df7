"""The disclosure check of a briefing: no case pseudonym or record reference in what it prints.

It reads the finished document, not the fields it was made from: the HTML that becomes the
PDF (every text, every link target, image text, the document's title and details), as a reader
sees it, through the generic check in auditportal.disclosure (folding, invisible characters,
separators: see there). Any web or public rendering of a briefing must go through
`html_problems` too.

Identifiers checked: the pseudonyms of every case of the partnership and every record
reference of the partnership (a re-audit's briefing can name a child from an earlier audit).
"""

from collections.abc import Iterable

from auditportal.disclosure import (  # noqa: F401  (the briefing check's public names)
    MAX_GAP,
    Identifier,
    html_problems,
    printed_runs,
    run_problems,
    skeleton,
)
from audits.models import Audit
from cases.models import Case, RecordReference

from .document import version_html


def identifiers_for(audit: Audit) -> list[Identifier]:
    """What no briefing of this audit may print: every pseudonym and record reference of
    the partnership (one partnership per deployment until multi-partnership lands; the audit
    is the hook for it)."""
    found = [
        Identifier("case pseudonym", p)
        for p in Case.objects.values_list("pseudonym", flat=True).distinct()
    ]
    # Encrypted in the column: read in Python, never filtered in SQL.
    found += [
        Identifier("record reference", reference)
        for reference in RecordReference.objects.values_list("reference", flat=True)
    ]
    return [identifier for identifier in dict.fromkeys(found) if identifier.value.strip()]


def printed_problems(content: dict, identifiers: Iterable[Identifier]) -> list[str]:
    """The check on a version's snapshot, laid out exactly as its PDF is."""
    html = version_html(content, version_label="")
    headings = {str(s["number"]): s["heading"] for s in content.get("sections", [])}
    return html_problems(html, identifiers, headings=headings)
