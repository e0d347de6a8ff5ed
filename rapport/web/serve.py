"""Run the app with uvicorn under the bind and TLS rules of ``rapport serve``.

- Loopback (127.0.0.1, ::1, localhost) needs nothing: traffic never leaves the machine.
- Any other interface needs TLS (``--cert`` and ``--key``) or the explicit
  ``--insecure-lan`` (a warning is printed; cookies then lose the Secure flag, because a
  browser would not send them back over plain HTTP).
- ``--behind-proxy`` trusts ``X-Forwarded-For``/``-Proto`` from the loopback proxy only
  (the proxy terminates TLS; see docs/deploy.md).
- The certificate and key are loaded once before anything serves: a pair that cannot
  serve (a key of another certificate, a file that is not PEM, a key behind a passphrase)
  is one clear error and a non-zero exit, never worker processes that die on it and are
  restarted for ever.
"""

from __future__ import annotations

import ipaddress
import math
import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapport.errors import RapportInputError
from rapport.settings import Settings, get_settings

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServePlan:
    host: str
    port: int
    cert: Path | None = None
    key: Path | None = None
    insecure_lan: bool = False
    behind_proxy: bool = False

    @property
    def tls(self) -> bool:
        return self.cert is not None

    @property
    def secure_cookies(self) -> bool:
        return not self.insecure_lan

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}/"

    def check(self) -> list[str]:
        """Refuse unsafe plans; return warnings for allowed but risky ones."""
        if (self.cert is None) != (self.key is None):
            raise RapportInputError("TLS needs both a certificate and its key",
                                    where="--cert/--key",
                                    fix="pass both --cert FILE and --key FILE",
                                    code="bad_tls")
        for path, flag in ((self.cert, "--cert"), (self.key, "--key")):
            if path is not None and not path.is_file():
                raise RapportInputError(f"no such file: {path}", where=flag,
                                        fix="give the PEM file's path", code="bad_tls")
        if self.cert is not None and self.key is not None:
            check_tls_pair(self.cert, self.key)
        if self.behind_proxy and not is_loopback(self.host):
            raise RapportInputError("--behind-proxy serves the local proxy only",
                                    where="--host", fix="bind 127.0.0.1 and let the proxy "
                                    "face the network (docs/deploy.md)", code="unsafe_bind")
        if is_loopback(self.host) or self.tls:
            return []
        if not self.insecure_lan:
            raise RapportInputError(
                f"serving on {self.host} would send passwords and client data unencrypted",
                where="--host", fix="pass --cert and --key (docs/deploy.md), serve "
                "127.0.0.1 behind a TLS proxy, or accept the risk with --insecure-lan",
                code="unsafe_bind")
        return [(f"serving WITHOUT TLS on {self.host}: anyone on this network can read "
                "passwords and client data; use only on a network you trust completely")]


class _PassphraseNeededError(Exception):
    """The key is encrypted: raised from OpenSSL's passphrase callback (never prompt)."""


def check_tls_pair(cert: Path, key: Path) -> None:
    """Load ``cert`` and ``key`` the way the server will, or raise one clear error that
    names the file at fault.

    uvicorn loads them only in each worker process, so a bad pair used to kill every
    worker at start-up, and the parent restarted them for ever without exiting.
    """
    for path, flag in ((cert, "--cert"), (key, "--key")):
        try:
            with path.open("rb") as file:
                file.read(1)
        except OSError as exc:
            raise RapportInputError(f"cannot read {path}: {exc.strerror}", where=flag,
                                    fix="let the user running rapport serve read it",
                                    code="bad_tls") from None

    def no_passphrase() -> bytes:
        raise _PassphraseNeededError

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(cert, key, password=no_passphrase)
    except _PassphraseNeededError:
        raise RapportInputError(
            f"the key {key} is encrypted with a passphrase", where="--key",
            fix="give the key without a passphrase, readable only by the server's user "
            "(openssl pkey -in KEY -out KEY.pem; chmod 600 KEY.pem)", code="bad_tls") from None
    except ssl.SSLError as exc:
        if exc.reason == "KEY_VALUES_MISMATCH":
            raise RapportInputError(
                f"the key {key} does not match the certificate {cert}", where="--key",
                fix="give the private key made with that certificate", code="bad_tls",
            ) from None
        if not _holds_a_certificate(cert):
            raise RapportInputError(
                f"{cert} is not a PEM certificate", where="--cert",
                fix="give the certificate file (-----BEGIN CERTIFICATE-----)",
                code="bad_tls") from None
        raise RapportInputError(
            f"{key} is not a PEM private key", where="--key",
            fix="give the certificate's private key (-----BEGIN PRIVATE KEY-----); the "
            "record's RAPPORT_KEY_FILE is not a TLS key", code="bad_tls") from None


