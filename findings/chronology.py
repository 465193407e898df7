"""One multi-agency chronology per child, merged from every agency's key events.

The rules, pinned by tests/findings/test_chronology.py on a small hand-made case:

- **Order**: by date (a month-only event sorts at the first of its month), then agency name,
  then the order the events were entered.
- **A month-only event** covers its whole month: 03/2025 runs from 1 to 31 March.
- **Long gap**: more than GAP_DAYS (90) days between the end of one event and the start of the
  next, whoever recorded them, is marked between them.
- **Involved at the time**: an agency is involved from the start of its first key event until
  the end of its last one, or of its "Case closed" event: a "Case closed" ends one period of
  involvement and the agency's next event starts another. An agency that recorded no events
  is never counted as involved: the chronology knows only what the returns say, and assuming
  an agency without events (or after its last one) still involved would mark nearly every
  event.
- **Near**: two events are near when no more than NEAR_DAYS (14) days separate them (between
  the end of the earlier and the start of the later; overlapping months are 0 days apart).
- **Possible missed link**: an event of one agency while another agency was involved at the
  time and recorded nothing near it. The event names the agencies that were involved and
  silent ("Police were involved and recorded nothing within 14 days").
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from audits.event_dates import EventDate
from audits.event_selectors import key_events_of_child
from audits.models import Audit

GAP_DAYS = 90
NEAR_DAYS = 14
CASE_CLOSED = "case-closed"
# Agency colours (with their labels, never colour alone): eight that read on white and differ
# for the common colour-vision deficiencies (Okabe-Ito, darkened for contrast).
PALETTE_SIZE = 8


@dataclass(frozen=True)
class ChronologyEvent:
    agency_id: int
    agency_name: str
    agency_label: str
    start: datetime.date
    end: datetime.date  # the last day of the month for a month-only event
    when_display: str
    kind: str
    kind_key: str
    text: str
    order: int = 0  # the order it was entered (its id)


@dataclass
class ChronologyEntry:
    event: ChronologyEvent
    colour: int  # index into the palette: CSS class agency-colour-<n>
    silent_agencies: list[str] = field(default_factory=list)  # names
    silent_labels: list[str] = field(default_factory=list)  # their short labels

    @property
    def is_missed_link(self) -> bool:
        return bool(self.silent_agencies)


@dataclass(frozen=True)
class Gap:
    after: datetime.date
    before: datetime.date

    @property
    def days(self) -> int:
        return (self.before - self.after).days

    @property
    def months(self) -> int:
        return self.days // 30


@dataclass
class Chronology:
    rows: list  # ChronologyEntry and Gap, in order
    agencies: list[tuple[str, str, int]]  # (name, label, colour) of every agency in it

    @property
    def entries(self) -> list[ChronologyEntry]:
        return [row for row in self.rows if isinstance(row, ChronologyEntry)]

    @property
    def missed_links(self) -> int:
        return sum(1 for entry in self.entries if entry.is_missed_link)

    @property
    def gaps(self) -> int:
        return sum(1 for row in self.rows if isinstance(row, Gap))


def _apart(a: ChronologyEvent, b: ChronologyEvent) -> int:
    """Days between two events (0 when they overlap)."""
    if a.end < b.start:
        return (b.start - a.end).days
    if b.end < a.start:
        return (a.start - b.end).days
    return 0


def _involvement(events: list[ChronologyEvent]) -> list[tuple[datetime.date, datetime.date]]:
    """An agency's periods of involvement (its events in date order): each from an event to
    its next "Case closed", or to its last event."""
    periods: list[tuple[datetime.date, datetime.date]] = []
    start: datetime.date | None = None
    end: datetime.date | None = None
    for event in events:
        if start is None:
            start = event.start
        end = max(end, event.end) if end else event.end
        if event.kind_key == CASE_CLOSED:
            periods.append((start, end))
            start = end = None
    if start is not None and end is not None:
        periods.append((start, end))
    return periods


def build_chronology(
    events: Iterable[ChronologyEvent], *, near_days: int = NEAR_DAYS, gap_days: int = GAP_DAYS
) -> Chronology:
    ordered = sorted(events, key=lambda e: (e.start, e.agency_name, e.order))
    by_agency: dict[int, list[ChronologyEvent]] = {}
    for event in ordered:
        by_agency.setdefault(event.agency_id, []).append(event)
    names = {event.agency_id: (event.agency_name, event.agency_label) for event in ordered}
    colour_of = {
        agency_id: index % PALETTE_SIZE
        for index, agency_id in enumerate(sorted(by_agency, key=lambda a: names[a][0]))
    }
    involvement = {agency_id: _involvement(evs) for agency_id, evs in by_agency.items()}

    rows: list = []
    previous: ChronologyEvent | None = None
    for event in ordered:
        if previous is not None and (event.start - previous.end).days > gap_days:
            rows.append(Gap(after=previous.end, before=event.start))
        silent = []
        for agency_id, periods in involvement.items():
            if agency_id == event.agency_id:
                continue
            if not any(start <= event.end and event.start <= end for start, end in periods):
                continue
            if not any(_apart(event, other) <= near_days for other in by_agency[agency_id]):
                silent.append(agency_id)
        silent.sort(key=lambda a: names[a][0])
        rows.append(
            ChronologyEntry(
                event=event,
                colour=colour_of[event.agency_id],
                silent_agencies=[names[a][0] for a in silent],
                silent_labels=[names[a][1] for a in silent],
            )
        )
        if previous is None or event.end > previous.end:
            previous = event
    agencies = [
        (names[agency_id][0], names[agency_id][1], colour_of[agency_id])
        for agency_id in sorted(by_agency, key=lambda a: names[a][0])
    ]
    return Chronology(rows=rows, agencies=agencies)


def chronology_of_child(audit: Audit, case_id: int) -> Chronology:
    """The merged chronology of one child in one audit, from every agency's key events (the
    business team's view: the caller has checked who asks)."""
    events = []
    for event in key_events_of_child(audit, case_id):
        agency = event.audit_return.agency
        events.append(
            ChronologyEvent(
                agency_id=agency.pk,
                agency_name=agency.name,
                agency_label=agency.label,
                start=event.when,
                end=EventDate(event.when, event.precision).last_day,
                when_display=event.when_display,
                kind=event.kind.name,
                kind_key=event.kind.key,
                text=event.text,
                order=event.pk,
            )
        )
    return build_chronology(events)
