"""``spark-submit [options] script.py [args]``: run a PySpark program on pyspk.

The program runs in this very process (``runpy``), not in a second interpreter, so a trivial job
costs one Python start. The command line becomes Spark properties in ``$PYSPK_SUBMIT_CONF``,
which ``SparkConf()`` loads; a ``SparkConf`` set in the program still wins over them.
"""
from __future__ import annotations

import json
import os
import platform
import runpy
import shutil
import sys
import tempfile
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any, Sequence

import click

from pyspk import __version__
from pyspk.cli import options
from pyspk.cli.options import SubmitArgs, SubmitError
from pyspk.conf.environment import SUBMIT_CONF_VAR, conf_dir

USAGE = "spark-submit [options] <python file> [app arguments]"

LOGO = r"""
                           __
    ____  __  _________  / /__
   / __ \/ / / / ___/ __ \/ //_/
  / /_/ / /_/ (__  ) /_/ / ,<
 / .___/\__, /____/ .___/_/|_|   version {version}
/_/    /____/    /_/
"""


def banner() -> str:
    """Spark-style welcome text with pyspk's and Python's versions."""
    return ("Welcome to" + LOGO.format(version=__version__) +
            f"\nUsing Python version {platform.python_version()} "
            f"({platform.python_build()[0]}, {platform.python_build()[1]})")


def print_version() -> int:
    """The ``--version`` text, on stderr as Spark prints it; returns the exit status."""
    click.echo(banner(), err=True)
    click.echo("Type --help for more information.", err=True)
    return 0


def default_properties_file() -> Path:
    """``spark-defaults.conf`` in the configuration directory (used only if it exists)."""
    return conf_dir() / options.PROPERTIES_FILE_NAME


def prepare_environment(args: SubmitArgs, default_name: str, script: str | None = None,
                        script_args: tuple[str, ...] = (),
                        defaults: dict[str, str] | None = None) -> dict[str, str]:
    """Resolve the command line into properties and export them for ``SparkConf()``.

    ``defaults`` are the front end's own (the shell's progress bar), below every user setting.
    """
    resolved = options.resolve(args, default_name, default_properties_file())
    for key, value in (defaults or {}).items():
        resolved.properties.setdefault(key, value)
    for line in resolved.warnings:
        click.echo(line, err=True)
    if args.verbose:
        for line in options.describe(args, resolved, script, script_args):
            click.echo(line, err=True)
    os.environ[SUBMIT_CONF_VAR] = json.dumps(resolved.properties)
    return resolved.properties


def python_paths(py_files: str, scratch: Path) -> list[str]:
    """``sys.path`` entries for ``--py-files``: archives as they are, ``.py`` files copied apart.

    A ``.py`` file is copied into ``scratch`` rather than adding its directory, so that only the
    named module becomes importable (as PySpark's driver does).
    """
    paths: list[str] = []
    for item in (p for p in py_files.split(",") if p):
        path = Path(item)
        if path.suffix == ".py":
            shutil.copy2(path, scratch / path.name)
            if str(scratch) not in paths:
                paths.append(str(scratch))
        else:
            paths.append(str(path))
    return paths


def stop_active_context() -> None:
    """Stop the SparkContext the program left running, so its executors end with it."""
    module = sys.modules.get("pyspk.context")
    context_class = getattr(module, "SparkContext", None)
    active = getattr(context_class, "_active_spark_context", None)
    if active is not None:
        active.stop()


def _user_traceback(script: Path, tb: TracebackType | None) -> TracebackType | None:
    """The traceback from the program's first frame on, hiding runpy and this module."""
    walk = tb
    while walk is not None:
        if Path(walk.tb_frame.f_code.co_filename).resolve() == script:
            return walk
        walk = walk.tb_next
    return tb


def exit_code(exc: SystemExit) -> int:
    """The process status of a ``SystemExit``, with Python's own rules."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def flush_stdout() -> None:
    """Flush what the program printed; a reader that went away (``| head``) is not an error."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass


def run_program(script: Path, argv: Sequence[str], extra_paths: Sequence[str]) -> int:
    """Run ``script`` as ``__main__`` like ``python script.py``; return its exit status."""
    sys.argv = [str(script), *argv]
    sys.path[0:1] = [str(script.parent), *extra_paths]
    status = 0
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as e:
        status = exit_code(e)
    except BaseException as e:  # the program's own failure, reported as Python would
        trimmed = _user_traceback(script, e.__traceback__)
        sys.excepthook(type(e), e.with_traceback(trimmed), trimmed)
        status = 130 if isinstance(e, KeyboardInterrupt) else 1
    finally:
        flush_stdout()
    try:
        stop_active_context()
    except Exception:  # a failing stop must not hide the program's own status
        traceback.print_exc()
        status = status or 1
    return status


def _check_script(script: str | None) -> Path:
    if script is None:
        raise SubmitError(f"Missing application script. Usage: {USAGE}")
    path = Path(script).expanduser()
    if not path.exists():
        raise SubmitError(f"Cannot open script {script}: No such file or directory")
    if path.is_dir() and not (path / "__main__.py").is_file():
        raise SubmitError(f"Cannot run {script}: a directory without __main__.py")
    return path.resolve()


@click.command(context_settings={"allow_interspersed_args": False,
                                 "help_option_names": ["-h", "--help"]},
               options_metavar="[options]")
@options.common_options
@click.option("--version", is_flag=True, help="Print the version of pyspk.")
@click.argument("script", required=False, metavar="<python file>")
@click.argument("args", nargs=-1, type=click.UNPROCESSED, metavar="[app arguments]")
def command(script: str | None, args: tuple[str, ...], version: bool, **params: Any) -> int:
    """Run a PySpark application (a Python file) on pyspk."""
    if version:
        return print_version()
    path = _check_script(script)
    submit_args = options.collect_args(params)
    properties = prepare_environment(submit_args, path.name, str(path), args)
    with tempfile.TemporaryDirectory(prefix="pyspk-pyfiles-") as scratch:
        extra = python_paths(properties.get("spark.submit.pyFiles", ""), Path(scratch))
        return run_program(path, args, extra)


def run_cli(cmd: click.Command, argv: Sequence[str] | None, prog_name: str) -> int:
    """Invoke ``cmd``; usage and configuration errors become one ``Error:`` line on stderr."""
    try:
        result = cmd.main(args=list(argv) if argv is not None else None, prog_name=prog_name,
                          standalone_mode=False)
    except click.ClickException as e:
        click.echo(f"Error: {e.format_message()} (see {prog_name} --help)", err=True)
        return 1
    except click.Abort:
        return 130
    except SubmitError as e:
        click.echo(f"Error: {e}", err=True)
        return 1
    return result if isinstance(result, int) else 0


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point of ``spark-submit``."""
    sys.exit(run_cli(command, argv, "spark-submit"))


if __name__ == "__main__":
    main()
