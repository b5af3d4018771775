"""CurveZMQ keys derived from ``spark.authenticate.secret`` and the ZAP check of peers.

Every process that knows the secret derives the same keypair; servers admit only clients
presenting that public key, so a peer without the secret fails the handshake before any of
its payload is read.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import zmq
from zmq.utils import z85

from pyspk.errors import ConfigError

log = logging.getLogger("pyspk.rpc.Security")


@dataclass(frozen=True)
class Security:
    """How sockets of this process authenticate: ``None`` keys mean no authentication."""

    public_key: bytes | None = None
    secret_key: bytes | None = None

    @property
    def enabled(self) -> bool:
        return self.public_key is not None

    @classmethod
    def from_secret(cls, secret: str | None) -> "Security":
        if not secret:
            return cls()
        seed = hashlib.sha256(b"pyspk-curve-v1:" + secret.encode()).digest()
        secret_key = z85.encode(seed)
        return cls(zmq.curve_public(secret_key), secret_key)

    @classmethod
    def from_conf(cls, conf_get) -> "Security":
        """From a conf lookup function: honours spark.authenticate(.secret|.secret.file)."""
        if str(conf_get("spark.authenticate") or "false").lower() != "true":
            return cls()
        secret = conf_get("spark.authenticate.secret")
        path = conf_get("spark.authenticate.secret.file")
        if not secret and path:
            try:
                secret = Path(path).read_text().strip()
            except OSError as e:
                raise ConfigError(f"spark.authenticate.secret.file: cannot read {path}: {e}") from None
        if not secret:
            raise ConfigError("spark.authenticate is true but no spark.authenticate.secret "
                              "(or spark.authenticate.secret.file) is set",
                              errorClass="INVALID_CONF_VALUE")
        return cls.from_secret(secret)

    def as_server(self, sock: zmq.Socket) -> None:
        if self.enabled:
            _ensure_authenticator(sock.context, self.public_key)
            sock.curve_secretkey = self.secret_key
            sock.curve_publickey = self.public_key
            sock.curve_server = True

    def as_client(self, sock: zmq.Socket) -> None:
        if self.enabled:
            sock.curve_secretkey = self.secret_key
            sock.curve_publickey = self.public_key
            sock.curve_serverkey = self.public_key


class _KeyCheck:
    """Admits clients presenting the public key of a secret this process serves with."""

    def __init__(self) -> None:
        self.allowed: set[bytes] = set()

    def callback(self, domain: str, key: bytes) -> bool:
        ok = (z85.encode(key) if len(key) == 32 else key) in self.allowed
        if not ok:
            log.warning("Refused a connection that did not present the shared secret's key")
        return ok


_auth_lock = threading.Lock()
_authenticators: dict[int, tuple[object, _KeyCheck]] = {}


def _ensure_authenticator(ctx: zmq.Context, public_key: bytes) -> None:
    """One ZAP handler per context, admitting the keys of every secret configured in it."""
    with _auth_lock:
        entry = _authenticators.get(id(ctx))
        if entry is None:
            import zmq.auth.thread  # only authenticated processes pay for asyncio's import
            auth = zmq.auth.thread.ThreadAuthenticator(ctx,
                                                       log=logging.getLogger("pyspk.rpc.ZAP"))
            auth.start()
            check = _KeyCheck()
            auth.configure_curve_callback(domain="*", credentials_provider=check)
            entry = _authenticators[id(ctx)] = (auth, check)
        entry[1].allowed.add(public_key)
