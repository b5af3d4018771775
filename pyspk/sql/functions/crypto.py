"""aes_encrypt / aes_decrypt / try_aes_decrypt column functions (left-out options take Spark's
defaults: GCM mode, DEFAULT padding, empty IV and AAD)."""
from __future__ import annotations

from typing import Any

from pyspk.sql.column import Column, col_or_name
from pyspk.sql.expressions.base import Literal, UnresolvedFunction

ColumnOrName = Any


def _opt(x: Any, default: str) -> Any:
    return Literal.of(default) if x is None else col_or_name(x)


def aes_encrypt(input: ColumnOrName, key: ColumnOrName, mode: Any = None, padding: Any = None,
                iv: Any = None, aad: Any = None) -> Column:
    return Column(UnresolvedFunction("aes_encrypt", (
        col_or_name(input), col_or_name(key), _opt(mode, "GCM"), _opt(padding, "DEFAULT"),
        _opt(iv, ""), _opt(aad, ""))))


def _decrypt(name: str, input: Any, key: Any, mode: Any, padding: Any, aad: Any) -> Column:
    return Column(UnresolvedFunction(name, (
        col_or_name(input), col_or_name(key), _opt(mode, "GCM"), _opt(padding, "DEFAULT"),
        _opt(aad, ""))))


def aes_decrypt(input: ColumnOrName, key: ColumnOrName, mode: Any = None, padding: Any = None,
                aad: Any = None) -> Column:
    return _decrypt("aes_decrypt", input, key, mode, padding, aad)


def try_aes_decrypt(input: ColumnOrName, key: ColumnOrName, mode: Any = None,
                    padding: Any = None, aad: Any = None) -> Column:
    return _decrypt("try_aes_decrypt", input, key, mode, padding, aad)


__all__ = ["aes_encrypt", "aes_decrypt", "try_aes_decrypt"]
