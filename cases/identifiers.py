"""The identifiers of the partnership's children that no pseudonymised text may hold: every
case pseudonym and every record reference (read in Python: references are encrypted in the
column, never filtered in SQL)."""

from auditportal.disclosure import Identifier

from .models import Case, RecordReference


def child_identifiers(*, except_case: Case | None = None) -> list[Identifier]:
    """Pseudonyms of every child (but `except_case`, whose own summary may name it) and every
    record reference of the partnership."""
    cases = Case.objects.all()
    if except_case is not None:
        cases = cases.exclude(pk=except_case.pk)
    found = [
        Identifier("pseudonym of another child" if except_case else "case pseudonym", p)
        for p in cases.values_list("pseudonym", flat=True).distinct()
    ]
    found += [
        Identifier("record reference", reference)
        for reference in RecordReference.objects.values_list("reference", flat=True)
    ]
    return [identifier for identifier in dict.fromkeys(found) if identifier.value.strip()]
