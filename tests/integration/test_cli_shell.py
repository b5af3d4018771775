"""pyspk-shell as a real process: piped input, a terminal (pty), exit status, flags."""
from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHELL = [sys.executable, "-m", "pyspk.cli.shell"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYSPK_CONF_DIR=str(tmp_path), TERM="dumb",
               COLUMNS="80", HOME=str(tmp_path), IPYTHONDIR=str(tmp_path / ".ipython"))
    env.pop("PYSPK_SUBMIT_CONF", None)
    env.update(extra)
    return env


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def piped(request: pytest.FixtureRequest, tmp_path: Path, text: str,
          *flags: str) -> subprocess.CompletedProcess:
    """The shell with ``text`` on its standard input, run to completion."""
    proc = subprocess.Popen([*SHELL, *flags], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env(tmp_path), cwd=tmp_path,
                            start_new_session=True)
    request.addfinalizer(lambda: _kill_group(proc.pid))
    out, err = proc.communicate(text, timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_piped_statement_prints_its_value(request: pytest.FixtureRequest,
                                          tmp_path: Path) -> None:
    result = piped(request, tmp_path, "sc.parallelize(range(10)).sum()\n", "--master", "local[2]")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "45\n"
    assert "version" in result.stderr
    assert "Spark context available as 'sc' (master = local[2]" in result.stderr


def test_piped_errors_do_not_stop_the_shell(request: pytest.FixtureRequest,
                                            tmp_path: Path) -> None:
    script = "1/0\nfor i in range(2):\n    print(i)\n\nsc.appName\n"
    result = piped(request, tmp_path, script, "--master", "local[1]", "--name", "named")
    assert result.returncode == 0
    assert result.stdout == "0\n1\n'named'\n"
    assert "ZeroDivisionError: division by zero" in result.stderr


def test_py_files_importable_in_the_shell(request: pytest.FixtureRequest,
                                         tmp_path: Path) -> None:
    lib = tmp_path / "libs" / "mathlib.py"
    lib.parent.mkdir()
    lib.write_text("def triple(x):\n    return 3 * x\n")
    result = piped(request, tmp_path, "import mathlib\nsc.parallelize([1, 2]).map(mathlib.triple)"
                   ".collect()\n", "--master", "local[1]", "--py-files", str(lib))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[3, 6]\n"


def test_classes_defined_in_the_shell_reach_executors(request: pytest.FixtureRequest,
                                                       tmp_path: Path) -> None:
    script = ("class Box:\n    def __init__(self, v):\n        self.v = v\n\n"
              "def box(x):\n    return Box(x * 10)\n\n"
              "[b.v for b in sc.parallelize(range(3), 2).map(box).collect()]\nbox.__module__\n")
    result = piped(request, tmp_path, script, "--master", "local[2]")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[0, 10, 20]\n'__main__'\n"


def test_exit_status_of_the_session(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    result = piped(request, tmp_path, "print(sc.master)\nexit(3)\nprint('not reached')\n",
                   "--master", "local[1]")
    assert result.returncode == 3
    assert result.stdout == "local[1]\n"


def test_version(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    result = piped(request, tmp_path, "", "--version")
    assert result.returncode == 0 and result.stdout == ""
    assert "version" in result.stderr and "Spark context" not in result.stderr


def test_bad_flag_is_one_line(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    result = piped(request, tmp_path, "", "--master", "bogus")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: Invalid master URL 'bogus'")
    assert result.stderr.count("\n") == 1


class Terminal:
    """A process whose stdin, stdout and stderr are a pseudo-terminal we type into."""

    def __init__(self, request: pytest.FixtureRequest, argv: list[str],
                 env: dict[str, str], cwd: Path) -> None:
        master, slave = pty.openpty()
        self.fd = master
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     cwd=cwd, start_new_session=True)
        os.close(slave)
        self.seen = ""
        request.addfinalizer(self.close)

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def expect(self, needle: str, timeout: float = 30) -> str:
        """Read until ``needle`` has appeared; return everything read so far."""
        deadline = time.monotonic() + timeout
        while needle not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"{needle!r} not seen in {self.seen!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    data = b""
                assert data, f"terminal closed before {needle!r}: {self.seen!r}"
                self.seen += data.decode(errors="replace")
        return self.seen

    def close(self) -> None:
        _kill_group(self.proc.pid)
        self.proc.wait(timeout=10)
        os.close(self.fd)


def test_terminal_session_with_standard_console(request: pytest.FixtureRequest,
                                                tmp_path: Path) -> None:
    term = Terminal(request, [*SHELL, "--master", "local[2]"],
                    _env(tmp_path, PYSPARK_DRIVER_PYTHON="python"), tmp_path)
    term.expect(">>> ")
    assert "Welcome to" in term.seen and "SparkSession available as 'spark'" in term.seen
    term.type("sc.parallelize(range(10)).map(lambda x: x * 2).sum()\n")
    term.expect("90\r\n>>> ")
    term.type("exit()\n")
    assert term.proc.wait(timeout=30) == 0
    assert "sc.parallelize(range(10))" in (tmp_path / ".python_history").read_text()


def test_terminal_session_with_ipython(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    pytest.importorskip("IPython")
    term = Terminal(request, [*SHELL, "--master", "local[1]"],
                    _env(tmp_path, PYSPARK_DRIVER_PYTHON="ipython"), tmp_path)
    term.expect("In [1]")
    term.type("sc.parallelize(range(10)).sum()\r")
    term.expect("45")
    term.type("exit\r")
    assert term.proc.wait(timeout=30) == 0


def test_progress_bar_drawn_on_a_terminal(request: pytest.FixtureRequest,
                                          tmp_path: Path) -> None:
    term = Terminal(request, [*SHELL, "--master", "local[2]"],
                    _env(tmp_path, PYSPARK_DRIVER_PYTHON="python"), tmp_path)
    term.expect(">>> ")
    term.type("import time; sc.parallelize(range(2), 2)"
              ".map(lambda x: time.sleep(1.5) or x).count()\n")
    seen = term.expect("2\r\n>>> ")
    assert "[Stage 0:" in seen and "(0 + 2) / 2]" in seen
    term.type("exit()\n")
    assert term.proc.wait(timeout=30) == 0
