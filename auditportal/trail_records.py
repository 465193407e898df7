"""The audit trail of one record, for a data protection officer answering "who saw this child's
record?": which trail rows belong to a return, a case, a briefing, a user account or an
audit, and how each row's target is named and linked.

Rows are matched on their target's type ("app_label.model") and id, and on the records that
belong to it (a return's answers and concerns, a case's returns, involved agencies and record
references, a briefing's versions and uses), never on the action's wording. A list page's
access row names the records it showed in AccessedRecord rows, matched the same way. Ids come
from the live tables and from django-simple-history, so a deleted record's trail can still be
found.
Models are looked up through the app registry: this shared module imports no app.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.urls import reverse

from .models import AccessedRecord, AuditEvent

# Records the trail can be narrowed to: type -> the word used on the page.
RECORD_TYPES = {
    "audits.return": "return",
    "cases.case": "case",
    "briefings.briefing": "briefing",
    "accounts.user": "user account",
    "audits.audit": "audit",
}
_KEY = re.compile(r"^(?P<type>[a-z_]+\.[a-z_]+):(?P<pk>[1-9][0-9]{0,17})$")


@dataclass(frozen=True)
class RecordScope:
    """One record and the trail rows that belong to it: `events` filters AuditEvent rows,
    `history` filters each tracked model's history table (models left out have no rows)."""

    key: str
    record_type: str
    pk: int
    noun: str
    label: str
    covers: str
    url: str
    events: Q
    history: dict[str, Q]

    @property
    def file_slug(self) -> str:
        return f"{self.noun.split()[0]}-{self.pk}"


def record_key(record_type: str, pk: Any) -> str:
    return f"{record_type}:{pk}"


def model_of(label: str) -> Any:
    app_label, model_name = label.split(".")
    return apps.get_model(app_label, model_name)


def _history(label: str):
    return model_of(label).history.model


def _ids(*querysets) -> list[str]:
    """The union of the querysets' single id column, as the strings AuditEvent.target_id holds."""
    found: set[str] = set()
    for queryset in querysets:
        found.update(str(pk) for pk in queryset.order_by().distinct())
    return sorted(found, key=int)


def _targets(record_type: str, ids: list[str]) -> Q:
    """Rows whose target is one of these records, or whose list page showed one."""
    if not ids:
        return Q(pk__in=[])
    listed = AccessedRecord.objects.filter(target_type=record_type, target_id__in=ids)
    return Q(target_type=record_type, target_id__in=ids) | Q(pk__in=listed.values("event_id"))


def _finding_ids(audit_id: int) -> list[str]:
    """The audit's findings, live and deleted: a finding's page lists the audit's returns."""
    return _ids(
        model_of("findings.finding").objects.filter(audit_id=audit_id).values_list("pk", flat=True),
        _history("findings.finding").objects.filter(audit_id=audit_id).values_list("id", flat=True),
    )


def _audit_pages(audit_id: int) -> Q:
    """Access rows of the pages that show the audit's whole sample: its case list, progress,
    exports, evidence and findings (target: the audit), and each finding's page."""
    return Q(kind=AuditEvent.Kind.ACCESS) & (
        Q(target_type="audits.audit", target_id=str(audit_id))
        | Q(target_type="findings.finding", target_id__in=_finding_ids(audit_id))
    )


def parse_record_key(value: str) -> tuple[str, int] | None:
    match = _KEY.match(value or "")
    if not match or match["type"] not in RECORD_TYPES:
        return None
    return match["type"], int(match["pk"])


def record_scope(value: str) -> RecordScope | None:
    """The scope of "<type>:<id>", or None when no such record is, or was, in the trail."""
    parsed = parse_record_key(value)
    if parsed is None:
        return None
    record_type, pk = parsed
    builder = {
        "audits.return": _return_scope,
        "cases.case": _case_scope,
        "briefings.briefing": _briefing_scope,
        "accounts.user": _user_scope,
        "audits.audit": _audit_scope,
    }[record_type]
    return builder(pk)


def _latest_history(label: str, pk: int):
    return _history(label).objects.filter(id=pk).order_by("-history_date", "-history_id").first()


def _answers_and_concerns(return_ids: list[str]) -> Q:
    answer, concern = model_of("audits.answer"), model_of("audits.immediateconcern")
    answer_ids = _ids(
        answer.objects.filter(audit_return_id__in=return_ids).values_list("pk", flat=True),
        _history("audits.answer")
        .objects.filter(audit_return_id__in=return_ids)
        .values_list("id", flat=True),
    )
    concern_ids = _ids(
        concern.objects.filter(audit_return_id__in=return_ids).values_list("pk", flat=True)
    )
    return _targets("audits.answer", answer_ids) | _targets("audits.immediateconcern", concern_ids)


