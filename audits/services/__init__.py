"""Every write of the audits app. Import from here: `from audits.services import audit_open`."""

from .programme import *  # noqa: F403
from .returns import *  # noqa: F403
