"""Every write of briefings: compose, render (through Celery), approve, publish, downloads and
take-up. Rendering is a numbered, immutable BriefingVersion made from a JSON snapshot."""

from .common import *  # noqa: F403
from .composing import *  # noqa: F403
from .drafts import *  # noqa: F403
from .public import *  # noqa: F403
from .publishing import *  # noqa: F403
from .reading import *  # noqa: F403
from .rendering import *  # noqa: F403
from .rendering import _store as _store
