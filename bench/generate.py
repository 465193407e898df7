"""Large-data generator: N partnerships as N tenants, each with its agencies, users, question
bank, audits, cases, returns, answers, checklist ticks, findings, actions and briefings,
deterministic from a seed.

    .venv/bin/python bench/generate.py --partnerships 150 --seed 1
    .venv/bin/python manage.py generate_large_data --partnerships 10 --seed 1

Each partnership is a tenant as a hosting administrator would make it: a `Partnership` row
answering on `p007.<domain>` (default `bench.localhost`), its rows written inside its own
context (auditportal.tenancy), so every row carries its partnership, and its own question bank
seeded from the default bank. Partnership P001 is made first and is the same at every scale;
`first_hosts` gives it more host names (the bench gives it the loopback names, so the test
client and the load reach it without a Host header). Two in three partnerships (P001 among
them) opt in to benchmarking. Audits follow a timeline ending at the anchor date (default
today): 8 a year, the newest planned, two open (one overdue), one in moderation, one with
findings agreed, the rest published (last year) or closed.

Small tables go through the ORM's bulk_create; answers and ticks (the millions) through
PostgreSQL COPY (psycopg 3) with ids assigned here so ticks can point at their answers.
On SQLite (the test suite) everything goes through bulk_create.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_tenants import (
    HOST_DOMAIN,
    question_set,
    shares_benchmarks,
    tenant,
    tenant_host,
)

ROOT = Path(__file__).resolve().parent.parent

AGENCIES = [
    ("Children's Social Care", "CSC", "social_care"),
    ("Police Public Protection", "Police", "police"),
    ("CAMHS", "CAMHS", "health"),
    ("GP Practices", "GP", "health"),
    ("0-19 Health Service", "0-19", "health"),
    ("Schools and Colleges", "Schools", "education"),
    ("Early Help", "EH", "early_help"),
    ("Probation Service", "Probation", "probation"),
    ("Adult Mental Health", "AMH", "health"),
    ("Housing", "Housing", "housing"),
]


def generate(
    *,
    partnerships: int,
    seed: int = 1,
    years: int = 2,
    audits_per_year: int = 8,
    anchor: datetime.date | None = None,
    first_partnership: int = 1,
    max_cases: int = 20,
    references: bool = True,
    domain: str = HOST_DOMAIN,
    first_hosts: tuple[str, ...] = (),
    log=print,
) -> dict:
    """Generate `partnerships` tenants of data. Returns counts and timings (seconds), summed
    over the partnerships."""
    from django.db import connection

    from auditportal.tenancy import partnership_context
    from cases.models import Partnership
    from findings.services.benchmarks import benchmark_shares_refresh

    started = time.perf_counter()
    counts: dict[str, int] = {}
    timings: dict[str, float] = {}
    tenants = []
    for p in range(first_partnership, first_partnership + partnerships):
        t0 = time.perf_counter()
        partnership = tenant(p, domain, first_hosts if p == first_partnership else ())
        tenants.append(partnership.pk)
        timings["tenants"] = round(timings.get("tenants", 0) + time.perf_counter() - t0, 2)
        with partnership_context(partnership):
            one = _generate_partnership(
                p,
                seed=seed,
                years=years,
                audits_per_year=audits_per_year,
                anchor=anchor,
                max_cases=max_cases,
                references=references,
            )
        for key, value in one["counts"].items():
            counts[key] = counts.get(key, 0) + value
        for key, value in one["timings"].items():
            timings[key] = round(timings.get(key, 0) + value, 2)
    counts["partnerships"] = len(tenants)
    if connection.vendor == "postgresql":
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        timings["analyze"] = round(time.perf_counter() - t0, 2)
    # Rows went in by bulk_create and COPY, past the services that keep a partnership's
    # benchmarking share fresh. The partnerships opt in now (an update: saving each would
    # refresh its share at once) and every share is refreshed as publishing would, after
    # ANALYZE, so each refresh is planned on the real sizes (on stale statistics each scanned
    # every answer: seconds a partnership by the sixtieth).
    t0 = time.perf_counter()
    sharing = [pk for p, pk in enumerate(tenants, start=first_partnership) if shares_benchmarks(p)]
    Partnership.objects.filter(pk__in=sharing).update(benchmarking_opt_in=True)
    counts["benchmark_shares"] = sum(
        benchmark_shares_refresh(partnership_id=partnership_id) for partnership_id in sharing
    )
    timings["benchmark_shares"] = round(time.perf_counter() - t0, 2)
    timings["total"] = round(time.perf_counter() - started, 2)
    log(f"generated {counts} in {timings['total']} s")
    return {
        "counts": counts,
        "timings": timings,
        "seed": seed,
        "partnerships": partnerships,
        "partnership_ids": tenants,
        "first_host": tenant_host(first_partnership, domain),
    }


def _generate_partnership(
    p: int,
    *,
    seed: int,
    years: int,
    audits_per_year: int,
    anchor: datetime.date | None,
    max_cases: int,
    references: bool,
) -> dict:
    """One partnership's data, written inside its context (every row gets its partnership)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from audits.bank import DEFAULT_BANK
    from audits.models import Audit, Return, SampleCase
    from bench.generate_answers import write_answers
    from bench.generate_findings import write_findings
    from bench.rows import BATCH
    from cases.models import Agency, Case, CaseAgency, Membership, RecordReference
    from findings.models import SubGroup

    themes = [theme.name for theme in DEFAULT_BANK]
    rngs: dict[tuple[str, int], random.Random] = {}

    def R(phase: str, p: int) -> random.Random:
        # One stream per phase and partnership: partnership 1 is the same at every scale.
        if (phase, p) not in rngs:
            rngs[(phase, p)] = random.Random(f"{seed}:{phase}:{p}")
        return rngs[(phase, p)]

    anchor = anchor or timezone.localdate()
    now = timezone.now()
    timings: dict[str, float] = {}
    counts: dict[str, int] = {}

    def lap(name: str, t0: float) -> None:
        timings[name] = round(time.perf_counter() - t0, 2)

    qs, items = question_set()
    password = _password(make_password)

    # --- agencies, users, memberships, sub-groups -------------------------------------
    t0 = time.perf_counter()
    prange = range(p, p + 1)
    agencies = []
    for p in prange:
        for name, short, sector in AGENCIES:
            agencies.append(
                Agency(
                    name=f"P{p:03d} {name}",
                    short_name=f"P{p:03d} {short}",
                    sector=sector,
                    safeguarding_lead_email=f"lead.{short.lower()}@p{p:03d}.example",
                )
            )
    Agency.objects.bulk_create(agencies, batch_size=BATCH)
    agencies = list(Agency.objects.filter(name__regex=r"^P[0-9]{3} ").order_by("pk"))
    by_partnership: dict[int, list] = {}
    for agency in agencies:
        by_partnership.setdefault(int(agency.name[1:4]), []).append(agency)

    users, memberships_spec = [], []
    for p in prange:
        for i in range(3):
            users.append(_user(f"p{p:03d}-business{i}", User.Role.BUSINESS, password, now))
        for i in range(4):
            users.append(_user(f"p{p:03d}-board{i}", User.Role.BOARD, password, now))
        rng = R("users", p)
        for agency in by_partnership[p]:
            for i in range(rng.randint(2, 3)):
                username = f"p{p:03d}-{agency.short_name.split(' ', 1)[1].lower()}-{i}"
                users.append(_user(username, User.Role.PRACTITIONER, password, now))
                memberships_spec.append((username, agency.pk, i == 0))
    User.objects.bulk_create(users, batch_size=BATCH)
    user_ids = dict(
        User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk")
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=user_ids[u], agency_id=a, is_lead=lead)
            for u, a, lead in memberships_spec
        ],
        batch_size=BATCH,
    )
    practitioners_by_agency: dict[int, list[int]] = {}
    for u, a, _lead in memberships_spec:
        practitioners_by_agency.setdefault(a, []).append(user_ids[u])
    SubGroup.objects.bulk_create(
        [
            SubGroup(name=f"P{p:03d} {n}")
            for p in prange
            for n in ("Safeguarding in Education", "Quality Assurance", "Health")
        ]
    )
    subgroups: dict[int, list[int]] = {}
    for pk, name in SubGroup.objects.filter(name__regex=r"^P[0-9]{3} ").values_list("pk", "name"):
        subgroups.setdefault(int(name[1:4]), []).append(pk)
    lap("agencies_users", t0)
    counts["agencies"] = len(agencies)
    counts["users"] = len(users)

    # --- audits ---------------------------------------------------------------------
    t0 = time.perf_counter()
    total = years * audits_per_year
    spacing = 365 // audits_per_year
    audits, audit_meta = [], []
    for p in prange:
        business_id = user_ids[f"p{p:03d}-business0"]
        for i in range(total):
            back = total - 1 - i  # 0 = newest
            opens = anchor + datetime.timedelta(days=30 - spacing * back)
            if back == 0:
                status = Audit.Status.PLANNED
            elif back == 1:
                status = Audit.Status.OPEN  # due in a few days
                opens = anchor - datetime.timedelta(days=15)
            elif back == 2:
                status = Audit.Status.OPEN  # overdue, returns still coming in
            elif back == 3:
                status = Audit.Status.MODERATION
            elif back == 4:
                status = Audit.Status.FINDINGS_AGREED
            elif (anchor - opens).days < 365:
                status = Audit.Status.PUBLISHED
            else:
                status = Audit.Status.CLOSED
            due = opens + datetime.timedelta(days=21)
            theme = themes[(i + p) % len(themes)]
            audits.append(
                Audit(
                    title=f"P{p:03d} {theme} deep dive {opens:%Y-%m}",
                    kind=Audit.Kind.DEEP_DIVE if i % 2 else Audit.Kind.MACFA,
                    priority=theme,
                    key_question=f"How well do agencies work together on {theme.lower()}?",
                    scope="Children open to two or more agencies in the last year.",
                    methodology="Each agency audits its own records; a moderation meeting "
                    "agrees the findings.",
                    returns_open=opens,
                    returns_due=due,
                    moderation_date=due + datetime.timedelta(days=14),
                    briefing_due=due + datetime.timedelta(days=45),
                    question_set=qs,
                    status=status,
                    created_by_id=business_id,
                    opened_at=None if status == Audit.Status.PLANNED else now,
                    closed_at=now if status == Audit.Status.CLOSED else None,
                )
            )
            audit_meta.append(p)
    Audit.objects.bulk_create(audits, batch_size=BATCH)
    audits = list(Audit.objects.filter(question_set=qs, title__regex=r"^P[0-9]{3} ").order_by("pk"))
    lap("audits", t0)
    counts["audits"] = len(audits)

    # --- cases, involvements, record references, returns ------------------------------
    t0 = time.perf_counter()
    cases = []
    case_audit = []  # the audit sampling each case, in the order of `cases`
    audits_seen: dict[int, int] = {}
    for audit in audits:
        p = int(audit.title[1:4])
        audits_seen[p] = number = audits_seen.get(p, 0) + 1
        rng = R("cases", p)
        for n in range(rng.randint(3, max(3, max_cases))):
            case_audit.append(audit)
            cases.append(
                Case(
                    # A pseudonym names one child of the partnership; the audit's number in
                    # its partnership, not its id, keeps a seed's data the same.
                    pseudonym=f"YP{n + 1}-{p}.{number}",
                    age_band=rng.choice(Case.AgeBand.values),
                    gender=rng.choice(Case.Gender.values),
                    ethnicity=rng.choice(Case.Ethnicity.values),
                    level_of_need=rng.choice(Case.LevelOfNeed.values),
                )
            )
    Case.objects.bulk_create(cases, batch_size=BATCH)  # PostgreSQL and SQLite set the pks
    audit_ids = [a.pk for a in audits]
    audit_by_id = {a.pk: a for a in audits}
    samples = [SampleCase(audit=a, case=c) for a, c in zip(case_audit, cases, strict=True)]
    SampleCase.objects.bulk_create(samples, batch_size=BATCH)
    involvements = []
    for case, audit in zip(cases, case_audit, strict=True):
        p = int(audit.title[1:4])
        rng = R("involvements", p)
        for agency in rng.sample(by_partnership[p], rng.randint(2, 6)):
            involvements.append(CaseAgency(case=case, agency=agency))
    CaseAgency.objects.bulk_create(involvements, batch_size=BATCH)
    sample_of_case = {sample.case_id: sample.pk for sample in samples}
    SampleCase.involvements.through.objects.bulk_create(
        [
            SampleCase.involvements.through(
                samplecase_id=sample_of_case[i.case_id], caseagency_id=i.pk
            )
            for i in involvements
        ],
        batch_size=BATCH,
    )
    lap("cases_involvements", t0)
    counts["cases"] = len(cases)
    counts["involvements"] = len(involvements)

    t0 = time.perf_counter()
    if references:
        involvements = list(
            CaseAgency.objects.filter(samples__audit_id__in=audit_ids).order_by("pk").values("pk")
        )
        rng = R("references", 0)
        refs = [
            RecordReference(involvement_id=row["pk"], reference=f"REF-{rng.randrange(10**8):08d}")
            for row in involvements
        ]
        RecordReference.objects.bulk_create(refs, batch_size=BATCH)  # Fernet in Python
        counts["record_references"] = len(refs)
    lap("record_references", t0)

    t0 = time.perf_counter()
    returns = []
    status_of: list[str] = []
    for case_id, agency_id, audit_id in CaseAgency.objects.filter(
        samples__audit_id__in=audit_ids
    ).values_list("case_id", "agency_id", "samples__audit_id"):
        audit = audit_by_id[audit_id]
        if audit.status == Audit.Status.PLANNED:
            continue
        rng = R("returns", int(audit.title[1:4]))
        if audit.status == Audit.Status.OPEN:
            status = rng.choices(
                [
                    Return.Status.NOT_STARTED,
                    Return.Status.IN_PROGRESS,
                    Return.Status.SUBMITTED,
                    Return.Status.RETURNED,
                ],
                [30, 35, 33, 2],
            )[0]
        else:
            status = Return.Status.SUBMITTED
        assignee = rng.choice(practitioners_by_agency[agency_id])
        submitted = status == Return.Status.SUBMITTED
        returns.append(
            Return(
                audit_id=audit_id,
                case_id=case_id,
                agency_id=agency_id,
                assignee_id=assignee,
                status=status,
                version=0 if status == Return.Status.NOT_STARTED else rng.randint(1, 30),
                started_at=None if status == Return.Status.NOT_STARTED else now,
                submitted_at=now if submitted else None,
                submitted_by_id=assignee if submitted else None,
                updated_by_id=None if status == Return.Status.NOT_STARTED else assignee,
            )
        )
        status_of.append(status)
    Return.objects.bulk_create(returns, batch_size=BATCH)
    return_rows = list(
        Return.objects.filter(audit_id__in=audit_ids)
        .order_by("pk")
        .values_list("pk", "status", "audit_id")
    )
    lap("returns", t0)
    counts["returns"] = len(return_rows)

    # --- answers and ticks (COPY) -----------------------------------------------------
    t0 = time.perf_counter()
    business_of = {a.pk: user_ids[f"p{int(a.title[1:4]):03d}-business0"] for a in audits}
    counts["answers"], counts["ticks"] = write_answers(
        items=items,
        audit_by_id=audit_by_id,
        return_rows=return_rows,
        business_of=business_of,
        R=R,
        now=now,
    )
    lap("answers_ticks", t0)

    # --- findings, actions, engagement, quotes, briefings ------------------------------
    t0 = time.perf_counter()
    counts.update(
        write_findings(
            audits=audits,
            audit_by_id=audit_by_id,
            items=items,
            anchor=anchor,
            by_partnership=by_partnership,
            subgroups=subgroups,
            business_of=business_of,
            R=R,
            now=now,
        )
    )
    lap("findings_actions_briefings", t0)

    return {"counts": counts, "timings": timings}


