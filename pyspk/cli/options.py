"""Flags shared by ``spark-submit`` and ``pyspk-shell`` and how they become Spark properties.

Spark's precedence is kept: a ``SparkConf`` set in the program beats the command-line flags, and
the flags beat the properties file. Among the flags, a dedicated one (``--master``) beats the same
key given with ``--conf`` (``--conf spark.master=...``), as in Spark's ``SparkSubmitArguments``.
Everything here is pure (no environment, no ``sys`` state) except reading the properties file.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import click

from pyspk.conf import entries
from pyspk.conf.units import parse_bytes


class SubmitError(Exception):
    """A problem with the command line or its files, reported as one line without a traceback."""


@dataclass(frozen=True)
class FlagSpec:
    """A dedicated command-line flag and the Spark property it sets."""

    param: str
    flag: str
    key: str
    help: str
    metavar: str
    kind: str = "str"  # "str", "int", "size", "paths" (comma-separated local files)


FLAGS: tuple[FlagSpec, ...] = (
    FlagSpec("master", "--master", "spark.master", "local, local[N], local[*], local[N,F], "
             "local-cluster[W,C,M] or spark://host:port (default: local[*]).", "MASTER_URL"),
    FlagSpec("name", "--name", "spark.app.name", "A name of your application "
             "(default: the script's file name).", "NAME"),
    FlagSpec("py_files", "--py-files", "spark.submit.pyFiles", "Comma-separated .py, .zip or "
             ".egg files to put on the PYTHONPATH of the driver and the executors.", "PY_FILES",
             "paths"),
    FlagSpec("files", "--files", "spark.files", "Comma-separated files to place in the working "
             "directory of each executor (SparkFiles.get).", "FILES", "paths"),
    FlagSpec("archives", "--archives", "spark.archives", "Comma-separated archives to extract "
             "into the working directory of each executor.", "ARCHIVES", "paths"),
    FlagSpec("driver_memory", "--driver-memory", "spark.driver.memory",
             "Memory for the driver (e.g. 1000M, 2G) (default: 1024M).", "MEM", "size"),
    FlagSpec("driver_cores", "--driver-cores", "spark.driver.cores",
             "Number of cores used by the driver (default: 1).", "NUM", "int"),
    FlagSpec("executor_memory", "--executor-memory", "spark.executor.memory",
             "Memory per executor (e.g. 1000M, 2G) (default: 1G).", "MEM", "size"),
    FlagSpec("executor_cores", "--executor-cores", "spark.executor.cores",
             "Number of cores used by each executor (default: 1).", "NUM", "int"),
    FlagSpec("total_executor_cores", "--total-executor-cores", "spark.cores.max",
             "Total cores for all executors (standalone mode).", "NUM", "int"),
    FlagSpec("num_executors", "--num-executors", "spark.executor.instances",
             "Number of executors to launch (standalone mode).", "NUM", "int"),
)

DEFAULT_MASTER = "local[*]"
PROPERTIES_FILE_NAME = "spark-defaults.conf"

_MASTER_PATTERNS = (
    re.compile(r"local"),
    re.compile(r"local\[(\*|[1-9]\d*)\]"),
    re.compile(r"local\[(\*|[1-9]\d*)\s*,\s*([1-9]\d*)\]"),
    re.compile(r"local-cluster\[\s*[1-9]\d*\s*,\s*[1-9]\d*\s*,\s*[1-9]\d*\s*\]"),
    re.compile(r"spark://[^\s:/,]+:\d+(,[^\s:/,]+:\d+)*"),
)


def check_master(url: str) -> str:
    """``url`` if it is a master URL pyspk can run on; otherwise a SubmitError naming it."""
    if any(p.fullmatch(url) for p in _MASTER_PATTERNS):
        return url
    raise SubmitError(f"Invalid master URL {url!r}: expected local, local[N], local[*], "
                      "local[N,F], local-cluster[W,C,M] or spark://host:port")


def parse_conf_pair(text: str) -> tuple[str, str]:
    """``KEY=VALUE`` of a ``--conf`` flag, split at the first ``=`` (values may contain ``=``)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise SubmitError(f"Invalid argument to --conf: {text!r} (expected KEY=VALUE)")
    return key.strip(), value


