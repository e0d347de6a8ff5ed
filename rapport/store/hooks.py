"""A deterministic crash point for tests of "nothing lost".

``RAPPORT_TEST_KILL_AT=after_rows:500`` makes the process kill itself with SIGKILL right
after the 500th row of a bulk write, inside the open transaction. Tests use it to prove
that a killed import leaves the record exactly as it was. Unset, this costs one lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "RAPPORT_TEST_KILL_AT"


def crash_point(name: str, count: int) -> None:
    """Kill this process at ``name:count`` when the test hook asks for it."""
    spec = os.environ.get(ENV)
    if spec and spec == f"{name}:{count}":
        os.kill(os.getpid(), signal.SIGKILL)
