"""Entry point: ``python -m pyspk.executor --driver-url … --executor-id … --app-id … --hostname …
--cores C --work-dir DIR``."""
from __future__ import annotations

import argparse
import sys

from pyspk.executor.slots import run


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="pyspk.executor")
    p.add_argument("--driver-url", required=True)
    p.add_argument("--executor-id", required=True)
    p.add_argument("--app-id", required=True)
    p.add_argument("--hostname", default="127.0.0.1")
    p.add_argument("--cores", type=int, default=1)
    p.add_argument("--work-dir", required=True)
    p.add_argument("--slot", type=int, default=0)
    args = p.parse_args(argv)
    return run(args.driver_url, args.executor_id, args.app_id, args.hostname, args.cores,
               args.work_dir, args.slot)


if __name__ == "__main__":
    sys.exit(main())
