"""Writes for findings, actions, sub-groups, engagement, quotes and resources,
and the benchmarking shares.

Every service validates, saves and writes its audit-log entry in one transaction, and raises
django.core.exceptions.ValidationError with a message a user can act on. One module per noun;
import from here: `from findings.services import finding_create`."""

from .actions import *  # noqa: F403
from .benchmarks import *  # noqa: F403
from .engagement import *  # noqa: F403
from .findings import *  # noqa: F403
from .resources import *  # noqa: F403
from .subgroups import *  # noqa: F403
