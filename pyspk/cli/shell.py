"""``pyspk-shell [options]``: an interactive Python with ``sc`` and ``spark`` ready.

It takes spark-submit's flags, shows the console progress bar and logs at WARN by default, and
uses IPython when it is installed (or asked for with ``PYSPARK_DRIVER_PYTHON=ipython``), else the
standard console. With piped standard input it reads statements until end of input, writing
prompts and the banner to stderr so that stdout carries only the results, as ``python -i`` does.
"""
from __future__ import annotations

import code
import importlib.util
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any, Callable, Sequence

import click

from pyspk.cli import options, submit
from pyspk.conf.environment import env
from pyspk.errors import PySparkException

APP_NAME = "PySparkShell"
SHELL_DEFAULTS = {"spark.ui.showConsoleProgress": "true", "spark.log.level": "WARN"}


def choose_repl(stdin_is_tty: bool, ipython_installed: bool, driver_python: str | None) -> str:
    """``"ipython"`` or ``"python"``: an explicit ``PYSPARK_DRIVER_PYTHON`` decides, else IPython
    on a terminal when it is installed."""
    if driver_python:
        name = Path(driver_python.split()[0]).name
        return "ipython" if name.startswith("ipython") else "python"
    return "ipython" if stdin_is_tty and ipython_installed else "python"


def start_spark() -> dict[str, Any]:
    """The shell's namespace: ``sc``, plus ``spark`` and ``sql`` once pyspk.sql provides them.

    Its ``__name__`` is ``__main__`` as in the Python REPL, so functions and classes defined in
    the shell are shipped to executors by value.
    """
    from pyspk.conf import SparkConf
    from pyspk.context import SparkContext

    namespace: dict[str, Any] = {"__name__": "__main__", "__doc__": None,
                                 "SparkConf": SparkConf, "SparkContext": SparkContext}
    try:
        from pyspk.sql import SparkSession
    except ImportError as e:
        if not (e.name or "").startswith("pyspk.sql"):
            raise
        namespace["sc"] = SparkContext.getOrCreate()
        return namespace
    spark = SparkSession.builder.getOrCreate()
    namespace.update(SparkSession=SparkSession, spark=spark, sc=spark.sparkContext, sql=spark.sql)
    return namespace


def welcome(namespace: dict[str, Any]) -> str:
    """The banner: logo and versions, then what the namespace holds."""
    sc = namespace["sc"]
    lines = [submit.banner()]
    web_url = getattr(sc, "uiWebUrl", None)
    if web_url:
        lines.append(f"Spark context Web UI available at {web_url}")
    lines.append(f"Spark context available as 'sc' (master = {sc.master}, "
                 f"app id = {sc.applicationId}).")
    if "spark" in namespace:
        lines.append("SparkSession available as 'spark'.")
    return "\n".join(lines)


class PipedConsole(code.InteractiveConsole):
    """The standard console, writing its prompts to stderr when input is not a terminal."""

    def __init__(self, namespace: dict[str, Any], interactive: bool) -> None:
        super().__init__(locals=namespace, filename="<stdin>")
        self.interactive = interactive

    def raw_input(self, prompt: str = "") -> str:
        if self.interactive:
            return input(prompt)
        sys.stderr.write(prompt)
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")


HISTORY_FILE = Path("~/.python_history")


def _enable_readline(namespace: dict[str, Any]) -> Callable[[], None]:
    """Tab completion and the Python REPL's history file in the standard console, where readline
    exists; returns what saves the history at the end of the session."""
    try:
        import readline
        import rlcompleter
    except ImportError:
        return lambda: None
    readline.set_completer(rlcompleter.Completer(namespace).complete)
    readline.parse_and_bind("tab: complete")
    history = HISTORY_FILE.expanduser()
    try:
        readline.read_history_file(history)
    except OSError:
        pass

    def save() -> None:
        try:
            readline.write_history_file(history)
        except OSError:
            pass
    return save


def interact(namespace: dict[str, Any], repl: str, interactive: bool) -> int:
    """Run the read-eval-print loop until end of input or ``exit()``; return the exit status."""
    try:
        if repl == "ipython":
            import IPython

            IPython.start_ipython(argv=[], user_ns=namespace, display_banner=False)
        else:
            save_history = _enable_readline(namespace) if interactive else (lambda: None)
            try:
                PipedConsole(namespace, interactive).interact(banner="", exitmsg="")
            finally:
                save_history()
    except SystemExit as e:
        return submit.exit_code(e)
    return 0


@click.command(context_settings={"help_option_names": ["-h", "--help"]},
               options_metavar="[options]")
@options.common_options
@click.option("--version", is_flag=True, help="Print the version of pyspk.")
def command(version: bool, **params: Any) -> int:
    """Start an interactive Python shell with a SparkContext (sc) and SparkSession (spark)."""
    from pyspk._utils import log

    if version:
        return submit.print_version()
    args = options.collect_args(params)
    properties = submit.prepare_environment(args, APP_NAME, defaults=SHELL_DEFAULTS)
    log.configure("WARN")
    with tempfile.TemporaryDirectory(prefix="pyspk-pyfiles-") as scratch:
        # As in the Python REPL the current directory comes first, then --py-files.
        sys.path[0:1] = ["", *submit.python_paths(properties.get("spark.submit.pyFiles", ""),
                                                  Path(scratch))]
        return session()


def session() -> int:
    """Start Spark, greet, and run the read-eval-print loop; stop Spark at the end."""
    interactive = sys.stdin.isatty()
    click.echo('Setting default log level to "WARN".\n'
               "To adjust logging level use sc.setLogLevel(newLevel).", err=True)
    try:
        namespace = start_spark()
    except PySparkException as e:
        click.echo(f"Error: Failed to initialize Spark: {e}", err=True)
        return 1
    except Exception:
        traceback.print_exc()
        click.echo("Error: Failed to initialize Spark.", err=True)
        return 1
    click.echo(welcome(namespace), err=not interactive)
    repl = choose_repl(interactive, importlib.util.find_spec("IPython") is not None,
                       env("PYSPARK_DRIVER_PYTHON"))
    try:
        status = interact(namespace, repl, interactive)
    finally:
        submit.flush_stdout()
        submit.stop_active_context()
    return status


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point of ``pyspk-shell``."""
    sys.exit(submit.run_cli(command, argv, "pyspk-shell"))


if __name__ == "__main__":
    main()