def _holds_a_certificate(path: Path) -> bool:
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=path)
    except ssl.SSLError:
        return False
    return True


def server_config(app: Any, settings: Settings, plan: ServePlan | None = None, *,
                  log_level: str = "warning") -> Any:
    """uvicorn's configuration for ``app``, shared by ``rapport serve`` and the tests'
    live server: the header deadline protocol, no access log (URLs can carry feedback
    tokens), no server or date header."""
    import uvicorn

    from rapport.web.protocol import with_header_deadline

    options: dict[str, Any] = {}
    if plan is not None:
        options = {"host": plan.host, "port": plan.port,
                   "ssl_certfile": str(plan.cert) if plan.cert else None,
                   "ssl_keyfile": str(plan.key) if plan.key else None,
                   "proxy_headers": plan.behind_proxy,
                   "forwarded_allow_ips": "127.0.0.1,::1" if plan.behind_proxy else None}
    return uvicorn.Config(app, log_level=log_level,
                          http=with_header_deadline(settings.web_header_seconds),
                          **connection_options(settings), **options)


def connection_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options shared by ``rapport serve`` (every worker) and the tests' server.

    Idle connections close at the header deadline alone (the protocol's timer), never at
    uvicorn's own 5 s keep-alive: that equals httpx's default pool expiry, so a client
    reusing a connection just before 5 s met the server closing it and had its request
    reset (the ReadErrors of the web load benchmark; reproduced under CPU load by
    benchmarks/web_keepalive.py). The header deadline (10 s by default) is past it, and
    no access log: URLs can carry feedback tokens."""
    return {"timeout_keep_alive": math.ceil(settings.web_header_seconds) + 1,
            "access_log": False, "lifespan": "off", "server_header": False,
            "date_header": False}


#: How ``rapport serve`` tells its worker processes that cookies go without the Secure flag
#: (--insecure-lan); the workers build the app from the environment (see served_app).
PLAIN_COOKIES_ENV = "RAPPORT_SERVE_PLAIN_COOKIES"
#: The most worker processes the default picks (each holds its own connections and memory).
MAX_DEFAULT_WORKERS = 8


def default_workers() -> int:
    """One worker process per usable core, at most MAX_DEFAULT_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_DEFAULT_WORKERS, cores))


def served_app() -> Any:
    """The app factory of ``rapport serve`` (``uvicorn --factory``): every worker process
    builds its own app, store and job runner from the settings in its environment, checks
    the key against the record before serving, and resumes interrupted jobs. The limits of
    the hardening (concurrent requests, bodies per address) and the job runner are per
    process; the sign-in, lockout and job claims live in the record and hold across them."""
    from rapport.web.app import create_app

    app = create_app(get_settings(), secure_cookies=os.environ.get(PLAIN_COOKIES_ENV) != "1")
    app.state.store.verify_key()  # never serve (and write) with another record's key
    app.state.jobs.start()  # resume what a restart interrupted
    return app


def run(plan: ServePlan, *, workers: int = 1, log_level: str = "warning") -> None:
    """Serve until interrupted with ``workers`` processes (the configured record must be
    at the current schema, the key must be its key, and the TLS pair must load: checked
    here before any starts)."""
    import uvicorn

    from rapport.store.database import Store

    plan.check()
    settings = get_settings()
    store = Store.from_settings(settings)
    try:
        store.require_current_schema()
        store.verify_key()
    finally:
        store.dispose()
    os.environ[PLAIN_COOKIES_ENV] = "0" if plan.secure_cookies else "1"
    uvicorn.run("rapport.web.serve:served_app", factory=True, workers=workers,
                host=plan.host, port=plan.port,
                ssl_certfile=str(plan.cert) if plan.cert else None,
                ssl_keyfile=str(plan.key) if plan.key else None,
                proxy_headers=plan.behind_proxy,
                forwarded_allow_ips="127.0.0.1,::1" if plan.behind_proxy else None,
                http="rapport.web.protocol:ServedProtocol", log_level=log_level,
                **connection_options(settings))