_PASSWORD: list[str] = []


def _password(make_password) -> str:
    """One hash for every user of every partnership (hashing is slow on purpose)."""
    if not _PASSWORD:
        _PASSWORD.append(make_password("bench-password-not-for-use"))
    return _PASSWORD[0]


def _user(username: str, role: str, password: str, now):
    from accounts.models import User

    first, _, last = username.partition("-")
    return User(
        username=username,
        email=f"{username}@bench.example",
        first_name=first.upper(),
        last_name=last.replace("-", " ").title(),
        role=role,
        password=password,
        date_joined=now,
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partnerships", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--anchor", type=datetime.date.fromisoformat, default=None)
    parser.add_argument(
        "--no-references", action="store_true", help="skip the encrypted record references"
    )
    parser.add_argument("--domain", default=HOST_DOMAIN, help="P007 answers on p007.DOMAIN")
    parser.add_argument(
        "--first-hosts", default="", help="more host names of the first partnership (commas)"
    )
    parser.add_argument("--output", help="also write bench/results/<OUTPUT>.json")
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.common import setup_django, write_result

    setup_django()
    result = generate(
        partnerships=args.partnerships,
        seed=args.seed,
        years=args.years,
        anchor=args.anchor,
        references=not args.no_references,
        domain=args.domain,
        first_hosts=tuple(h.strip() for h in args.first_hosts.split(",") if h.strip()),
    )
    if args.output:
        write_result(args.output, result)
    return result


if __name__ == "__main__":
    main()
