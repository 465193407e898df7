"""Demo audits of the fictional Riverbend Safeguarding Children Partnership: the default
question bank, a frozen question set and its next version, one published audit with every
return submitted, one open audit with returns in every state, a second open audit whose
returns are overdue, and one planned audit.

Idempotent: everything is found by natural keys (titles, pseudonyms, case × agency) and only
created when missing, so loading twice changes nothing. Answers are generated from a seeded
random generator, so a fresh load always produces the same figures.
"""

from .answers import *  # noqa: F403
from .cases import *  # noqa: F403
from .days import *  # noqa: F403
from .programme import *  # noqa: F403
