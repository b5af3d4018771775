"""``start-worker spark://host:port``: run a standalone worker in the foreground."""
from __future__ import annotations

import socket
import sys
from typing import Sequence

import click
import psutil

from pyspk.cli.master import configure_logging, load_conf, serve_until_signalled
from pyspk.cli.options import SubmitError
from pyspk.conf.environment import env, home_dir
from pyspk.conf.units import parse_bytes
from pyspk.deploy.urls import master_address
from pyspk.deploy.worker import Worker
from pyspk.errors import PySparkException


def local_dir() -> str | None:
    """The first of ``SPARK_LOCAL_DIRS`` (comma-separated), where executors keep scratch files."""
    dirs = [d for d in (env("SPARK_LOCAL_DIRS") or "").split(",") if d.strip()]
    return dirs[0].strip() if dirs else None


def default_memory_mb() -> int:
    """All of this host's memory minus 1 GiB (at least 1 GiB), as Spark's worker offers."""
    total = psutil.virtual_memory().total >> 20
    return max(total - 1024, 1024)


@click.command(context_settings={"help_option_names": ["--help"]})
@click.argument("master")
@click.option("--host", "-h", default=None, help="Hostname to listen on (default: this host's name).")
@click.option("--port", "-p", default=0, type=int, help="Port of the worker (default: random).")
@click.option("--webui-port", default=8081, show_default=True, type=int, help="Port for the web UI.")
@click.option("--cores", "-c", default=None, type=int, help="Cores to offer (default: all).")
@click.option("--memory", "-m", default=None,
              help="Memory to offer, e.g. 1000M or 2G (default: total memory minus 1 GiB).")
@click.option("--work-dir", "-d", default=None,
              help="Directory for executors' working dirs (default: $PYSPK_HOME/work).")
@click.option("--properties-file", default=None, type=click.Path(dir_okay=False),
              help="File of Spark properties (default: conf/spark-defaults.conf).")
def command(master: str, host: str | None, port: int, webui_port: int, cores: int | None,
            memory: str | None, work_dir: str | None, properties_file: str | None) -> None:
    """Start a standalone worker and connect it to MASTER (spark://host:port)."""
    try:
        configure_logging()
        master_address(master)
        memory_mb = parse_bytes(memory, "m") >> 20 if memory else default_memory_mb()
        conf = load_conf(properties_file)
        worker = Worker(conf, master, cores=cores or psutil.cpu_count() or 1, memory_mb=memory_mb,
                        work_dir=work_dir or home_dir() / "work", host=host or socket.gethostname(),
                        port=port, webui_port=webui_port, local_dir=local_dir())
    except (SubmitError, PySparkException, OSError, ValueError) as e:
        click.echo(f"start-worker: {e}", err=True)
        sys.exit(1)
    serve_until_signalled(worker)
    sys.exit(1 if worker.failed else 0)


def main(argv: Sequence[str] | None = None) -> None:
    command.main(args=list(argv) if argv is not None else None, prog_name="start-worker")


if __name__ == "__main__":
    main()
