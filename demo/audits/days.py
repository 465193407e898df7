"""Demo dates: relative to today, on working days only."""

import datetime

from django.utils import timezone

# Demo dates are relative to today; none falls on a weekend or on these days (month, day):
# Christmas Day, Boxing Day, New Year's Day.
CLOSED_DAYS = {(12, 25), (12, 26), (1, 1)}


def working_day(day: datetime.date) -> datetime.date:
    """The day itself, or the next day that is neither a weekend nor a closed day."""
    while day.weekday() >= 5 or (day.month, day.day) in CLOSED_DAYS:
        day += datetime.timedelta(days=1)
    return day


def _morning(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
