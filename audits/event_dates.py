"""What a key event's date may be, as rules a form and the service share.

A date is written as a day (14/03/2025 or 2025-03-14) or only a month (03/2025 or 2025-03).
It is refused when it is in the future, before the child could have been born (the earliest
year of birth the child's age band allows when the audit's returns opened), or before the
audit's look-back window (the first day of the month `look_back_months` before the month
returns opened). A month counts as the whole month: March 2025 is in the window if any of its
days is."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from cases.models import Case

from .models import Audit

# The oldest age each band allows (18+: care leavers, supported up to 25).
OLDEST_AGE: dict[str, int] = {
    Case.AgeBand.UNDER_1: 0,
    Case.AgeBand.AGE_1_4: 4,
    Case.AgeBand.AGE_5_9: 9,
    Case.AgeBand.AGE_10_12: 12,
    Case.AgeBand.AGE_13_15: 15,
    Case.AgeBand.AGE_16_17: 17,
    Case.AgeBand.AGE_18_PLUS: 25,
}

_DAY = [
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
]
_MONTH = [
    re.compile(r"^(?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$"),
]
FORMAT_MESSAGE = "Enter a date like 14/03/2025, or only a month like 03/2025."


@dataclass(frozen=True)
class EventDate:
    when: datetime.date  # the day, or the first day of the month
    precision: str  # "day" or "month"

    @property
    def last_day(self) -> datetime.date:
        if self.precision == "month":
            days = calendar.monthrange(self.when.year, self.when.month)[1]
            return self.when.replace(day=days)
        return self.when


def parse_event_date(text: str) -> EventDate:
    value = (text or "").strip()
    if not value:
        raise ValidationError("Enter the date of the event, or its month.", code="required")
    for pattern in _DAY:
        match = pattern.match(value)
        if match:
            try:
                day = datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                raise ValidationError(
                    f"{value} is not a date. {FORMAT_MESSAGE}", code="invalid"
                ) from None
            return EventDate(day, "day")
    for pattern in _MONTH:
        match = pattern.match(value)
        if match:
            month = int(match["m"])
            if not 1 <= month <= 12:
                raise ValidationError(f"{value} is not a month. {FORMAT_MESSAGE}", code="invalid")
            return EventDate(datetime.date(int(match["y"]), month, 1), "month")
    raise ValidationError(FORMAT_MESSAGE, code="invalid")


def earliest_birth_year(case: Case, audit: Audit) -> int:
    """The earliest year the child can have been born, from the age band at returns opening."""
    return audit.returns_open.year - OLDEST_AGE.get(str(case.age_band), 25) - 1


def look_back_start(audit: Audit) -> datetime.date:
    months = audit.returns_open.year * 12 + audit.returns_open.month - 1 - audit.look_back_months
    return datetime.date(months // 12, months % 12 + 1, 1)


def check_event_date(
    event_date: EventDate, *, case: Case, audit: Audit, today: datetime.date
) -> None:
    """Raise ValidationError with the reason when the date cannot be a key event's."""
    if event_date.when > today:
        raise ValidationError(
            "This date is in the future: key events are what has already happened.",
            code="future",
        )
    born = earliest_birth_year(case, audit)
    if event_date.last_day.year < born:
        raise ValidationError(
            f"This is before the child could have been born: a child aged "
            f"{case.get_age_band_display().lower()} when returns opened was born in {born} or "
            "later.",
            code="before_birth",
        )
    start = look_back_start(audit)
    if event_date.last_day < start:
        raise ValidationError(
            f"This is before the audit's look-back window, which starts on "
            f"{start.day} {start:%B %Y} ({audit.look_back_months} months before returns "
            "opened).",
            code="before_window",
        )
