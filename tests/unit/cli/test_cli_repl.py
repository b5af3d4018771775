"""Which console pyspk-shell starts, from the terminal, IPython's presence and the environment."""
from __future__ import annotations

import pytest

from pyspk.cli.shell import choose_repl


@pytest.mark.parametrize("tty,installed,driver,expected", [
    (True, True, None, "ipython"),
    (True, False, None, "python"),
    (False, True, None, "python"),
    (False, False, "ipython", "ipython"),
    (True, True, "python3", "python"),
    (True, True, "/usr/bin/python3.11", "python"),
    (False, True, "/opt/bin/ipython3 --no-banner", "ipython"),
    (True, True, "jupyter", "python"),
])
def test_choose_repl(tty: bool, installed: bool, driver: str | None, expected: str) -> None:
    assert choose_repl(tty, installed, driver) == expected
