"""The one SQL statement behind audit_results: every count of one audit, aggregated in the
database, as plain rows (no model instances).

Four querysets cost four round trips, four compilations by the ORM and about 1,250 rows; on a
busy machine each round trip waits for PostgreSQL to be scheduled again. One statement is one
round trip and about 1,100 small rows (docs/benchmarks.md, "Results of one audit: service
against one SQL query"). Written once for PostgreSQL and SQLite alike: plain joins, UNION ALL,
COUNT(DISTINCT ...), CASE, one window function; table and column names come from the models.

Rows, all of the same nine columns (part, key, group, a, b, c, d, n, m):

- ``item``: a grade, yes/partly/no or checklist item of the question set: pk, theme id, kind,
  theme name, text, options (JSON text), order.
- ``agency``: an agency with returns in the audit: agency id, its place when sorted by name,
  name; n = returns expected, m = returns submitted.
- ``cases``: n = cases in the sample, m = cases with at least one submitted return.
- ``answer``: answers of submitted returns to grade and yes/partly/no items, counted by item,
  agency, agency's choice (a) and moderated choice (b).
- ``tick_agency``: submitted returns of each agency that ticked an option (a) of an item.
- ``tick_case``: cases in which a submitted return ticked an option (a) of an item.
"""

from typing import Any

from django.db import connection

from auditportal import tenancy
from audits.models import Answer, AnswerTick, Question, QuestionSetItem, Return
from cases.models import Agency

# (part, key, group, a, b, c, d, n, m): which columns hold what depends on the part.
Row = tuple[Any, ...]


def _columns(model, *names: str) -> dict[str, str]:
    """Quoted column names of a model's fields (foreign keys: their _id column)."""
    quote = connection.ops.quote_name
    return {name: quote(str(model._meta.get_field(name).column)) for name in names}


def _sql() -> str:
    quote = connection.ops.quote_name
    item = _columns(
        QuestionSetItem,
        "id",
        "question_set",
        "kind",
        "theme",
        "theme_name",
        "text",
        "options",
        "order",
    )
    ret = _columns(Return, "id", "audit", "agency", "case", "status")
    answer = _columns(Answer, "id", "audit_return", "item", "choice", "moderated_choice")
    tick = _columns(AnswerTick, "answer", "option")
    agency = _columns(Agency, "id", "name")
    t_item, t_ret = quote(QuestionSetItem._meta.db_table), quote(Return._meta.db_table)
    t_answer, t_tick = quote(Answer._meta.db_table), quote(AnswerTick._meta.db_table)
    t_agency = quote(Agency._meta.db_table)
    # The first lock, as the models' managers apply it (auditportal/tenancy.py): each table
    # read only within the running partnership; two parameters (everyone?, partnership id).
    own = quote("partnership_id")

    def mine(alias: str) -> str:
        return f"(%s OR {alias}.{own} = %s)"

    # Parameters, in order: question set, the three kinds, audit, 'submitted', then the two
    # answered kinds and the checklist kind (named where used below).
    return f"""
WITH i AS (
    SELECT {item["id"]} AS id, {item["kind"]} AS kind, {item["theme"]} AS theme_id,
           {item["theme_name"]} AS theme_name, {item["text"]} AS item_text,
           CAST({item["options"]} AS TEXT) AS options, {item["order"]} AS item_order
      FROM {t_item} qi
     WHERE {item["question_set"]} = %s AND {item["kind"]} IN (%s, %s, %s) AND {mine("qi")}
), r AS (
    SELECT {ret["id"]} AS id, {ret["agency"]} AS agency_id, {ret["case"]} AS case_id,
           CASE WHEN {ret["status"]} = %s THEN 1 ELSE 0 END AS submitted
      FROM {t_ret} qr
     WHERE {ret["audit"]} = %s AND {mine("qr")}
), s AS (
    SELECT id, agency_id, case_id FROM r WHERE submitted = 1
), checklist_answers AS (
    SELECT a.{answer["id"]} AS id, a.{answer["item"]} AS item_id, s.id AS return_id,
           s.agency_id, s.case_id
      FROM {t_answer} a JOIN s ON s.id = a.{answer["audit_return"]}
     WHERE a.{answer["item"]} IN (SELECT id FROM i WHERE kind = %s) AND {mine("a")}
), ticks AS (
    SELECT c.item_id, t.{tick["option"]} AS opt, c.return_id, c.agency_id, c.case_id
      FROM {t_tick} t JOIN checklist_answers c ON c.id = t.{tick["answer"]}
     WHERE {mine("t")}
)
SELECT 'item', id, theme_id, kind, theme_name, item_text, options, item_order, 0 FROM i
UNION ALL
SELECT 'agency', r.agency_id, ROW_NUMBER() OVER (ORDER BY MIN(g.{agency["name"]}), r.agency_id),
       MIN(g.{agency["name"]}), NULL, NULL, NULL, COUNT(*), SUM(r.submitted)
  FROM r JOIN {t_agency} g ON g.{agency["id"]} = r.agency_id AND {mine("g")}
 GROUP BY r.agency_id
UNION ALL
SELECT 'cases', NULL, NULL, NULL, NULL, NULL, NULL, COUNT(DISTINCT case_id),
       COUNT(DISTINCT CASE WHEN submitted = 1 THEN case_id END)
  FROM r
UNION ALL
SELECT 'answer', a.{answer["item"]}, s.agency_id, a.{answer["choice"]},
       a.{answer["moderated_choice"]}, NULL, NULL, COUNT(*), 0
  FROM {t_answer} a JOIN s ON s.id = a.{answer["audit_return"]}
 WHERE a.{answer["item"]} IN (SELECT id FROM i WHERE kind IN (%s, %s))
   AND a.{answer["choice"]} <> '' AND {mine("a")}
 GROUP BY a.{answer["item"]}, s.agency_id, a.{answer["choice"]}, a.{answer["moderated_choice"]}
UNION ALL
SELECT 'tick_agency', item_id, agency_id, opt, NULL, NULL, NULL, COUNT(DISTINCT return_id), 0
  FROM ticks GROUP BY item_id, agency_id, opt
UNION ALL
SELECT 'tick_case', item_id, NULL, opt, NULL, NULL, NULL, COUNT(DISTINCT case_id), 0
  FROM ticks GROUP BY item_id, opt
"""  # noqa: S608 (only the models' quoted table and column names; every value is a parameter)


_SQL: dict[str, str] = {}


def audit_counts(*, audit_id: int, question_set_id: int) -> list[Row]:
    """Every count of one audit's results in one statement (the module docstring has the
    rows). Figures are built from these by figures.audit_results."""
    sql = _SQL.get(connection.vendor)
    if sql is None:
        sql = _SQL[connection.vendor] = _sql()
    kinds = (Question.Kind.GRADE, Question.Kind.YES_PARTLY_NO, Question.Kind.CHECKLIST)
    mine = list(tenancy.sql_scope())
    params: list[int | str | bool] = [
        question_set_id,
        *[str(kind) for kind in kinds],
        *mine,
        str(Return.Status.SUBMITTED),
        audit_id,
        *mine,
        str(Question.Kind.CHECKLIST),
        *mine,
        *mine,
        *mine,
        str(Question.Kind.GRADE),
        str(Question.Kind.YES_PARTLY_NO),
        *mine,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
