"""Selectors for the audit trail pages: AuditEvent rows (services' changes, access log,
security events) and django-simple-history change records, as one list in time order."""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case as CaseWhen
from django.db.models import CharField, F, Model, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from .history import history_models
from .models import AuditEvent
from .trail_labels import target_labels
from .trail_records import RecordScope
from .trail_registry import codes_matching, label_of

COLUMNS = ("src", "rid", "w", "who", "what", "tt", "ti")
HIDDEN_FIELDS = {"updated_at"}  # noise in a diff: every save changes it
MAX_VALUE = 120
# The trail codes of django-simple-history's rows, by history_type.
HISTORY_CODES = {"+": "history.created", "~": "history.changed", "-": "history.deleted"}


@dataclass
class TrailRow:
    source: str
    row_id: int
    at: datetime.datetime
    actor_id: int | None
    code: str  # the registered event code: "return.viewed", "history.changed"
    target_type: str
    target_id: str
    actor: str = "system"
    kind: str = "change"
    target: str = ""
    details: list[str] = field(default_factory=list)
    # The searchable record this row's target belongs to: (type, id, label), e.g. an
    # answer's return, a return's case.
    part_of: tuple[str, str, str] | None = None

    @property
    def label(self) -> str:
        """What happened, in words: "Viewed a return"."""
        return label_of(self.code)


def target_type_choices() -> list[tuple[str, str]]:
    choices = [
        (label, model._meta.verbose_name.capitalize()) for label, model, _h in history_models()
    ]
    choices.append(("accounts.user", "User account"))
    return sorted(set(choices), key=lambda choice: choice[1])


def _event_rows(
    *, user_q, actor_id, event, kind, target_type, date_from, date_to, scope
) -> QuerySet:
    qs = AuditEvent.objects.all()
    if event:
        qs = qs.filter(Q(code__in=codes_matching(event)) | Q(code__icontains=event))
    if scope is not None:
        qs = qs.filter(scope.events)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if user_q:
        qs = qs.filter(Q(actor__username__icontains=user_q) | Q(actor_label__icontains=user_q))
    if kind:
        qs = qs.filter(kind=kind)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    qs = qs.annotate(
        src=Value("event", output_field=CharField()),
        rid=F("pk"),
        w=F("at"),
        who=F("actor_id"),
        what=F("code"),
        tt=F("target_type"),
        ti=F("target_id"),
    )
    return qs.values_list(*COLUMNS).order_by()


def _history_rows(
    label, historical, *, user_q, actor_id, event, date_from, date_to, scope
) -> QuerySet:
    qs = historical.objects.all()
    if event:
        matching = set(codes_matching(event))
        qs = qs.filter(
            history_type__in=[t for t, code in HISTORY_CODES.items() if code in matching]
        )
    if scope is not None:
        qs = qs.filter(scope.history[label])
    if actor_id:
        qs = qs.filter(history_user_id=actor_id)
    if user_q:
        qs = qs.filter(history_user__username__icontains=user_q)
    if date_from:
        qs = qs.filter(history_date__date__gte=date_from)
    if date_to:
        qs = qs.filter(history_date__date__lte=date_to)
    qs = qs.annotate(
        src=Value(label, output_field=CharField()),
        rid=F("history_id"),
        w=F("history_date"),
        who=F("history_user_id"),
        what=CaseWhen(
            *[When(history_type=t, then=Value(code)) for t, code in HISTORY_CODES.items()],
            output_field=CharField(),
        ),
        tt=Value(label, output_field=CharField()),
        ti=Cast("id", output_field=CharField()),
    )
    return qs.values_list(*COLUMNS).order_by()


def trail_rows(
    *,
    user_q: str = "",
    actor_id: int | None = None,
    event: str = "",
    kind: str = "",
    target_type: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    scope: RecordScope | None = None,
) -> QuerySet:
    """One union query of tuples (source, row id, at, actor id, code, type, id), newest
    first; with a `scope`, only the rows of that record and of the records that belong to it;
    with `event`, only the rows whose code or label contains it. Enrich a page of it with
    `describe_rows`."""
    parts = [
        _event_rows(
            user_q=user_q,
            actor_id=actor_id,
            event=event,
            kind=kind,
            target_type=target_type,
            date_from=date_from,
            date_to=date_to,
            scope=scope,
        )
    ]
    if kind in {"", AuditEvent.Kind.CHANGE}:
        for label, _model, historical in history_models():
            if target_type and target_type != label:
                continue
            if scope is not None and label not in scope.history:
                continue
            parts.append(
                _history_rows(
                    label,
                    historical,
                    user_q=user_q,
                    actor_id=actor_id,
                    event=event,
                    date_from=date_from,
                    date_to=date_to,
                    scope=scope,
                )
            )
    first, *rest = parts
    return (
        first.union(*rest, all=True).order_by("-w", "-rid")
        if rest
        else first.order_by("-w", "-rid")
    )


def _short(value) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _field(model, name: str):
    """The model's own field of that name; None for an unknown name or a reverse relation
    (another model's key pointing here: it has no verbose name or choices of its own)."""
    try:
        field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None
    return None if field is not None and field.auto_created and not field.concrete else field


