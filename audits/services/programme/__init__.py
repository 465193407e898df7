"""Writes for the audit programme: question bank, question sets, audits, cases, status flow.

Every function checks that the actor is in the business team (views check too, but the rule
lives here), validates with full_clean(), and writes its audit-log entry in the same
transaction. Record references are personal data: they are never written to the audit log.
"""

from .audits import (
    AUDIT_EDITABLE_FIELDS as AUDIT_EDITABLE_FIELDS,
)
from .audits import (
    BACKWARD as BACKWARD,
)
from .audits import (
    FORWARD as FORWARD,
)
from .audits import (
    GUARDS as GUARDS,
)
from .audits import (
    S as S,
)
from .audits import (
    audit_create as audit_create,
)
from .audits import (
    audit_next_statuses as audit_next_statuses,
)
from .audits import (
    audit_publish as audit_publish,
)
from .audits import (
    audit_transition as audit_transition,
)
from .audits import (
    audit_update as audit_update,
)
from .cases import (
    CASE_EDITABLE_STATUSES as CASE_EDITABLE_STATUSES,
)
from .cases import (
    case_create as case_create,
)
from .cases import (
    case_delete as case_delete,
)
from .cases import (
    case_update as case_update,
)
from .cases import (
    sample_case_involvements as sample_case_involvements,
)
from .questions import (
    MAX_OPTIONS as MAX_OPTIONS,
)
from .questions import (
    OPTION_LIMIT as OPTION_LIMIT,
)
from .questions import (
    question_create as question_create,
)
from .questions import (
    question_move as question_move,
)
from .questions import (
    question_update as question_update,
)
from .questions import (
    theme_create as theme_create,
)
from .questions import (
    theme_update as theme_update,
)
from .questionsets import (
    FROZEN_SET_MESSAGE as FROZEN_SET_MESSAGE,
)
from .questionsets import (
    questionset_create as questionset_create,
)
from .questionsets import (
    questionset_freeze as questionset_freeze,
)
from .questionsets import (
    questionset_new_version as questionset_new_version,
)
from .questionsets import (
    questionset_update as questionset_update,
)

__all__ = [
    "AUDIT_EDITABLE_FIELDS",
    "FROZEN_SET_MESSAGE",
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
