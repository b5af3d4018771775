"""``start-master``: run a standalone master in the foreground (``sbin/start-master.sh`` runs it
as a daemon with pid and log files)."""
from __future__ import annotations

import logging
import signal
import socket
import sys
from pathlib import Path
from typing import Sequence

import click

from pyspk._utils.log import configure, parse_level
from pyspk.cli.options import PROPERTIES_FILE_NAME, SubmitError, read_properties_file
from pyspk.conf import SparkConf
from pyspk.conf.environment import conf_dir
from pyspk.deploy.master import Master
from pyspk.errors import PySparkException


def load_conf(properties_file: str | None) -> SparkConf:
    """Spark properties from ``--properties-file`` or ``conf/spark-defaults.conf`` if present."""
    conf = SparkConf(loadDefaults=False)
    path = Path(properties_file) if properties_file else conf_dir() / PROPERTIES_FILE_NAME
    if properties_file or path.is_file():
        for key, value in read_properties_file(path).items():
            if key.startswith("spark."):
                conf.set(key, value)
    return conf


def configure_logging() -> None:
    """Spark's console log format at INFO, or at the levels of ``conf/log4j2.properties``
    (``rootLogger.level`` and ``logger.<id>.name``/``logger.<id>.level`` pairs)."""
    path = conf_dir() / "log4j2.properties"
    props = read_properties_file(path) if path.is_file() else {}
    configure(props.get("rootLogger.level", "INFO"))
    for key, name in props.items():
        if key.startswith("logger.") and key.endswith(".name"):
            level = props.get(key[:-len(".name")] + ".level")
            if level:
                logging.getLogger(name).setLevel(parse_level(level))


def serve_until_signalled(daemon: Master | object) -> None:
    """Run ``daemon`` in this thread; SIGTERM and SIGINT stop it cleanly."""
    def stop(signum: int, frame: object) -> None:
        daemon.stop()  # type: ignore[attr-defined]
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    daemon.run()  # type: ignore[attr-defined]


@click.command(context_settings={"help_option_names": ["--help"]})
@click.option("--host", "-h", default=None, help="Hostname to listen on (default: this host's name).")
@click.option("--port", "-p", default=7077, show_default=True, type=int, help="Port to listen on.")
@click.option("--webui-port", default=8080, show_default=True, type=int, help="Port for the web UI.")
@click.option("--properties-file", default=None, type=click.Path(dir_okay=False),
              help="File of Spark properties (default: conf/spark-defaults.conf).")
def command(host: str | None, port: int, webui_port: int, properties_file: str | None) -> None:
    """Start a standalone master."""
    try:
        configure_logging()
        conf = load_conf(properties_file)
        master = Master(conf, host=host or socket.gethostname(), port=port, webui_port=webui_port)
    except (SubmitError, PySparkException, OSError, ValueError) as e:
        click.echo(f"start-master: {e}", err=True)
        sys.exit(1)
    serve_until_signalled(master)


def main(argv: Sequence[str] | None = None) -> None:
    command.main(args=list(argv) if argv is not None else None, prog_name="start-master")


if __name__ == "__main__":
    main()
