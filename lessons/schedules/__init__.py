"""The momentum-schedules lesson (pages/momentum-schedules.py): its core calls (``runs``), figure (``figures``) and
live sentences (``text``), all read by the page as ``lesson.<name>``."""

from .runs import *  # noqa: F401,F403
from .figures import *  # noqa: F401,F403
from .text import *  # noqa: F401,F403
