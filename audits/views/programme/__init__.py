"""The business team's pages: audit programme, calendar and feed, audits and their cases, the
status flow, the question bank and question sets. Objects come only through selectors; every
change goes through audits.services."""

from .audits import *  # noqa: F403
from .cases import *  # noqa: F403
from .common import *  # noqa: F403
from .questions import *  # noqa: F403
from .questionsets import *  # noqa: F403
from .schedule import *  # noqa: F403
