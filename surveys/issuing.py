"""Issuing a batch of one-time codes. The codes are returned once, to be printed as letters
or sent as links there and then; the database keeps only their hashes and the batch's label."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from auditportal.auditlog import audit_log
from cases.models import Agency

from .codes import code_hash, new_code
from .models import CodeBatch, Survey, SurveyCode

MAX_BATCH = 500


@transaction.atomic
def batch_issue(
    *,
    survey: Survey,
    label: str,
    size: int,
    request_key: str,
    agency: Agency | None = None,
    actor: Any,
) -> tuple[CodeBatch, list[str]]:
    """Make `size` new codes under `label`. Posting the same form twice (its `request_key`)
    makes nothing the second time: ValidationError, as the codes were shown once already."""
    label = (label or "").strip()
    errors: dict[str, str] = {}
    if survey.status == Survey.Status.CLOSED:
        errors["__all__"] = "The survey is closed: its codes would not work. Open it again first."
    if not label:
        errors["label"] = 'Give the batch a label, e.g. "Rapid response service, parents".'
    if not isinstance(size, int) or not 1 <= size <= MAX_BATCH:
        errors["size"] = f"Issue between 1 and {MAX_BATCH} codes at a time."
    if CodeBatch.objects.filter(request_key=request_key).exists():
        errors["__all__"] = (
            "These codes were already made and shown once (the form was sent twice). "
            "They are not kept, so print them from the first page or issue a new batch."
        )
    if errors:
        raise ValidationError(errors)
    batch = CodeBatch(survey=survey, label=label, size=size, request_key=request_key, agency=agency)
    batch.full_clean()
    batch.save()
    codes: list[str] = []
    while len(codes) < size:
        wanted = [new_code() for _ in range(size - len(codes))]
        try:
            with transaction.atomic():
                SurveyCode.objects.bulk_create(
                    [SurveyCode(batch=batch, code_hash=code_hash(c)) for c in wanted]
                )
        except IntegrityError:  # a clash with an existing code: about 1 in 10^15; draw again
            continue
        codes.extend(wanted)
    audit_log(
        actor=actor,
        code="survey_batch.issued",
        target=batch,
        changes={"survey": survey.pk, "label": label, "size": size},
    )
    return batch, codes
