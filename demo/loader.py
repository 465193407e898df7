"""The demo data of the fictional Riverbend partnership, loaded by `manage.py load_demo`.

Each app owns its part (`<app>/demo.py`); every part is idempotent (get_or_create on natural
keys), so loading twice changes nothing. Audits, findings and briefings add theirs here.
"""

from django.db import transaction

from demo import agencies as cases_demo
from demo import audits as audits_demo
from demo import briefings as briefings_demo
from demo import findings as findings_demo
from demo import reaudits as reaudits_demo
from demo import surveys as surveys_demo
from demo import users as accounts_demo


@transaction.atomic
def load_demo() -> dict:
    agencies = cases_demo.load()
    users = accounts_demo.load(agencies)
    audits = audits_demo.load(agencies, users)
    survey_codes = surveys_demo.load()  # the open audit's surveys, some responses sent
    findings_demo.load()  # after the audits demo: it needs the published audit
    briefings_demo.load()  # composes, renders and publishes the published audit's briefing
    reaudits_demo.load(users)  # after publishing: a re-audit needs a published audit
    return {"agencies": agencies, "users": users, "audits": audits, "survey_codes": survey_codes}
