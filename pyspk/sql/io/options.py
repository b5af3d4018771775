"""Reader and writer options as Spark reads them: case-insensitive keys, ``"true"`` flags, and
the parse mode with its corrupt-record column."""
from __future__ import annotations

from pyspk.errors import IllegalArgumentException

PARSE_MODES = ("PERMISSIVE", "DROPMALFORMED", "FAILFAST")


class Options:
    """Case-insensitive view of a data source's string options."""

    def __init__(self, options: dict[str, str]) -> None:
        self._low = {k.lower(): v for k, v in options.items()}

    def get(self, *names: str, default: str | None = None) -> str | None:
        """The value of the first of ``names`` that is set, else ``default``."""
        for n in names:
            if n.lower() in self._low:
                return self._low[n.lower()]
        return default

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean option: ``"true"`` (any case) is true."""
        v = self.get(name)
        return default if v is None else v.strip().lower() == "true"

    def char(self, name: str, default: str) -> str | None:
        """A one-character option (``sep``, ``quote``, …); empty means "none" (None)."""
        v = self.get(name, default=default)
        if v is None or v == "" or v == "\u0000":
            return None
        if v == "\\t":
            return "\t"
        return v

    @property
    def mode(self) -> str:
        """The parse mode; an unknown mode falls back to PERMISSIVE as Spark does."""
        m = (self.get("mode", default="PERMISSIVE") or "PERMISSIVE").upper()
        return m if m in PARSE_MODES else "PERMISSIVE"

    def corrupt_column(self, session_default: str = "_corrupt_record") -> str:
        return self.get("columnNameOfCorruptRecord", default=session_default) or session_default


def check_sep(sep: str | None) -> str:
    """Spark accepts a single-character delimiter (a longer one only in newer versions)."""
    if sep is None or sep == "":
        raise IllegalArgumentException("Delimiter cannot be empty string",
                                       errorClass="INVALID_DELIMITER_VALUE.EMPTY_STRING")
    return sep
