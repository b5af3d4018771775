"""spark-submit as a real process: flags to SparkConf, exit status, argv, paths, errors, speed."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Callable

import psutil
import pytest

import pyspk

ROOT = Path(__file__).resolve().parents[2]

Runner = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def run(request: pytest.FixtureRequest, tmp_path: Path) -> Runner:
    """Run a command with the checkout importable and an empty conf dir; kill it at teardown."""

    def runner(*args: str, cmd: list[str] | None = None, env: dict[str, str] | None = None,
               cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        full_env = dict(os.environ, PYTHONPATH=str(ROOT), PYSPK_CONF_DIR=str(tmp_path / "conf"))
        full_env.pop("PYSPK_SUBMIT_CONF", None)
        full_env.update(env or {})
        argv = (cmd or [sys.executable, "-m", "pyspk.cli.submit"]) + list(args)
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=full_env,
                                cwd=cwd or tmp_path, start_new_session=True)
        request.addfinalizer(lambda: _kill_group(proc.pid))
        out, err = proc.communicate(timeout=timeout)
        return subprocess.CompletedProcess(argv, proc.returncode, out, err)

    return runner


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


CONF_DUMP = """\
import json, sys
from pyspk.conf import SparkConf
conf = SparkConf()
{extra}
print(json.dumps(dict(conf.getAll())))
"""


def dump_conf(run: Runner, tmp_path: Path, *flags: str, extra: str = "") -> dict[str, str]:
    script = write(tmp_path / "dump.py", CONF_DUMP.format(extra=extra))
    result = run(*flags, str(script))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_flags_and_properties_reach_sparkconf(run: Runner, tmp_path: Path) -> None:
    props = write(tmp_path / "my.conf", "spark.master local[5]\nspark.executor.memory 3g\n"
                                        "spark.a fromfile\n")
    got = dump_conf(run, tmp_path, "--master", "local[2]", "--name", "job", "--conf",
                    "spark.a=fromflag", "--conf", "spark.b=x=y", "--properties-file", str(props),
                    "--executor-cores", "2", "--total-executor-cores", "4",
                    "--driver-memory", "2g")
    assert got["spark.master"] == "local[2]"
    assert got["spark.app.name"] == "job"
    assert got["spark.a"] == "fromflag"
    assert got["spark.b"] == "x=y"
    assert got["spark.executor.memory"] == "3g"
    assert got["spark.executor.cores"] == "2"
    assert got["spark.cores.max"] == "4"
    assert got["spark.driver.memory"] == "2g"


def test_sparkconf_in_code_beats_flags(run: Runner, tmp_path: Path) -> None:
    got = dump_conf(run, tmp_path, "--master", "local[2]",
                    extra="conf.setMaster('local[1]')")
    assert got["spark.master"] == "local[1]"


def test_default_properties_file_from_conf_dir(run: Runner, tmp_path: Path) -> None:
    write(tmp_path / "conf" / "spark-defaults.conf", "spark.app.name fromdefaults\n")
    got = dump_conf(run, tmp_path)
    assert got["spark.app.name"] == "fromdefaults"
    assert got["spark.master"] == "local[*]"


def test_defaults_without_flags(run: Runner, tmp_path: Path) -> None:
    got = dump_conf(run, tmp_path)
    assert got["spark.master"] == "local[*]"
    assert got["spark.app.name"] == "dump.py"


def test_exit_status_and_argv_are_the_programs(run: Runner, tmp_path: Path) -> None:
    script = write(tmp_path / "p.py", "import sys\nprint(sys.argv[1:], __name__)\n"
                                      "sys.exit(int(sys.argv[1]))\n")
    result = run("--master", "local[1]", str(script), "7", "--master", "-x")
    assert result.returncode == 7
    assert result.stdout == "['7', '--master', '-x'] __main__\n"


def test_uncaught_exception_prints_program_traceback(run: Runner, tmp_path: Path) -> None:
    script = write(tmp_path / "boom.py", "def f():\n    raise ValueError('bad thing')\nf()\n")
    result = run(str(script))
    assert result.returncode == 1
    assert "Traceback (most recent call last):" in result.stderr
    assert f'File "{script}", line 3' in result.stderr
    assert "ValueError: bad thing" in result.stderr
    assert "runpy" not in result.stderr


def test_script_dir_and_py_files_importable(run: Runner, tmp_path: Path) -> None:
    write(tmp_path / "app" / "helper.py", "X = 'sibling'\n")
    lib = write(tmp_path / "libs" / "extra.py", "Y = 'pyfile'\n")
    write(tmp_path / "libs" / "notlisted.py", "Z = 1\n")
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped/__init__.py", "W = 'zip'\n")
    script = write(tmp_path / "app" / "main.py",
                   "import helper, extra, zipped\nprint(helper.X, extra.Y, zipped.W)\n"
                   "try:\n    import notlisted\nexcept ImportError:\n    print('hidden')\n")
    result = run("--py-files", f"{lib},{archive}", str(script))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "sibling pyfile zip\nhidden\n"


@pytest.mark.parametrize("args,message", [
    (["--bogus", "{script}"], "Error: No such option '--bogus'"),
    (["{dir}/missing.py"], "Error: Cannot open script {dir}/missing.py"),
    ([], "Error: Missing application script"),
    (["--conf", "novalue", "{script}"], "Error: Invalid argument to --conf: 'novalue'"),
    (["--properties-file", "{dir}/bad.conf", "{script}"],
     "Error: Malformed line 2 in properties file {dir}/bad.conf: 'spark.oops'"),
    (["--master", "nowhere", "{script}"], "Error: Invalid master URL 'nowhere'"),
    (["--executor-cores", "many", "{script}"], "Error: Invalid value for '--executor-cores'"),
    (["--files", "{dir}/nofile", "{script}"], "Error: --files: no such file"),
    (["--conf", "spark.executor.memory=abc", "{script}"],
     "Error: Invalid value 'abc' for config spark.executor.memory"),
])
def test_bad_command_lines_are_one_line_errors(run: Runner, tmp_path: Path, args: list[str],
                                                message: str) -> None:
    script = write(tmp_path / "ok.py", "print('ran')\n")
    write(tmp_path / "bad.conf", "spark.a 1\nspark.oops\n")
    fill = {"script": str(script), "dir": str(tmp_path)}
    result = run(*[a.format(**fill) for a in args])
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.startswith(message.format(**fill))
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_verbose_reports_on_stderr_only(run: Runner, tmp_path: Path) -> None:
    script = write(tmp_path / "v.py", "print('out')\n")
    result = run("--verbose", "--conf", "spark.z=1", "--conf", "other=2", str(script))
    assert result.returncode == 0
    assert result.stdout == "out\n"
    assert "Warning: Ignoring non-Spark config property: other" in result.stderr
    assert "(spark.z,1)" in result.stderr and "Parsed arguments:" in result.stderr


def test_version(run: Runner) -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout == ""
    assert f"version {pyspk.__version__}" in result.stderr and "Using Python version" in result.stderr


def test_launcher_sources_spark_env(run: Runner, tmp_path: Path) -> None:
    write(tmp_path / "conf" / "spark-env.sh", "FROM_ENV_SH=yes\n")
    script = write(tmp_path / "e.py", "import os\nprint(os.environ['FROM_ENV_SH'], "
                                      "os.environ['PYSPK_HOME'])\n")
    result = run(str(script), cmd=[str(ROOT / "bin" / "spark-submit")],
                 env={"PYTHONPATH": "", "PYSPARK_PYTHON": sys.executable})
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"yes {ROOT}\n"


def test_trivial_job_end_to_end(run: Runner, tmp_path: Path) -> None:
    """A real job on local[2] from spark-submit to exit (its speed is measured beside PySpark's by
    benchmarks/startup_compare.py, not asserted here: a timed test fails on a loaded machine)."""
    script = write(tmp_path / "t.py", "from pyspk import SparkContext\n"
                                      "sc = SparkContext('local[2]', 'trivial')\n"
                                      "print(sc.parallelize(range(10)).sum())\n")
    result = run(str(script))
    assert (result.returncode, result.stdout) == (0, "45\n"), result.stderr


LEAVES_CONTEXT = """\
import psutil, sys
from pyspk import SparkContext
sc = SparkContext('local[2]', 'leaves')
sc.parallelize(range(4), 2).count()
print(' '.join(str(p.pid) for p in psutil.Process().children(recursive=True)), flush=True)
if sys.argv[1] == 'raise':
    raise RuntimeError('left running')
