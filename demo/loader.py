"""The demo data, loaded by `manage.py load_demo`: two partnerships of one installation
(demo/partnerships.py). Riverbend, the full demo, and Northmoor, a small second tenant, are
each loaded inside their own partnership's context, so every row they make is theirs.

Each app owns its part; every part is idempotent (get_or_create on natural keys, scoped to
the partnership), so loading twice changes nothing.
"""

from django.db import transaction

from auditportal.tenancy import partnership_context
from demo import agencies as cases_demo
from demo import audits as audits_demo
from demo import briefings as briefings_demo
from demo import child as child_demo
from demo import findings as findings_demo
from demo import northmoor as northmoor_demo
from demo import partnerships
from demo import reaudits as reaudits_demo
from demo import surveys as surveys_demo
from demo import users as accounts_demo


@transaction.atomic
def load_demo() -> dict:
    riverbend = partnerships.riverbend()
    with partnership_context(riverbend):
        agencies = cases_demo.load()
        users = accounts_demo.load(agencies)
        audits = audits_demo.load(agencies, users)
        survey_codes = surveys_demo.load()  # the open audit's surveys, some responses sent
        findings_demo.load()  # after the audits demo: it needs the published audit
        child_demo.load(
            audits["audits"],
            agencies,
            {case.pseudonym: case.quality for case in audits_demo.PUBLISHED_CASES},
        )
        briefings_demo.load()  # composes, renders and publishes the published audit's briefing
        reaudits_demo.load(users)  # after publishing: a re-audit needs a published audit
    northmoor = partnerships.northmoor()
    with partnership_context(northmoor):
        northmoor_users = northmoor_demo.load()
    hosting = partnerships.hosting_admin()
    return {
        "agencies": agencies,
        "users": users,
        "audits": audits,
        "survey_codes": survey_codes,
        "partnerships": [(riverbend, users), (northmoor, northmoor_users)],
        "hosting": hosting,
    }
