"""Writes of the sample builder: the candidate list of a planned audit (uploaded as CSV), the
proposed sample, swaps, and adding the chosen children to the audit.

Pseudonyms identify children: the trail records counts, sizes and seeds, never a pseudonym.
"""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.models import Audit, SampleCandidate, SampleProposal
from audits.sampling import propose
from cases.models import Agency, Case

from . import programme as programme_services

__all__ = [
    "MAX_CANDIDATE_BYTES",
    "MAX_CANDIDATE_ROWS",
    "CandidateFileError",
    "RowError",
    "candidates_parse",
    "candidates_upload",
    "sample_add_chosen",
    "sample_propose",
    "sample_swap",
]

MAX_CANDIDATE_BYTES = 2 * 1024 * 1024
MAX_CANDIDATE_ROWS = 2000
PSEUDONYM_LIMIT = 30  # Case.pseudonym max_length

# Column -> (the names a header may give it, its choices or None).
COLUMNS: dict[str, tuple[tuple[str, ...], list[tuple[str, str]] | None]] = {
    "pseudonym": (("pseudonym",), None),
    "age_band": (("age band", "age"), Case.AgeBand.choices),
    "gender": (("gender",), Case.Gender.choices),
    "ethnicity": (("ethnicity",), Case.Ethnicity.choices),
    "level_of_need": (("level of need", "need"), Case.LevelOfNeed.choices),
}
COLUMN_TITLES = {
    "pseudonym": "Pseudonym",
    "age_band": "Age band",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "level_of_need": "Level of need",
}
OPTIONAL = {"ethnicity"}


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


class CandidateFileError(Exception):
    """The file cannot be imported: a message about the whole file, or one per row."""

    def __init__(self, message: str = "", rows: list[RowError] | None = None) -> None:
        super().__init__(message or f"{len(rows or [])} problems")
        self.message = message
        self.rows = rows or []


def _require_planned(audit: Audit, actor: User) -> None:
    if not getattr(actor, "is_business_team", False):
        raise PermissionDenied("Only the business team can build a sample.")
    if audit.status != Audit.Status.PLANNED:
        raise ValidationError("The sample is built before the audit opens: this audit has opened.")


def _header_key(name: str) -> str | None:
    normal = " ".join(name.replace("_", " ").strip().lower().split())
    for key, (names, _) in COLUMNS.items():
        if normal in names:
            return key
    return None


def _choice(value: str, choices: list[tuple[str, str]]) -> str | None:
    wanted = value.strip().lower()
    for stored, label in choices:
        if wanted in (stored.lower(), label.lower()):
            return stored
    return None


