"""How each audit-trail row's record reads ("Return Child A – Riverbend Police", "Answer to
“…”", "Child K in the sample of Neglect re-audit") and the record it belongs to, for a page of
rows in one query per record type. Models are looked up through the app registry: this shared
module imports no app.
"""

from dataclasses import dataclass

from .trail_records import model_of


@dataclass(frozen=True)
class TargetLabel:
    """How a row's target reads, and the searchable record it belongs to (type, id, label)."""

    text: str
    part_of: tuple[str, str, str] | None = None


def _return_text(audit_return) -> str:
    return f"Return {audit_return.case.pseudonym} – {audit_return.agency.name}"


def target_labels(wanted: dict[str, set[str]], history_records: dict[str, list]) -> dict:
    """{(type, id): TargetLabel} for the targets of a page of rows, in one query per type
    (plus one for the returns of answers and concerns). `history_records` holds the page's
    history records by type, for the parents of records deleted since."""

    def ints(ids) -> list[int]:
        return [int(i) for i in ids if str(i).isdigit()]

    labels: dict[tuple[str, str], TargetLabel] = {}
    return_ids: dict[tuple[str, str], int] = {}
    answer_model = model_of("audits.answer")
    if ids := ints(wanted.get("audits.answer", ())):
        answers = answer_model.objects.select_related("item").in_bulk(ids)
        for record in history_records.get("audits.answer", []):
            return_ids.setdefault(("audits.answer", str(record.id)), record.audit_return_id)
        items = model_of("audits.questionsetitem").objects.in_bulk(
            {r.item_id for r in history_records.get("audits.answer", []) if r.id not in answers}
        )
        for pk in ids:
            answer = answers.get(pk)
            if answer is not None:
                return_ids[("audits.answer", str(pk))] = answer.audit_return_id
                text = answer.item.text
            else:
                record = next(
                    (r for r in history_records.get("audits.answer", []) if r.id == pk), None
                )
                item = items.get(record.item_id) if record is not None else None
                text = item.text if item is not None else ""
            labels[("audits.answer", str(pk))] = TargetLabel(
                f"Answer to “{text}”" if text else f"Answer {pk}"
            )
    if ids := ints(wanted.get("audits.immediateconcern", ())):
        for pk, audit_return_id in (
            model_of("audits.immediateconcern")
            .objects.filter(pk__in=ids)
            .values_list("pk", "audit_return_id")
        ):
            return_ids[("audits.immediateconcern", str(pk))] = audit_return_id
            labels[("audits.immediateconcern", str(pk))] = TargetLabel("Immediate concern")
    wanted_returns = set(ints(wanted.get("audits.return", ()))) | set(return_ids.values())
    returns = (
        model_of("audits.return").objects.select_related("case", "agency").in_bulk(wanted_returns)
    )
    for target, audit_return_id in return_ids.items():
        audit_return = returns.get(audit_return_id)
        part_of = (
            ("audits.return", str(audit_return_id), _return_text(audit_return))
            if audit_return is not None
            else ("audits.return", str(audit_return_id), f"Return {audit_return_id}")
        )
        labels[target] = TargetLabel(labels[target].text, part_of)
    for pk in ints(wanted.get("audits.return", ())):
        audit_return = returns.get(pk)
        if audit_return is not None:
            labels[("audits.return", str(pk))] = TargetLabel(
                _return_text(audit_return),
                ("cases.case", str(audit_return.case_id), f"Case {audit_return.case.pseudonym}"),
            )
    if ids := ints(wanted.get("cases.case", ())):
        # A child belongs to no one audit: the label is the case alone.
        for case in model_of("cases.case").objects.filter(pk__in=ids):
            labels[("cases.case", str(case.pk))] = TargetLabel(f"Case {case.pseudonym}")
    for record_type, noun in (
        ("cases.caseagency", "Involvement of"),
        ("cases.recordreference", "Record reference of"),
    ):
        ids = ints(wanted.get(record_type, ()))
        if not ids:
            continue
        model = model_of(record_type)
        path = "" if record_type == "cases.caseagency" else "involvement__"
        rows = model.objects.filter(pk__in=ids).values_list(
            "pk", f"{path}agency__name", f"{path}case_id", f"{path}case__pseudonym"
        )
        for pk, agency_name, case_id, pseudonym in rows:
            # A record reference is named by its agency: never its value.
            labels[(record_type, str(pk))] = TargetLabel(
                f"{noun} {agency_name}", ("cases.case", str(case_id), f"Case {pseudonym}")
            )
    if ids := ints(wanted.get("audits.samplecase", ())):
        for pk, case_id, pseudonym, title in (
            model_of("audits.samplecase")
            .objects.filter(pk__in=ids)
            .values_list("pk", "case_id", "case__pseudonym", "audit__title")
        ):
            labels[("audits.samplecase", str(pk))] = TargetLabel(
                f"{pseudonym} in the sample of {title}",
                ("cases.case", str(case_id), f"Case {pseudonym}"),
            )
    if ids := ints(wanted.get("audits.audit", ())):
        for pk, title in (
            model_of("audits.audit").objects.filter(pk__in=ids).values_list("pk", "title")
        ):
            labels[("audits.audit", str(pk))] = TargetLabel(f"Audit {title}")
    if ids := ints(wanted.get("briefings.briefingversion", ())):
        for version in (
            model_of("briefings.briefingversion")
            .objects.select_related("briefing__audit")
            .filter(pk__in=ids)
        ):
            labels[("briefings.briefingversion", str(version.pk))] = TargetLabel(
                f"Briefing version {version.number}",
                (
                    "briefings.briefing",
                    str(version.briefing_id),
                    f"Briefing of {version.briefing.audit.title}",
                ),
            )
    return labels
