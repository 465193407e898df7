"""Results of one audit: the project's aggregation service (findings.results.audit_results)
against ONE hand-written SQL query computing the same figures, medians and their ratio from
the same run (target: service / SQL <= 1.3), after checking both give equal figures, under
two plan shapes: the generated data (one question set: the question-item table fits a page or
two and PostgreSQL hashes it), then with --padding-copies unused copies of the question set
(the table spans many pages, as it does after a partnership revises its questions, and the
hand SQL's plan turns to nested loops). The padding is removed afterwards.

    .venv/bin/python bench/sql.py --label 100x --repeats 30
    .venv/bin/python bench/sql.py --label 100x --padding-copies 0     # the first shape only

The figures compared are everything audit_results returns: grade distribution per theme (N/A
apart) overall and by agency, yes/partly/no per question overall and by agency, checklist
prevalence per option (cases in which a submitted return ticked it, over cases with a
submitted return) and per agency (returns that ticked it), completion by agency, cases, and
moderation agreement per theme. The SQL uses GROUPING SETS for the overall and by-agency
rows, and (like the service) looks up ticks for checklist answers only; turning its rows into
dicts is counted in neither timing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django, summarise, timed, write_result

PADDING_NAME = "Bench padding question set"
TARGET_RATIO = 1.3


def hand_sql() -> str:
    """Every figure audit_results returns, overall and by agency, in one statement."""
    from audits.models import Answer, AnswerTick, QuestionSetItem, Return

    answer = Answer._meta.db_table
    tick = AnswerTick._meta.db_table
    item = QuestionSetItem._meta.db_table
    ret = Return._meta.db_table
    return f"""
WITH r AS (SELECT id, case_id, agency_id, status FROM {ret} WHERE audit_id = %(audit)s),
     s AS (SELECT id, case_id, agency_id FROM r WHERE status = 'submitted'),
     a AS (SELECT a.item_id, i.theme_id, i.kind, s.agency_id, a.choice, a.moderated_choice
             FROM {answer} a JOIN s ON s.id = a.audit_return_id JOIN {item} i ON i.id = a.item_id
            WHERE i.kind IN ('grade', 'yes_partly_no') AND a.choice <> '')
SELECT 'grade' AS part, theme_id AS k, agency_id AS agency, '' AS option, choice AS value,
       COUNT(*) AS n, 0 AS m
  FROM a WHERE kind = 'grade'
 GROUP BY GROUPING SETS ((theme_id, choice), (theme_id, agency_id, choice))
UNION ALL
SELECT 'agree', theme_id, NULL, '', '', COUNT(*), COUNT(*) FILTER (WHERE moderated_choice = choice)
  FROM a WHERE kind = 'grade' AND moderated_choice <> ''
 GROUP BY theme_id
UNION ALL
SELECT 'ynp', item_id, agency_id, '', choice, COUNT(*), 0
  FROM a WHERE kind = 'yes_partly_no'
 GROUP BY GROUPING SETS ((item_id, choice), (item_id, agency_id, choice))
UNION ALL
SELECT 'tick', a.item_id, s.agency_id, t.option, '',
       CASE WHEN s.agency_id IS NULL THEN COUNT(DISTINCT s.case_id) ELSE COUNT(DISTINCT s.id) END,
       0
  FROM {tick} t JOIN {answer} a ON a.id = t.answer_id JOIN s ON s.id = a.audit_return_id
       JOIN {item} i ON i.id = a.item_id AND i.kind = 'checklist'
 GROUP BY GROUPING SETS ((a.item_id, t.option), (a.item_id, s.agency_id, t.option))
UNION ALL
SELECT 'completion', 0, agency_id, '', '', COUNT(*), COUNT(*) FILTER (WHERE status = 'submitted')
  FROM r GROUP BY agency_id
UNION ALL
SELECT 'cases', 0, NULL, '', '', COUNT(DISTINCT case_id),
       COUNT(DISTINCT case_id) FILTER (WHERE status = 'submitted')
  FROM r