def candidates_parse(data: bytes) -> list[dict[str, str]]:
    """The rows of a candidate file as field values, or CandidateFileError listing what is
    wrong: every row checked, so one upload shows every problem."""
    if len(data) > MAX_CANDIDATE_BYTES:
        raise CandidateFileError("The file is larger than 2 MB: split the list or trim it.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CandidateFileError(
            "This is not a CSV file we can read: save it from the spreadsheet as "
            "“CSV UTF-8 (comma delimited)”."
        ) from None
    if "\x00" in text:
        raise CandidateFileError("This is not a CSV file: it holds binary data.")
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        raise CandidateFileError("This is not a CSV file we can read.") from None
    while lines and not any(cell.strip() for cell in lines[-1]):
        lines.pop()
    if not lines:
        raise CandidateFileError("The file is empty.")
    header = [_header_key(name) for name in lines[0]]
    missing = [COLUMN_TITLES[key] for key in COLUMNS if key not in header]
    if missing:
        raise CandidateFileError(
            "The first row must name the columns; missing: " + ", ".join(missing) + "."
        )
    body = lines[1:]
    if not body:
        raise CandidateFileError("The file has a header row but no children.")
    if len(body) > MAX_CANDIDATE_ROWS:
        raise CandidateFileError(
            f"The file has {len(body)} rows: at most {MAX_CANDIDATE_ROWS} can be uploaded."
        )
    rows: list[dict[str, str]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(body, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {key: "" for key in COLUMNS}
        for key, cell in zip(header, cells, strict=False):
            if key is not None:
                values[key] = cell.strip()
        row = {"row_number": str(number)}
        for key, (_, choices) in COLUMNS.items():
            value, title = values[key], COLUMN_TITLES[key]
            if not value:
                if key not in OPTIONAL:
                    errors.append(RowError(number, title, "is empty."))
                row[key] = ""
            elif choices is None:
                if len(value) > PSEUDONYM_LIMIT:
                    errors.append(
                        RowError(number, title, f"is longer than {PSEUDONYM_LIMIT} characters.")
                    )
                elif value.lower() in seen:
                    errors.append(
                        RowError(number, title, f"is the same as row {seen[value.lower()]}.")
                    )
                else:
                    seen[value.lower()] = number
                row[key] = value
            else:
                stored = _choice(value, choices)
                if stored is None:
                    labels = "; ".join(label for _, label in choices)
                    errors.append(RowError(number, title, f"“{value}” is not one of: {labels}."))
                row[key] = stored or ""
        rows.append(row)
    if errors:
        raise CandidateFileError(rows=errors)
    return rows


@transaction.atomic
def candidates_upload(*, audit: Audit, actor: User, data: bytes) -> int:
    """Replace the audit's candidate list with the file's rows: all or nothing (raises
    CandidateFileError and changes nothing when any row is wrong). Returns the count."""
    _require_planned(audit, actor)
    rows = candidates_parse(data)
    SampleCandidate.objects.filter(audit=audit).delete()
    SampleProposal.objects.filter(audit=audit).delete()
    candidates = [
        SampleCandidate(
            audit=audit,
            row_number=int(row["row_number"]),
            pseudonym=row["pseudonym"],
            age_band=row["age_band"],
            gender=row["gender"],
            ethnicity=row["ethnicity"],
            level_of_need=row["level_of_need"],
        )
        for row in rows
    ]
    for candidate in candidates:
        candidate.full_clean(exclude=["audit"], validate_unique=False)
    SampleCandidate.objects.bulk_create(candidates)
    # A count only: the file names children.
    audit_log(
        actor=actor, code="audit.candidates_uploaded", target=audit, changes={"rows": len(rows)}
    )
    return len(rows)


@transaction.atomic
def sample_propose(*, audit: Audit, actor: User, size: int, seed: int) -> SampleProposal:
    """Choose `size` candidates (stratified, see audits.sampling) and remember size and seed.
    A new proposal replaces the last one, swaps included."""
    _require_planned(audit, actor)
    candidates = list(SampleCandidate.objects.filter(audit=audit).order_by("row_number", "pk"))
    if not candidates:
        raise ValidationError("Upload a candidate list first.")
    if size < 1:
        raise ValidationError("Propose a sample of at least 1 child.")
    chosen = [c.pk for c in propose(candidates, size, seed)]
    SampleCandidate.objects.filter(audit=audit).update(chosen=False)
    SampleCandidate.objects.filter(pk__in=chosen).update(chosen=True)
    proposal, _ = SampleProposal.objects.update_or_create(
        audit=audit, defaults={"size": len(chosen), "seed": seed, "swaps": 0}
    )
    audit_log(
        actor=actor,
        code="audit.sample_proposed",
        target=audit,
        changes={"size": len(chosen), "seed": seed, "candidates": len(candidates)},
    )
    return proposal


@transaction.atomic
def sample_swap(
    *, audit: Audit, actor: User, take_out: SampleCandidate, put_in: SampleCandidate
) -> None:
    """Take a proposed candidate out of the proposal and put another candidate in."""
    _require_planned(audit, actor)
    if take_out.audit_id != audit.pk or put_in.audit_id != audit.pk:
        raise ValidationError("Choose candidates of this audit.")
    if not take_out.chosen or put_in.chosen:
        raise ValidationError("Swap a proposed child for one not yet proposed.")
    take_out.chosen = False
    take_out.save(update_fields=["chosen"])
    put_in.chosen = True
    put_in.save(update_fields=["chosen"])
    proposal = SampleProposal.objects.filter(audit=audit).first()
    if proposal is not None:
        proposal.swaps += 1
        proposal.save(update_fields=["swaps", "proposed_at"])
    # Row numbers of the file, never the pseudonyms.
    audit_log(
        actor=actor,
        code="audit.sample_swapped",
        target=audit,
        changes={"rows": [take_out.row_number, put_in.row_number]},
    )


@transaction.atomic
def sample_add_chosen(*, audit: Audit, actor: User, agencies: list[Agency]) -> list[Case]:
    """Add every chosen candidate not yet in the sample to the audit through case_create,
    with the given involved agencies (no record references: add them on each case). A
    pseudonym the partnership already has links that child. All or nothing."""
    _require_planned(audit, actor)
    if not agencies:
        raise ValidationError("Choose at least one agency involved with these children.")
    in_sample = {p.lower() for p in audit.cases.values_list("pseudonym", flat=True)}
    chosen = SampleCandidate.objects.filter(audit=audit, chosen=True).order_by("row_number")
    cases = []
    for candidate in chosen:
        if candidate.pseudonym.lower() in in_sample:
            continue
        cases.append(
            programme_services.case_create(
                audit=audit,
                actor=actor,
                pseudonym=candidate.pseudonym,
                age_band=candidate.age_band,
                gender=candidate.gender,
                ethnicity=candidate.ethnicity,
                level_of_need=candidate.level_of_need,
                agencies={agency: "" for agency in agencies},
            )
        )
    if not cases:
        raise ValidationError("Every chosen child is already in the sample.")
    return cases
