"""The one place pyspk reads process environment variables."""
from __future__ import annotations

import json
import os
from pathlib import Path

SUBMIT_CONF_VAR = "PYSPK_SUBMIT_CONF"


def submitted_properties() -> dict[str, str]:
    """Properties spark-submit handed to this process (its ``--conf`` flags and properties file)."""
    raw = os.environ.get(SUBMIT_CONF_VAR)
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def env(name: str, default: str | None = None) -> str | None:
    """An environment variable's value."""
    return os.environ.get(name, default)


def home_dir() -> Path:
    """The pyspk installation: ``$PYSPK_HOME`` or the checkout holding this package."""
    home = os.environ.get("PYSPK_HOME")
    return Path(home) if home else Path(__file__).resolve().parents[2]


def conf_dir() -> Path:
    """Where ``spark-defaults.conf`` and ``spark-env.sh`` live."""
    d = os.environ.get("PYSPK_CONF_DIR") or os.environ.get("SPARK_CONF_DIR")
    return Path(d) if d else home_dir() / "conf"


def environ_copy() -> dict[str, str]:
    """A copy of the whole environment, for launching child processes."""
    return dict(os.environ)


def set_submitted_property(key: str, value: str) -> None:
    """Add a property that SparkConfs created later in this process (and its children) load."""
    props = submitted_properties()
    props[key] = value
    os.environ[SUBMIT_CONF_VAR] = json.dumps(props)