_SEPARATOR = re.compile(r"(?<!\\)[=:\s]")


def parse_properties(text: str, source: str) -> dict[str, str]:
    """Properties in Spark's ``spark-defaults.conf`` format.

    One ``key value`` (or ``key=value``, ``key: value``) per line, ``#``/``!`` comments, a
    trailing backslash continues a line. A line with a key but no value is an error naming the
    file and line, because it is almost always a typo that would otherwise be silently ignored.

    >>> parse_properties("# c\\nspark.master  local[2]\\nspark.app.name=x y\\n", "f")
    {'spark.master': 'local[2]', 'spark.app.name': 'x y'}
    """
    props: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        number, line = i + 1, lines[i].strip()
        i += 1
        while line.endswith("\\") and not line.endswith("\\\\") and i < len(lines):
            line = line[:-1] + lines[i].strip()
            i += 1
        if not line or line[0] in "#!":
            continue
        m = _SEPARATOR.search(line)
        key = line[:m.start()] if m else line
        value = line[m.end():].strip() if m else ""
        if value[:1] in ("=", ":") and m is not None and line[m.start()].isspace():
            value = value[1:].strip()
        if not value:
            raise SubmitError(f"Malformed line {number} in properties file {source}: "
                              f"{lines[number - 1].strip()!r} (expected 'key value')")
        props[key.replace("\\", "")] = value
    return props


def read_properties_file(path: Path) -> dict[str, str]:
    """The properties of a file; an unreadable file is a SubmitError naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise SubmitError(f"Cannot read properties file {path}: {reason}") from None
    return parse_properties(text, str(path))


def split_paths(value: str, source: str) -> list[str]:
    """Absolute local paths of a comma-separated list; ``#alias`` suffixes (archives) are kept."""
    out: list[str] = []
    for item in (p.strip() for p in value.split(",")):
        if not item:
            continue
        location, hash_sign, alias = item.partition("#")
        if "://" in location:
            if not location.startswith("file://"):
                raise SubmitError(f"{source}: only local files are supported, got {location}")
            location = location[len("file://"):]
        path = Path(location).expanduser().resolve()
        if not path.exists():
            raise SubmitError(f"{source}: no such file: {location}")
        out.append(f"{path}{hash_sign}{alias}")
    return out


def _normalise_flag(spec: FlagSpec, raw: Any) -> str:
    """The property value of a flag, validated so that a bad value fails before the job starts."""
    if spec.kind == "size":
        try:
            parse_bytes(str(raw), "m")
        except ValueError as e:
            raise SubmitError(f"Invalid value for {spec.flag}: {e}") from None
    if spec.kind == "int" and int(raw) < 1:
        raise SubmitError(f"Invalid value for {spec.flag}: {raw} (must be a positive integer)")
    if spec.param == "master":
        return check_master(str(raw))
    return str(raw)


def _check_declared(properties: dict[str, str]) -> None:
    """Fail now, in one line, on a value pyspk would reject when the context starts."""
    for key, value in properties.items():
        entry = entries.lookup(key)
        if entry is None:
            continue
        try:
            entry.parse(value)
        except (TypeError, ValueError) as e:
            raise SubmitError(f"Invalid value {value!r} for config {key}: {e}") from None
    if "spark.master" in properties:
        check_master(properties["spark.master"])


@dataclass
class SubmitArgs:
    """What the command line asked for, before it is merged into properties."""

    flags: dict[str, Any] = field(default_factory=dict)
    confs: tuple[str, ...] = ()
    properties_file: Path | None = None
    deploy_mode: str | None = None
    verbose: bool = False


@dataclass
class ResolvedConf:
    """The application's properties and the remarks to show the user about how they were built."""

    properties: dict[str, str]
    properties_file: Path | None
    warnings: list[str]
    file_properties: dict[str, str]


