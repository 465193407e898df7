"""The demo data of the fictional Riverbend partnership, loaded by `manage.py load_demo`.

Each app owns its part (`<app>/demo.py`); every part is idempotent (get_or_create on natural
keys), so loading twice changes nothing. Audits, findings and briefings add theirs here.
"""

from django.db import transaction

from accounts import demo as accounts_demo
from audits import demo as audits_demo
from briefings import demo as briefings_demo
from cases import demo as cases_demo
from findings import demo as findings_demo


@transaction.atomic
def load_demo() -> dict:
    agencies = cases_demo.load()
    users = accounts_demo.load(agencies)
    audits = audits_demo.load(agencies, users)
    findings_demo.load()  # after the audits demo: it needs the published audit
    briefings_demo.load()  # last: composes, renders and publishes the published audit's briefing
    return {"agencies": agencies, "users": users, "audits": audits}
