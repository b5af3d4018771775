"""The shipped examples under spark-submit on local[2]: each prints what PySpark 4 printed.

The expected outputs were produced by running the same scripts, with ``pyspk`` replaced by
``pyspark``, under PySpark's own spark-submit on local[2].
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DATA = EXAMPLES / "data"

EXPECTED: dict[str, str] = {
    'wordcount': (
        '159 distinct words, 374 in all\n'
        'the: 57\n'
        'and: 16\n'
        'is: 10\n'
        'a: 9\n'
        'sack: 8\n'
        'that: 8\n'
        'are: 7\n'
        'from: 6\n'
        'grain: 6\n'
        'sacks: 6\n'
        'again: 5\n'
        'at: 5\n'
        'every: 5\n'
        'it: 5\n'
        'of: 5\n'
        'to: 5\n'
        'as: 4\n'
        'be: 4\n'
        'book: 4\n'
        'he: 4\n'
    ),
    'pagerank': (
        'home has rank: 3.019618.\n'
        'blog has rank: 1.592133.\n'
        'team has rank: 1.409455.\n'
        'news has rank: 1.370975.\n'
        'download has rank: 0.549106.\n'
        'faq has rank: 0.525729.\n'
        'contact has rank: 0.441143.\n'
        'docs has rank: 0.441143.\n'
        'api has rank: 0.351439.\n'
        'about has rank: 0.299259.\n'
    ),
    'kmeans': (
        'Converged after 3 iterations. Final centres:\n'
        '  (0.9225, 0.9433)\n'
        '  (3.1430, 7.0102)\n'
        '  (6.0799, 2.0704)\n'
    ),
    'pi': (
        'Pi is roughly 3.134140\n'
    ),
    'transitive_closure': (
        'TC has 819 edges after 10 rounds\n'
    ),
    'sql_wordcount': (
        '+-----+-----+\n'
        '| word|count|\n'
        '+-----+-----+\n'
        '|  the|   57|\n'
        '|  and|   16|\n'
        '|   is|   10|\n'
        '|    a|    9|\n'
        '| sack|    8|\n'
        '| that|    8|\n'
        '|  are|    7|\n'
        '| from|    6|\n'
        '|grain|    6|\n'
        '|sacks|    6|\n'
        '+-----+-----+\n'
        '\n'
        '+-------+-----+--------------+\n'
        '|letters|words|distinct_words|\n'
        '+-------+-----+--------------+\n'
        '|      2|   56|            14|\n'
        '|      3|   99|            16|\n'
        '|      4|   82|            44|\n'
        '|      5|   67|            39|\n'
        '|      6|   31|            20|\n'
        '|      7|   22|            17|\n'
        '+-------+-----+--------------+\n'
        '\n'
    ),
}

CASES = {
    "wordcount": ["wordcount.py", str(DATA / "words.txt")],
    "pagerank": ["pagerank.py", str(DATA / "links.txt"), "10"],
    "kmeans": ["kmeans.py", str(DATA / "points.txt"), "3", "0.0001"],
    "pi": ["pi.py"],
    "transitive_closure": ["transitive_closure.py"],
    "sql_wordcount": ["sql_wordcount.py", str(DATA / "words.txt")],
}


def submit(request: pytest.FixtureRequest, tmp_path: Path, script: str,
           *args: str) -> subprocess.CompletedProcess:
    """spark-submit --master local[2] examples/<script> args, killed at teardown."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYSPK_CONF_DIR=str(tmp_path))
    env.pop("PYSPK_SUBMIT_CONF", None)
    argv = [sys.executable, "-m", "pyspk.cli.submit", "--master", "local[2]",
            str(EXAMPLES / script), *args]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
                            start_new_session=True)
    request.addfinalizer(lambda: _kill_group(proc.pid))
    out, err = proc.communicate(timeout=100)
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_prints_what_pyspark_prints(request: pytest.FixtureRequest, tmp_path: Path,
                                             name: str) -> None:
    result = submit(request, tmp_path, *CASES[name])
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED[name]


def test_sort_example_sorts_the_numbers(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    numbers = sorted(int(x) for x in (DATA / "numbers.txt").read_text().split())
    result = submit(request, tmp_path, "sort.py", str(DATA / "numbers.txt"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "".join(f"{n}\n" for n in numbers)


def test_example_usage_error_is_its_exit_status(request: pytest.FixtureRequest,
                                                tmp_path: Path) -> None:
    result = submit(request, tmp_path, "wordcount.py")
    assert result.returncode == 255
    assert result.stderr.startswith("Usage: wordcount.py")