def resolve(args: SubmitArgs, default_name: str, default_properties_file: Path | None,
            now: float | None = None) -> ResolvedConf:
    """Merge properties file < ``--conf`` < dedicated flags, then fill Spark's defaults.

    ``default_properties_file`` is used when ``--properties-file`` was not given and it exists.
    Keys not starting with ``spark.`` are dropped with a warning, as Spark does.
    """
    warnings: list[str] = []
    path = args.properties_file
    if path is None and default_properties_file is not None and default_properties_file.is_file():
        path = default_properties_file
    file_props = read_properties_file(path) if path is not None else {}

    merged: dict[str, str] = {}
    for key, value in file_props.items():
        merged[key] = value
    for text in args.confs:
        key, value = parse_conf_pair(text)
        merged[key] = value
    for key in [k for k in merged if not k.startswith("spark.")]:
        warnings.append(f"Warning: Ignoring non-Spark config property: {key}")
        del merged[key]
    for spec in FLAGS:
        raw = args.flags.get(spec.param)
        if raw is not None:
            merged[spec.key] = _normalise_flag(spec, raw)
    _check_declared(merged)
    for spec in (s for s in FLAGS if s.kind == "paths" and merged.get(s.key)):
        source = spec.flag if args.flags.get(spec.param) is not None else spec.key
        merged[spec.key] = ",".join(split_paths(merged[spec.key], source))
    if args.deploy_mode not in (None, "client"):
        raise SubmitError(f"Invalid deploy mode {args.deploy_mode!r}: pyspk runs the driver in "
                          "this process (client mode) only")
    merged.setdefault("spark.master", DEFAULT_MASTER)
    merged.setdefault("spark.app.name", default_name)
    merged.setdefault("spark.submit.deployMode", "client")
    merged.setdefault("spark.submit.pyFiles", "")
    merged["spark.app.submitTime"] = str(int((time.time() if now is None else now) * 1000))
    return ResolvedConf(merged, path, warnings, file_props)


def describe(args: SubmitArgs, resolved: ResolvedConf, script: str | None,
             script_args: tuple[str, ...]) -> list[str]:
    """The ``--verbose`` report: parsed arguments and the properties the application gets."""
    lines = [f"Using properties file: {resolved.properties_file or 'null'}"]
    lines += [f"Adding default property: {k}={v}" for k, v in resolved.file_properties.items()]
    lines.append("Parsed arguments:")
    for spec in FLAGS:
        value = args.flags.get(spec.param)
        lines.append(f"  {_camel(spec.param):<24}{'null' if value is None else value}")
    lines.append(f"  {'deployMode':<24}{args.deploy_mode or 'null'}")
    lines.append(f"  {'propertiesFile':<24}{resolved.properties_file or 'null'}")
    if script is not None:
        lines.append(f"  {'primaryResource':<24}{script}")
        lines.append(f"  {'childArgs':<24}[{' '.join(script_args)}]")
    lines.append(f"  {'verbose':<24}{str(args.verbose).lower()}")
    lines.append("")
    lines.append("Spark properties used, including those specified through")
    lines.append(" --conf and those from the properties file:")
    lines += [f"  ({k},{v})" for k, v in sorted(resolved.properties.items())]
    lines.append("")
    return lines


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.title() for w in rest)


def common_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a click command with the flags spark-submit and pyspk-shell share."""
    decorators = []
    for spec in FLAGS:
        click_type: Any = click.INT if spec.kind == "int" else click.STRING
        decorators.append(click.option(spec.flag, spec.param, type=click_type, default=None,
                                       metavar=spec.metavar, help=spec.help))
    decorators += [
        click.option("--conf", "-c", "confs", multiple=True, metavar="PROP=VALUE",
                     help="Arbitrary Spark configuration property (repeatable)."),
        click.option("--properties-file", type=click.Path(path_type=Path), default=None,
                     metavar="FILE", help="Path to a file from which to load extra properties "
                     f"(default: conf/{PROPERTIES_FILE_NAME})."),
        click.option("--deploy-mode", type=str, default=None, metavar="DEPLOY_MODE",
                     help="Only 'client' (the driver runs in this process) is supported."),
        click.option("--verbose", "-v", is_flag=True, help="Print additional debug output."),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def collect_args(params: dict[str, Any]) -> SubmitArgs:
    """The SubmitArgs of a click command's keyword arguments."""
    return SubmitArgs(
        flags={spec.param: params.get(spec.param) for spec in FLAGS},
        confs=tuple(params.get("confs") or ()),
        properties_file=params.get("properties_file"),
        deploy_mode=params.get("deploy_mode"),
        verbose=bool(params.get("verbose")),
    )