def _word(field, value) -> str:
    """One stored value as a reader would say it: a choice's label, yes or no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%-d %b %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%-d %b %Y")
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    return _short(choices.get(value, value))


def _change_lines(model, changes: dict) -> list[str]:
    """An event's changes as lines of words: "Status: Findings agreed → Published"; a field of
    the target's model is named by its verbose name and its choices by their labels; empty
    values are left out."""
    lines = []
    for key, value in (changes or {}).items():
        if value in (None, "", [], {}):
            continue
        field = _field(model, key)
        name = str(field.verbose_name) if field is not None else key.replace("_", " ")
        if isinstance(value, list) and len(value) == 2:
            text = f"{_word(field, value[0])} → {_word(field, value[1])}"
        elif isinstance(value, list):
            text = _short(", ".join(_word(field, v) for v in value))
        else:
            text = _word(field, value)
        lines.append(f"{name[:1].upper()}{name[1:]}: {text}")
    return lines


def _history_details(historical, records: list) -> dict[int, list[str]]:
    """Field-by-field differences of each history record from the one before it."""
    if not records:
        return {}
    tracked = [
        f
        for f in historical._meta.fields
        if not f.name.startswith("history_") and f.name not in HIDDEN_FIELDS
    ]
    object_ids = {r.id for r in records}
    latest = max(r.history_date for r in records)
    timeline: dict[int, list] = {}
    for record in historical.objects.filter(id__in=object_ids, history_date__lte=latest).order_by(
        "history_date", "history_id"
    ):
        timeline.setdefault(record.id, []).append(record)
    changed: dict[int, list[tuple]] = {}
    for record in records:
        history = timeline.get(record.id, [])
        index = next((i for i, r in enumerate(history) if r.history_id == record.history_id), 0)
        previous = history[index - 1] if index > 0 else None
        if record.history_type == "~" and previous is not None:
            changed[record.history_id] = [
                (f, getattr(previous, f.attname), getattr(record, f.attname))
                for f in tracked
                if getattr(previous, f.attname) != getattr(record, f.attname)
            ]
        else:
            changed[record.history_id] = []
    names = _related_names([item for items in changed.values() for item in items])
    details = {}
    for record in records:
        lines = [
            f"{f.verbose_name}: {names.get((f, old), _word(f, old))} → "
            f"{names.get((f, new), _word(f, new))}"
            for f, old, new in changed[record.history_id]
        ]
        if record.history_type == "~" and not lines:
            if historical._meta.label_lower == "cases.historicalrecordreference":
                lines.append("reference: changed (the value is never shown)")
            else:
                lines.append("saved without visible changes")
        details[record.history_id] = lines
    return details


def _related_names(changes: list[tuple]) -> dict[tuple, str]:
    """{(field, id): name} for the foreign keys among `changes` (a user by their name, an
    agency by its name), one query per related model; a row deleted since keeps its id."""
    wanted: dict[type[Model], set] = {}
    for f, old, new in changes:
        if f.many_to_one and f.related_model is not None:
            wanted.setdefault(f.related_model, set()).update(v for v in (old, new) if v is not None)
    found = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items() if ids}
    names = {}
    for f, old, new in changes:
        if f.many_to_one and f.related_model in found:
            for value in (old, new):
                obj = found[f.related_model].get(value)
                if obj is not None:
                    names[(f, value)] = _short(str(obj))
    return names


def _target_model(target_type: str):
    """The model a target type names ("audits.audit"), or None."""
    try:
        return apps.get_model(target_type) if target_type else None
    except (LookupError, ValueError):
        return None


def describe_rows(raw_rows) -> list[TrailRow]:
    """Turn a page of `trail_rows` tuples into TrailRow objects with names and diffs, in a
    fixed number of queries (one per source present)."""
    rows = [TrailRow(*raw) for raw in raw_rows]
    actor_ids = {r.actor_id for r in rows if r.actor_id}
    actors = {u.pk: u.get_username() for u in get_user_model().objects.filter(pk__in=actor_ids)}
    event_ids = [r.row_id for r in rows if r.source == "event"]
    events = AuditEvent.objects.in_bulk(event_ids)
    by_source: dict[str, list[int]] = {}
    for r in rows:
        if r.source != "event":
            by_source.setdefault(r.source, []).append(r.row_id)
    history_details: dict[tuple[str, int], list[str]] = {}
    history_records: dict[str, list] = {}
    verbose: dict[str, str] = {}
    for label, model, historical in history_models():
        verbose[label] = model._meta.verbose_name.capitalize()
        if label not in by_source:
            continue
        records = list(historical.objects.filter(history_id__in=by_source[label]))
        history_records[label] = records
        for history_id, lines in _history_details(historical, records).items():
            history_details[(label, history_id)] = lines
    wanted: dict[str, set[str]] = {}
    for r in rows:
        if r.target_type and r.target_id:
            wanted.setdefault(r.target_type, set()).add(r.target_id)
    labels = target_labels(wanted, history_records)
    for r in rows:
        if r.actor_id in actors:
            r.actor = actors[r.actor_id]
        if r.source == "event":
            event = events.get(r.row_id)
            if event is not None:
                r.kind = event.kind
                r.target = event.target_repr
                if not r.actor_id:
                    r.actor = event.actor_label or "system"
                r.details = _change_lines(_target_model(r.target_type), event.changes)
        else:
            r.kind = AuditEvent.Kind.CHANGE
            r.target = f"{verbose.get(r.source, r.source)} {r.target_id}"
            r.details = history_details.get((r.source, r.row_id), [])
        label = labels.get((r.target_type, r.target_id))
        if label is not None:
            r.target, r.part_of = label.text, label.part_of
    return rows