"""


def plan_joins(audit_id: int) -> list[str]:
    """The join nodes of the hand SQL's plan, outermost first ("Hash Join", "Nested Loop")."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + hand_sql(), {"audit": audit_id})
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    joins: list[str] = []

    def walk(node: dict) -> None:
        if node["Node Type"] in {"Hash Join", "Nested Loop", "Merge Join"}:
            joins.append(node["Node Type"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return joins


def pad_question_items(copies: int) -> int:
    """Frozen copies of the bench question set that no audit uses, so the question-item
    table spans many pages (as it does once a partnership has revised its question set a
    few times); then ANALYZE. Returns the items added. unpad_question_items undoes it."""
    from django.db import connection

    from audits.models import QuestionSet, QuestionSetItem

    source = QuestionSet.objects.get(name="Bench question set", version=1)
    items = list(source.items.order_by("order", "pk"))
    added = 0
    for n in range(copies):
        copy = QuestionSet.objects.create(
            name=PADDING_NAME, version=n + 1, frozen_at=source.frozen_at, description="padding"
        )
        for item in items:
            item.pk, item.question_set = None, copy
        QuestionSetItem.objects.bulk_create(items)
        added += len(items)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {QuestionSetItem._meta.db_table}")
    return added


def unpad_question_items() -> None:
    from django.db import connection

    from audits.models import QuestionSet, QuestionSetItem

    QuestionSet.objects.filter(name=PADDING_NAME).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {QuestionSetItem._meta.db_table}")


def item_table_pages() -> int:
    from django.db import connection

    from audits.models import QuestionSetItem

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size(%s) / current_setting('block_size')::int",
            [QuestionSetItem._meta.db_table],
        )
        return int(cursor.fetchone()[0])


def run_sql(audit_id: int) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(hand_sql(), {"audit": audit_id})
        return cursor.fetchall()


def figures_from_sql(rows: list[tuple]) -> dict:
    out: dict = {
        "grades": {},
        "agreement": {},
        "ynp": {},
        "ticks": {},
        "completion": {},
        "cases": None,
    }
    for part, key, agency, option, value, n, m in rows:
        if part == "grade":
            out["grades"][(key, agency, value)] = n
        elif part == "agree":
            out["agreement"][key] = (n, m)
        elif part == "ynp":
            out["ynp"][(key, agency, value)] = n
        elif part == "tick":
            out["ticks"][(key, agency, option)] = n
        elif part == "completion":
            out["completion"][agency] = (n, m)
        else:
            out["cases"] = (m, n)
    return out


def figures_from_service(results) -> dict:
    from findings.results import GRADES, YES_PARTLY_NO

    labels = {label: value for value, label in GRADES + YES_PARTLY_NO}
    out: dict = {
        "grades": {},
        "agreement": {},
        "ynp": {},
        "ticks": {},
        "completion": {},
        "cases": (results.cases, results.cases_in_sample),
    }

    def put(target: dict, key, agency, figures, not_applicable) -> None:
        for figure in figures:
            if figure.count:
                target[(key, agency, labels[figure.label])] = figure.count
        if not_applicable:
            target[(key, agency, "not_applicable")] = not_applicable

    for theme in results.themes:
        put(out["grades"], theme.theme_id, None, theme.grades, theme.not_applicable)
        for row in theme.by_agency:
            put(out["grades"], theme.theme_id, row.agency_id, row.figures, row.not_applicable)
        if theme.agreement.denominator:
            out["agreement"][theme.theme_id] = (
                theme.agreement.denominator,
                theme.agreement.count,
            )
    for question in results.yes_partly_no:
        put(out["ynp"], question.item_id, None, question.answers, question.not_applicable)
        for row in question.by_agency:
            put(out["ynp"], question.item_id, row.agency_id, row.figures, row.not_applicable)
    for checklist in results.checklists:
        for option in checklist.options:
            if option.count:
                out["ticks"][(checklist.item_id, None, option.label)] = option.count
        for row in checklist.by_agency:
            for option in row.options:
                if option.count:
                    out["ticks"][(checklist.item_id, row.agency_id, option.label)] = option.count
    for row in results.completion_by_agency:
        out["completion"][row.agency_id] = (row.expected, row.submitted)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--audit", type=int, default=None, help="default: the largest audit")
    parser.add_argument(
        "--padding-copies",
        type=int,
        default=20,
        help="second plan shape: this many unused copies of the question set (0: skip it)",
    )
    args = parser.parse_args()
    setup_django()

    from django.db.models import Count, Q

    from audits.models import Answer, Audit, Return

    audit = (
        Audit.objects.filter(pk=args.audit)
        if args.audit
        else Audit.objects.annotate(
            n=Count("returns", filter=Q(returns__status=Return.Status.SUBMITTED))
        ).order_by("-n", "pk")
    ).first()
    size = {
        "audit_id": audit.pk,
        "returns": audit.returns.count(),
        "submitted_returns": audit.returns.filter(status=Return.Status.SUBMITTED).count(),
        "answers": Answer.objects.filter(audit_return__audit=audit).count(),
        "answers_in_database": Answer.objects.count(),
        "partnership_id": audit.partnership_id,
    }
    # As a request would: in the audit's partnership (its question set, its padding), the
    # service's statement scoped to it; the hand SQL names the audit alone.
    from auditportal.tenancy import partnership_context

    with partnership_context(audit.partnership_id):
        compare(audit, size, args)


def compare(audit, size: dict, args) -> None:
    from findings.results import audit_results

    def measure(shape: str) -> dict:
        service = figures_from_service(audit_results(audit=audit))
        sql = figures_from_sql(run_sql(audit.pk))
        equal = service == sql
        if not equal:
            for key in service:
                if service[key] != sql[key]:
                    print(f"MISMATCH in {key}:\n service {service[key]}\n sql     {sql[key]}")
        # Interleave the two so drift in machine load hits both alike.
        service_ms, sql_ms = [], []
        for _ in range(args.repeats):
            service_ms += timed(lambda: audit_results(audit=audit), 1, warmup=0)
            sql_ms += timed(lambda: run_sql(audit.pk), 1, warmup=0)
        result = {
            "shape": shape,
            "item_table_pages": item_table_pages(),
            "hand_sql_joins": plan_joins(audit.pk),
            "figures_equal": equal,
            "service": summarise(service_ms),
            "hand_sql": summarise(sql_ms),
            "ratio_service_to_sql": round(
                statistics.median(service_ms) / statistics.median(sql_ms), 2
            ),
            "loadavg": machine().get("loadavg"),
        }
        print(
            f"{shape} (question items on {result['item_table_pages']} pages; hand SQL joins "
            f"{', '.join(result['hand_sql_joins'])}): service median "
            f"{result['service']['median_ms']} ms, one SQL query median "
            f"{result['hand_sql']['median_ms']} ms, ratio {result['ratio_service_to_sql']} "
            f"(target <= {TARGET_RATIO}); figures equal: {equal}; load average "
            f"{result['loadavg']}",
            flush=True,
        )
        return result

    unpad_question_items()  # a run stopped half way may have left padding behind
    shapes = [measure("one question set")]
    if args.padding_copies:
        try:
            added = pad_question_items(args.padding_copies)
            shapes.append(measure(f"{args.padding_copies + 1} question sets ({added} items more)"))
        finally:
            unpad_question_items()
    first = shapes[0]
    out = {
        "label": args.label,
        "machine": machine(),
        "audit": size,
        "figures_equal": all(shape["figures_equal"] for shape in shapes),
        "service": first["service"],
        "hand_sql": first["hand_sql"],
        "ratio_service_to_sql": first["ratio_service_to_sql"],
        "shapes": shapes,
        "target_ratio": TARGET_RATIO,
        "repeats": args.repeats,
    }
    print(
        f"results of audit {audit.pk} ({size['submitted_returns']} submitted returns, "
        f"{size['answers']} answers; {size['answers_in_database']} in the database): ratios "
        + ", ".join(f"{shape['ratio_service_to_sql']} ({shape['shape']})" for shape in shapes),
        flush=True,
    )
    write_result(f"results_vs_sql_{args.label}" if args.label else "results_vs_sql", out)
    if not out["figures_equal"]:
        raise SystemExit("the service and the SQL query disagree")


if __name__ == "__main__":
    main()
