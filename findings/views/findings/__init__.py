"""Findings, actions and the action tracker, sub-groups, engagement, quotes, resources.

Each view loads through a selector (which refuses other roles), validates with a form, calls a
service and redirects; a service's ValidationError is shown on the form, nothing is saved.
"""

from .actions import *  # noqa: F403
from .common import *  # noqa: F403
from .findings import *  # noqa: F403
from .quotes import *  # noqa: F403
from .resources import *  # noqa: F403
from .subgroups import *  # noqa: F403
