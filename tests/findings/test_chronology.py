"""The merged chronology on a small hand-made case (findings/chronology.py has the rules):

    CSC     1 Jan referral, 20 Jan assessment, ................ 15 Aug case closed
    Police  15 Jan incident, ......................... 10 Jul missing episode
    School  03/2025 (only the month) exclusion

- order: by date, a month-only event at the first of its month;
- gap: from the end of March (the school's month) to 10 Jul is 101 days, over 90;
- involved: CSC from 1 Jan to its case closed on 15 Aug; the police from 15 Jan to its last
  event on 10 Jul; the school for March only;
- missed links: the school's March exclusion (CSC and the police involved, nothing within 14
  days) and the police's missing episode on 10 Jul (CSC involved and silent; the school's
  involvement ended in March). The police's incident on 15 Jan is 14 days after CSC's
  referral: near, so not a missed link; nobody is involved before their first event, so
  CSC's referral is not one either, and CSC's closing on 15 Aug comes after the police's
  last event.
"""

import datetime

from findings.chronology import ChronologyEntry, ChronologyEvent, Gap, build_chronology

D = datetime.date


def _event(agency_id, name, start, kind, *, end=None, key="", order=0):
    return ChronologyEvent(
        agency_id=agency_id,
        agency_name=name,
        agency_label=name[:6],
        start=start,
        end=end or start,
        when_display=f"{start:%d %b}",
        kind=kind,
        kind_key=key,
        text="",
        order=order,
    )


CSC = (1, "Children's Social Care")
POLICE = (2, "Police")
SCHOOL = (3, "Riverside School")

EVENTS = [
    _event(*CSC, D(2025, 8, 15), "Case closed", key="case-closed", order=5),
    _event(*POLICE, D(2025, 7, 10), "Missing episode", order=6),
    _event(*SCHOOL, D(2025, 3, 1), "School exclusion", end=D(2025, 3, 31), order=4),
    _event(*CSC, D(2025, 1, 20), "Assessment", order=2),
    _event(*POLICE, D(2025, 1, 15), "Police incident", order=3),
    _event(*CSC, D(2025, 1, 1), "Referral", order=1),
]


def _summary(chronology):
    rows = []
    for row in chronology.rows:
        if isinstance(row, Gap):
            rows.append(("gap", row.after, row.before))
        else:
            assert isinstance(row, ChronologyEntry)
            rows.append(
                (row.event.start, row.event.agency_name, row.event.kind, row.silent_agencies)
            )
    return rows


def test_merged_chronology_order_gaps_and_missed_links():
    chronology = build_chronology(EVENTS)

    assert _summary(chronology) == [
        (D(2025, 1, 1), "Children's Social Care", "Referral", []),
        (D(2025, 1, 15), "Police", "Police incident", []),
        (D(2025, 1, 20), "Children's Social Care", "Assessment", []),
        (
            D(2025, 3, 1),
            "Riverside School",
            "School exclusion",
            ["Children's Social Care", "Police"],
        ),
        ("gap", D(2025, 3, 31), D(2025, 7, 10)),
        (D(2025, 7, 10), "Police", "Missing episode", ["Children's Social Care"]),
        (D(2025, 8, 15), "Children's Social Care", "Case closed", []),
    ]
    assert (chronology.gaps, chronology.missed_links) == (1, 2)


def test_a_case_closed_ends_a_period_of_involvement_and_the_next_event_starts_one():
    police = _event(*POLICE, D(2025, 9, 1), "Police incident", order=7)
    rereferral = _event(*CSC, D(2025, 10, 1), "Referral", order=8)
    police_later = _event(*POLICE, D(2025, 11, 1), "Police incident", order=9)

    chronology = build_chronology([*EVENTS, police, rereferral, police_later])

    assert [(e.event.start, e.silent_agencies) for e in chronology.entries[-4:]] == [
        # The police's involvement now runs on to 1 Nov: silent near CSC's closing.
        (D(2025, 8, 15), ["Police"]),
        # CSC closed on 15 Aug and was referred again on 1 Oct: not involved on 1 Sep.
        (D(2025, 9, 1), []),
        # The police were involved from 15 Jan to 1 Nov and recorded nothing near 1 Oct.
        (D(2025, 10, 1), ["Police"]),
        # CSC's second period is 1 Oct only: over by 1 Nov.
        (D(2025, 11, 1), []),
    ]


def test_near_is_fourteen_days_either_side():
    events = [
        _event(*CSC, D(2025, 1, 1), "Referral"),
        _event(*POLICE, D(2025, 1, 15), "Police incident"),
        _event(*CSC, D(2025, 1, 16), "Assessment"),
        _event(*POLICE, D(2025, 2, 1), "Police incident"),
        _event(*CSC, D(2025, 3, 1), "Home visit"),
    ]

    chronology = build_chronology(events)

    assert [(e.event.start, e.silent_agencies) for e in chronology.entries] == [
        (D(2025, 1, 1), []),
        # 14 days after CSC's referral: near.
        (D(2025, 1, 15), []),
        (D(2025, 1, 16), []),
        # 16 days after CSC's assessment and 28 before its visit, CSC involved throughout.
        (D(2025, 2, 1), ["Children's Social Care"]),
        # The police's involvement ended with its last event on 1 Feb.
        (D(2025, 3, 1), []),
    ]


def test_each_agency_keeps_one_colour_by_its_name():
    chronology = build_chronology(EVENTS)

    assert chronology.agencies == [
        ("Children's Social Care", "Childr", 0),
        ("Police", "Police", 1),
        ("Riverside School", "Rivers", 2),
    ]
    assert {(e.event.agency_name, e.colour) for e in chronology.entries} == {
        ("Children's Social Care", 0),
        ("Police", 1),
        ("Riverside School", 2),
    }
