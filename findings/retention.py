"""Retention of what the findings layer wrote about the children of an audit, purged with the
audit (audits.retention sends `audit_purging` inside its transaction): the meeting's
lived-experience and judgement texts are emptied (the judgement's choice and the agreed grades
stay, so the figures are unchanged; their history keeps who and when, not the text), and the
child summary PDFs go, rows and files. The files are deleted once the purge has committed, so
a purge that fails leaves the rows and their files together."""

from django.db import transaction
from django.db.models import Q

from audits.models import Audit

from .case_models import CaseJudgement, ChildSummary


def findings_purge(*, audit: Audit, **_kwargs: object) -> dict[str, int]:
    judgements = CaseJudgement.objects.filter(sample_case__audit=audit)
    with_text = judgements.filter(~Q(lived_experience="") | ~Q(difference_text=""))
    judgement_ids = list(judgements.values_list("pk", flat=True))
    texts = with_text.count()
    judgements.update(lived_experience="", difference_text="")
    history = CaseJudgement.history.model  # type: ignore[attr-defined]  # simple-history
    history.objects.filter(id__in=judgement_ids).update(lived_experience="", difference_text="")

    summaries = ChildSummary.objects.filter(sample_case__audit=audit)
    files = [name for name in summaries.values_list("pdf", flat=True) if name]
    count = summaries.count()
    summaries.delete()
    storage = ChildSummary._meta.get_field("pdf").storage

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return {"judgement texts": texts, "child summary PDFs": count}