def _return_scope(pk: int) -> RecordScope | None:
    current = (
        model_of("audits.return")
        .objects.select_related("case", "agency", "audit")
        .filter(pk=pk)
        .first()
    )
    if current is not None:
        label = f"{current.case.pseudonym} – {current.agency.name} ({current.audit.title})"
        url = current.get_absolute_url()
    else:
        last = _latest_history("audits.return", pk)
        if last is None:
            return None
        label, url = f"{pk} (deleted)", ""
    ids = [str(pk)]
    return RecordScope(
        key=record_key("audits.return", pk),
        record_type="audits.return",
        pk=pk,
        noun="return",
        label=label,
        covers="Every view and change of this return (in My returns too), of its answers and "
        "of its immediate concerns.",
        url=url,
        events=_targets("audits.return", ids) | _answers_and_concerns(ids),
        history={
            "audits.return": Q(id=pk),
            "audits.answer": Q(audit_return_id=pk),
            "audits.keyevent": Q(audit_return_id=pk),
            "audits.answerquery": Q(audit_return_id=pk),
        },
    )


def _sample_spans(case_pk: int) -> dict[int, tuple[Any, Any]]:
    """audit id -> (added, removed or None) for each audit the child is or was in (from the
    sample's history; a live sample is still open)."""
    spans: dict[int, list] = {}
    for audit_id, history_type, at in (
        _history("audits.samplecase")
        .objects.filter(case_id=case_pk)
        .order_by("history_date")
        .values_list("audit_id", "history_type", "history_date")
    ):
        span = spans.setdefault(audit_id, [at, None])
        if history_type == "-":
            span[1] = at
    for audit_id, created_at in (
        model_of("audits.samplecase")
        .objects.filter(case_id=case_pk)
        .values_list("audit_id", "created_at")
    ):
        spans.setdefault(audit_id, [created_at, None])[1] = None
    return {audit_id: (start, end) for audit_id, (start, end) in spans.items()}


def _audit_titles(audit_ids) -> str:
    audits = model_of("audits.audit").objects.in_bulk(set(audit_ids))
    titles = sorted(audits[pk].title for pk in audits)
    if len(audits) < len(set(audit_ids)):
        titles.append("a deleted audit")
    return ", ".join(titles) or "no audit"


def _case_scope(pk: int) -> RecordScope | None:
    case_model = model_of("cases.case")
    case_history = _history("cases.case")
    current = case_model.objects.filter(pk=pk).first()
    created = case_history.objects.filter(id=pk).order_by("history_date").first()
    deleted = case_history.objects.filter(id=pk, history_type="-").order_by("history_date").first()
    if current is None and created is None:
        return None
    spans = _sample_spans(pk)
    audit_title = _audit_titles(spans)
    if current is not None:
        pseudonym = current.pseudonym
        live = [audit_id for audit_id, (_start, end) in spans.items() if end is None]
        url = reverse("audits:case-edit", args=[max(live), pk]) if live else ""
    else:
        pseudonym, url = _latest_history("cases.case", pk).pseudonym, ""
    returns = model_of("audits.return")
    return_ids = _ids(
        returns.objects.filter(case_id=pk).values_list("pk", flat=True),
        _history("audits.return").objects.filter(case_id=pk).values_list("id", flat=True),
    )
    involvement_ids = _ids(
        model_of("cases.caseagency").objects.filter(case_id=pk).values_list("pk", flat=True),
        _history("cases.caseagency").objects.filter(case_id=pk).values_list("id", flat=True),
    )
    reference_ids = _ids(
        model_of("cases.recordreference")
        .objects.filter(involvement_id__in=involvement_ids)
        .values_list("pk", flat=True),
        _history("cases.recordreference")
        .objects.filter(involvement_id__in=involvement_ids)
        .values_list("id", flat=True),
    )
    # Views of an audit's case list, progress, exports and findings showed this child while
    # it was in that audit's sample: those access rows between its adding and removal.
    shown = Q(pk__in=[])
    for audit_id, (start, end) in spans.items():
        window = _audit_pages(audit_id) & Q(at__gte=start)
        if end is not None:
            window &= Q(at__lte=end)
        shown |= window
    if deleted is not None:
        shown &= Q(at__lte=deleted.history_date)
    events = (
        _targets("cases.case", [str(pk)])
        | _targets("audits.return", return_ids)
        | _answers_and_concerns(return_ids)
        | _targets("cases.caseagency", involvement_ids)
        | _targets("cases.recordreference", reference_ids)
        | shown
    )
    return RecordScope(
        key=record_key("cases.case", pk),
        record_type="cases.case",
        pk=pk,
        noun="case",
        label=f"{pseudonym} ({audit_title})" + ("" if current is not None else ", deleted"),
        covers="Every view and change of this child's case, its involved agencies and record "
        "references (never the reference itself), every agency's return for the child with "
        "its answers and immediate concerns (in My returns too), and views of each audit's "
        "case list, progress, exports and findings while the child was in its sample.",
        url=url,
        events=events,
        history={
            "cases.case": Q(id=pk),
            "cases.caseagency": Q(case_id=pk),
            "cases.recordreference": Q(involvement_id__in=involvement_ids),
            "audits.samplecase": Q(case_id=pk),
            "audits.return": Q(id__in=return_ids),
            "audits.answer": Q(audit_return_id__in=return_ids),
            "audits.keyevent": Q(audit_return_id__in=return_ids),
            "audits.answerquery": Q(audit_return_id__in=return_ids),
            "findings.casejudgement": Q(sample_case__case_id=pk),
            "findings.agreedgrade": Q(sample_case__case_id=pk),
        },
    )