"""


@pytest.mark.parametrize("ending,status", [("return", 0), ("raise", 1)])
def test_context_left_running_is_stopped(run: Runner, tmp_path: Path, ending: str,
                                         status: int) -> None:
    script = write(tmp_path / "leave.py", LEAVES_CONTEXT)
    result = run(str(script), ending)
    assert result.returncode == status, result.stderr
    pids = [int(p) for p in result.stdout.split()]
    assert pids, "the context started no executor processes"
    deadline = time.monotonic() + 10
    while any(psutil.pid_exists(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in pids if psutil.pid_exists(p)]


def test_py_files_and_files_reach_the_executors(run: Runner, tmp_path: Path) -> None:
    lib = write(tmp_path / "libs" / "mathlib.py", "def triple(x):\n    return 3 * x\n")
    data = write(tmp_path / "data.txt", "hello from a file\n")
    script = write(tmp_path / "app" / "main.py", """\
from pyspk import SparkContext, SparkFiles
import mathlib

def read(_):
    with open(SparkFiles.get("data.txt")) as f:
        return f.read().strip()

sc = SparkContext.getOrCreate()
print(sc.parallelize(range(5), 2).map(mathlib.triple).collect())
print(sc.parallelize([0], 1).map(read).collect())
""")
    result = run("--master", "local[2]", "--py-files", str(lib), "--files", str(data),
                 str(script))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[0, 3, 6, 9, 12]\n['hello from a file']\n"


def test_interrupt_mid_job_exits_130_and_stops_executors(request: pytest.FixtureRequest,
                                                         tmp_path: Path) -> None:
    script = write(tmp_path / "hang.py", """\
import time
from pyspk import SparkContext
sc = SparkContext("local[2]", "hang")
print("started", flush=True)
sc.parallelize(range(2), 2).map(lambda x: time.sleep(60)).count()
""")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYSPK_CONF_DIR=str(tmp_path / "conf"))
    proc = subprocess.Popen([sys.executable, "-m", "pyspk.cli.submit", str(script)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    request.addfinalizer(lambda: _kill_group(proc.pid))
    assert proc.stdout is not None and proc.stdout.readline() == "started\n"
    deadline = time.monotonic() + 20
    executors: list[int] = []
    while len(executors) < 2 and time.monotonic() < deadline:
        executors = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.rstrip().endswith("KeyboardInterrupt")
    deadline = time.monotonic() + 10
    while any(psutil.pid_exists(p) for p in executors) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert executors and not [p for p in executors if psutil.pid_exists(p)]
