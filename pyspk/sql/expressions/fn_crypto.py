"""aes_encrypt / aes_decrypt / try_aes_decrypt with Spark's modes and byte layouts.

GCM (default): a 12-byte IV (random unless given) + ciphertext + 16-byte tag, with optional AAD;
CBC: a 16-byte IV + PKCS#7-padded ciphertext; ECB: PKCS#7-padded ciphertext. Keys are 16, 24
or 32 bytes. Uses the ``cryptography`` package.
"""
from __future__ import annotations

import os
from typing import Any

import pyarrow as pa
from cryptography.hazmat.primitives import padding as sym_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pyspk.errors import SparkRuntimeException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import to_array
from pyspk.sql.expressions.scalar import register

B, S = T.BinaryType(), T.StringType()


def _error(sub: str, message: str) -> SparkRuntimeException:
    return SparkRuntimeException(
        f"[INVALID_PARAMETER_VALUE.{sub}] The value of parameter(s) {message} SQLSTATE: 22023",
        errorClass=f"INVALID_PARAMETER_VALUE.{sub}")


def _check(key: bytes, mode: str, padding: str) -> tuple[str, str]:
    if len(key) not in (16, 24, 32):
        raise _error("AES_KEY_LENGTH", f"`key` in `aes_encrypt`/`aes_decrypt` is invalid: expects "
                                       f"a binary value with 16, 24 or 32 bytes, but got {len(key)} bytes.")
    mode, padding = mode.upper(), padding.upper()
    if padding == "DEFAULT":
        padding = "NONE" if mode == "GCM" else "PKCS"
    if (mode, padding) not in (("GCM", "NONE"), ("CBC", "PKCS"), ("ECB", "PKCS")):
        raise SparkRuntimeException(
            f"[UNSUPPORTED_FEATURE.AES_MODE] The feature is not supported: AES-{mode} with the "
            f"padding {padding} by the `aes_encrypt`/`aes_decrypt` function. SQLSTATE: 0A000",
            errorClass="UNSUPPORTED_FEATURE.AES_MODE")
    return mode, padding


def _pad(data: bytes) -> bytes:
    p = sym_padding.PKCS7(128).padder()
    return p.update(data) + p.finalize()


def _unpad(data: bytes) -> bytes:
    p = sym_padding.PKCS7(128).unpadder()
    return p.update(data) + p.finalize()


def encrypt(data: bytes, key: bytes, mode: str, padding: str, iv: bytes, aad: bytes) -> bytes:
    mode, _ = _check(key, mode, padding)
    if mode == "GCM":
        iv = iv or os.urandom(12)
        return iv + AESGCM(key).encrypt(iv, data, aad or None)
    if mode == "CBC":
        iv = iv or os.urandom(16)
        enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
        return iv + enc.update(_pad(data)) + enc.finalize()
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(_pad(data)) + enc.finalize()


def decrypt(data: bytes, key: bytes, mode: str, padding: str, aad: bytes) -> bytes:
    mode, _ = _check(key, mode, padding)
    try:
        if mode == "GCM":
            return AESGCM(key).decrypt(data[:12], data[12:], aad or None)
        if mode == "CBC":
            dec = Cipher(algorithms.AES(key), modes.CBC(data[:16])).decryptor()
            return _unpad(dec.update(data[16:]) + dec.finalize())
        dec = Cipher(algorithms.AES(key), modes.ECB()).decryptor()
        return _unpad(dec.update(data) + dec.finalize())
    except Exception:  # any failure (tag, padding, length) is Spark's decryption error
        raise SparkRuntimeException(
            "[INVALID_PARAMETER_VALUE.AES_CRYPTO_ERROR] The value of parameter(s) `expr`, `key` in "
            "`aes_decrypt` is invalid: detail message: the input or key is incorrect. "
            "SQLSTATE: 22023", errorClass="INVALID_PARAMETER_VALUE.AES_CRYPTO_ERROR") from None


def _bytes(x: Any) -> bytes:
    return x.encode() if isinstance(x, str) else bytes(x)


def _kernel(fn: Any, try_: bool = False) -> Any:
    def k(v: list, c: Any, n: int) -> pa.Array:
        cols = [to_array(x, n).to_pylist() for x in v]
        out = []
        for row in zip(*cols):
            if row[0] is None or row[1] is None or any(x is None for x in row[2:4]):
                out.append(None)
                continue
            args = [_bytes(row[0]), _bytes(row[1]), row[2], row[3]] + \
                [b"" if x is None else _bytes(x) for x in row[4:]]
            try:
                out.append(fn(*args))
            except SparkRuntimeException:
                if not try_:
                    raise
                out.append(None)
        return pa.array(out, pa.binary())
    return k


register("aes_encrypt", _kernel(encrypt), B, [B, B, S, S, B, B], 2, 6,
         defaults=("GCM", "DEFAULT", "", ""))
register("aes_decrypt", _kernel(decrypt), B, [B, B, S, S, B], 2, 5,
         defaults=("GCM", "DEFAULT", ""))
register("try_aes_decrypt", _kernel(decrypt, try_=True), B, [B, B, S, S, B], 2, 5,
         defaults=("GCM", "DEFAULT", ""))
