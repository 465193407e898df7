"""The merged chronology on a small hand-made case (findings/chronology.py has the rules):

    CSC     1 Jan referral, 20 Jan assessment, ................ 15 Aug case closed
    Police  15 Jan incident, ......................... 10 Jul missing episode
    School  03/2025 (only the month) exclusion

- order: by date, a month-only event at the first of its month;
- gap: from the end of March (the school's month) to 10 Jul is 101 days, over 90;
- involved: CSC from 1 Jan to its case closed on 15 Aug; the police from 15 Jan and the school
  from 1 Mar, still involved (neither closed);
- missed links: the school's March exclusion (CSC and the police involved, nothing within 14
  days), the police's missing episode on 10 Jul (CSC and the school silent) and CSC's closing
  on 15 Aug (the police and the school silent). The police's incident on 15 Jan is 14 days
  after CSC's referral: near, so not a missed link; nobody is involved before their first
  event, so CSC's referral is not one either.
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
        (
            D(2025, 7, 10),
            "Police",
            "Missing episode",
            ["Children's Social Care", "Riverside School"],
        ),
        (D(2025, 8, 15), "Children's Social Care", "Case closed", ["Police", "Riverside School"]),
    ]
    assert (chronology.gaps, chronology.missed_links) == (1, 3)


def test_an_agency_is_not_involved_after_its_case_closed():
    late = _event(*POLICE, D(2025, 9, 1), "Police incident", order=7)

    chronology = build_chronology([*EVENTS, late])

    last = chronology.entries[-1]
    assert (last.event.kind, last.silent_agencies) == ("Police incident", ["Riverside School"])


def test_near_is_fourteen_days_either_side():
    csc = _event(*CSC, D(2025, 1, 1), "Referral")
    police_near = _event(*POLICE, D(2025, 1, 15), "Police incident")
    police_far = _event(*POLICE, D(2025, 2, 1), "Police incident")
    csc_later = _event(*CSC, D(2025, 1, 16), "Assessment")

    chronology = build_chronology([csc, police_near, police_far, csc_later])

    assert [(e.event.start, e.silent_agencies) for e in chronology.entries] == [
        (D(2025, 1, 1), []),
        (D(2025, 1, 15), []),
        (D(2025, 1, 16), []),
        (D(2025, 2, 1), ["Children's Social Care"]),
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
