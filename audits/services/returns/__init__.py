"""Writes for returns: creation on opening, assignment, autosave, submission, amendment and
immediate concerns. E-mails are sent by audits.notifications, enqueued through the outbox in
the same transaction as the change.

One module per noun; `from audits.services import ...` gets the names in __all__, and every
other name the module had stays importable from here (queries and tests use some).
"""

from .assignment import _default_assignees as _default_assignees
from .assignment import return_reassign, returns_create_for_audit
from .common import _check_editable as _check_editable
from .common import _enqueue as _enqueue
from .common import _saved_answers as _saved_answers
from .common import _saved_values as _saved_values
from .concerns import CONCERN_LIMIT as CONCERN_LIMIT
from .concerns import concern_raise, concern_resolve
from .drafts import ChangedQuestion as ChangedQuestion
from .drafts import ReturnConflict, return_save_draft
from .drafts import _write_answers as _write_answers
from .submission import missing_required_answers as missing_required_answers
from .submission import return_send_back, return_submit

__all__ = [
    "ReturnConflict",
    "concern_raise",
    "concern_resolve",
    "return_reassign",
    "return_save_draft",
    "return_send_back",
    "return_submit",
    "returns_create_for_audit",
]
