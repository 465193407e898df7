"""Returns: My returns, the return form (autosave, submit, amendment, reassignment), immediate
concerns and the business team's progress matrix. Objects come only through selectors."""

from .autosave import *  # noqa: F403
from .common import *  # noqa: F403
from .concerns import *  # noqa: F403
from .detail import *  # noqa: F403
from .lists import *  # noqa: F403
from .matrix import *  # noqa: F403
from .workflow import *  # noqa: F403
