"""``rapport serve`` (the web app) and ``rapport tokens`` (API tokens for scripts)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.db import AsOpt

SERVE_HELP = """Serve the web app for the configured record (needs the 'web' extra).

Binds to 127.0.0.1 (this machine only) by default. Any other address needs TLS
(--cert and --key) or the explicit --insecure-lan. Behind a reverse proxy that terminates
TLS, bind 127.0.0.1 with --behind-proxy. See docs/deploy.md.

Runs --workers processes (default: one per core, at most 8); each has its own
request and upload limits and job runner, while sign-ins, lockouts and jobs are shared
through the record (docs/deploy.md).

Examples:

  rapport serve
  rapport serve --workers 4
  rapport serve --host 0.0.0.0 --port 8443 --cert clinic.crt --key clinic.key
"""

TOKENS_HELP = """API tokens for scripts (Authorization: Bearer rpt_...).

Example:

  rapport tokens create nightly-export --as tom
"""


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    cert: Annotated[Path | None, typer.Option("--cert", help="TLS certificate (PEM).")] = None,
    key: Annotated[Path | None, typer.Option("--key", help="TLS private key (PEM).")] = None,
    insecure_lan: Annotated[bool, typer.Option(
        "--insecure-lan", help="Allow plain HTTP on a non-loopback address (unsafe).")] = False,
    behind_proxy: Annotated[bool, typer.Option(
        "--behind-proxy", help="Trust X-Forwarded-* from a proxy on this machine.")] = False,
    check: Annotated[bool, typer.Option(
        "--check", help="Check the settings and the record, print the URL, and exit.")] = False,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, max=64,
        help="Server processes (default: one per core, at most 8).")] = None,
) -> None:
    from rapport.cli.framework import warn
    from rapport.web.serve import ServePlan, default_workers, run

    plan = ServePlan(host=host, port=port, cert=cert, key=key, insecure_lan=insecure_lan,
                     behind_proxy=behind_proxy)
    for message in plan.check():
        warn(message)
    if check:
        from rapport.web.app import create_app

        store = create_app(secure_cookies=plan.secure_cookies).state.store
        try:
            fingerprint = store.verify_key()
        finally:
            store.dispose()
        typer.echo(f"the configured key {fingerprint} is this record's key")
        typer.echo(f"ready to serve {plan.url} with {workers or default_workers()} "
                   "worker process(es)")
        return
    workers = workers or default_workers()
    typer.echo(f"Rapport at {plan.url}, {workers} worker process(es) (Ctrl-C stops it)",
               err=True)
    run(plan, workers=workers)


def create_token(
    name: Annotated[str, typer.Argument(help="What the token is for (a script's name).")],
    as_user: AsOpt = None,
) -> None:
    from rapport.cli.db import record_tx
    from rapport.store.logins import create_api_token

    with record_tx(as_user) as tx:
        token, view = create_api_token(tx, name)
    typer.echo(token)
    typer.echo(f"token {view.id} ({view.name}) for {tx.me().username}: shown once, keep it "
               "like a password", err=True)


def list_tokens(as_user: AsOpt = None) -> None:
    from rapport.cli.db import record_tx
    from rapport.store.logins import list_api_tokens

    with record_tx(as_user) as tx:
        views = list_api_tokens(tx)
    for v in views:
        used = v.last_used_at.isoformat(timespec="minutes") if v.last_used_at else "never"
        state = "revoked" if v.revoked else "valid"
        typer.echo(f"{v.id:>4}  {v.name:<24} {state:<8} created "
                   f"{v.created_at:%Y-%m-%d}  last used {used}")
    if not views:
        typer.echo("no API tokens")


def revoke_token(
    token_id: Annotated[int, typer.Argument(help="The token's number (rapport tokens list).")],
    as_user: AsOpt = None,
) -> None:
    from rapport.cli.db import record_tx
    from rapport.store.logins import revoke_api_token

    with record_tx(as_user) as tx:
        revoke_api_token(tx, token_id)
    typer.echo(f"token {token_id} revoked")


def register(app: typer.Typer) -> None:
    app.command("serve", help=SERVE_HELP)(serve)
    tokens = typer.Typer(help=TOKENS_HELP, no_args_is_help=True, rich_markup_mode=None)
    tokens.command("create", help="Create a token for the acting user; it is printed once."
                   "\n\nExample:\n\n  rapport tokens create nightly-export --as tom")(create_token)
    tokens.command("list", help="Your tokens (never the secrets).\n\nExample:\n\n"
                   "  rapport tokens list --as tom")(list_tokens)
    tokens.command("revoke", help="Revoke one of your tokens.\n\nExample:\n\n"
                   "  rapport tokens revoke 1 --as tom")(revoke_token)
    app.add_typer(tokens, name="tokens")
