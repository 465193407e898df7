"""Writes for the audit programme: question bank, question sets, audits, cases, status flow.

Every function checks that the actor is in the business team (views check too, but the rule
lives here), validates with full_clean(), and writes its audit-log entry in the same
transaction. Record references are personal data: they are never written to the audit log.

One module per noun; `from audits.services import ...` gets the names in __all__, and every
other public name stays importable from here (the forms, views and demo use some).
"""

from .audits import (
    AUDIT_EDITABLE_FIELDS,
    audit_agree_findings,
    audit_create,
    audit_next_statuses,
    audit_publish,
    audit_transition,
    audit_update,
)
from .audits import BACKWARD as BACKWARD
from .audits import FORWARD as FORWARD
from .audits import GUARDS as GUARDS
from .audits import TAKEN_ELSEWHERE as TAKEN_ELSEWHERE
from .audits import S as S
from .cases import CASE_EDITABLE_STATUSES as CASE_EDITABLE_STATUSES
from .cases import case_create, case_delete, case_update
from .cases import sample_case_involvements as sample_case_involvements
from .questions import MAX_OPTIONS as MAX_OPTIONS
from .questions import OPTION_LIMIT as OPTION_LIMIT
from .questions import (
    question_create,
    question_move,
    question_update,
    theme_create,
    theme_update,
)
from .questionsets import (
    FROZEN_SET_MESSAGE,
    questionset_create,
    questionset_new_version,
    questionset_update,
)
from .questionsets import questionset_freeze as questionset_freeze

__all__ = [
    "AUDIT_EDITABLE_FIELDS",
    "FROZEN_SET_MESSAGE",
    "audit_agree_findings",
    "audit_create",
    "audit_next_statuses",
    "audit_publish",
    "audit_transition",
    "audit_update",
    "case_create",
    "case_delete",
    "case_update",
    "question_create",
    "question_move",
    "question_update",
    "questionset_create",
    "questionset_new_version",
    "questionset_update",
    "theme_create",
    "theme_update",
]