def _briefing_scope(pk: int) -> RecordScope | None:
    current = model_of("briefings.briefing").objects.select_related("audit").filter(pk=pk).first()
    if current is None and _latest_history("briefings.briefing", pk) is None:
        return None
    version_ids = _ids(
        model_of("briefings.briefingversion")
        .objects.filter(briefing_id=pk)
        .values_list("pk", flat=True),
        _history("briefings.briefingversion")
        .objects.filter(briefing_id=pk)
        .values_list("id", flat=True),
    )
    use_ids = _ids(
        model_of("briefings.briefinguse")
        .objects.filter(briefing_id=pk)
        .values_list("pk", flat=True)
    )
    return RecordScope(
        key=record_key("briefings.briefing", pk),
        record_type="briefings.briefing",
        pk=pk,
        noun="briefing",
        label=f"of {current.audit.title}" if current is not None else f"{pk} (deleted)",
        covers="Every view and change of this briefing, every rendered version, approval, "
        "publication and PDF download, and the uses agencies recorded.",
        url=reverse("briefings:composer", args=[current.audit_id]) if current else "",
        events=_targets("briefings.briefing", [str(pk)])
        | _targets("briefings.briefingversion", version_ids)
        | _targets("briefings.briefinguse", use_ids),
        history={"briefings.briefing": Q(id=pk), "briefings.briefingversion": Q(briefing_id=pk)},
    )


def _user_scope(pk: int) -> RecordScope | None:
    user = model_of("accounts.user").objects.filter(pk=pk).first()
    events = _targets("accounts.user", [str(pk)])
    if user is None and not AuditEvent.objects.filter(events).exists():
        return None
    label = f"{user.get_username()} ({user})" if user is not None else f"{pk} (deleted)"
    return RecordScope(
        key=record_key("accounts.user", pk),
        record_type="accounts.user",
        pk=pk,
        noun="user account",
        label=label,
        covers="What happened to this account: two-factor set-up and resets, recovery codes, "
        "password changes and resets, unlocks. What the user did: search by User.",
        url="",
        events=events,
        history={},
    )


def _audit_scope(pk: int) -> RecordScope | None:
    current = model_of("audits.audit").objects.filter(pk=pk).first()
    if current is None and _latest_history("audits.audit", pk) is None:
        return None
    return RecordScope(
        key=record_key("audits.audit", pk),
        record_type="audits.audit",
        pk=pk,
        noun="audit",
        label=current.title if current is not None else f"{pk} (deleted)",
        covers="Changes to the audit itself, and views of its case list, progress, exports "
        "and findings. For one child, open the trail of their case.",
        url=current.get_absolute_url() if current is not None else "",
        events=_targets("audits.audit", [str(pk)]) | _audit_pages(pk),
        history={"audits.audit": Q(id=pk)},
    )


@dataclass(frozen=True)
class CaseMatch:
    pk: int
    pseudonym: str
    audit_title: str
    deleted: bool

    @property
    def key(self) -> str:
        return record_key("cases.case", self.pk)


def cases_named(pseudonym: str) -> list[CaseMatch]:
    """Every case, live or deleted, that is or was called `pseudonym` (any letter case), with
    the audits it is or was in."""
    pseudonym = pseudonym.strip()
    live = {
        case.pk: case for case in model_of("cases.case").objects.filter(pseudonym__iexact=pseudonym)
    }
    named: dict[int, str] = {pk: c.pseudonym for pk, c in live.items()}
    for pk, name in (
        _history("cases.case")
        .objects.filter(pseudonym__iexact=pseudonym)
        .order_by("history_date")
        .values_list("id", "pseudonym")
    ):
        named.setdefault(pk, name)
    matches = [
        CaseMatch(
            pk=pk,
            pseudonym=live[pk].pseudonym if pk in live else name,
            audit_title=_audit_titles(_sample_spans(pk)),
            deleted=pk not in live,
        )
        for pk, name in named.items()
    ]
    return sorted(matches, key=lambda m: (m.audit_title, m.pk))
