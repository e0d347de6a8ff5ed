"""``rapport serve`` and ``rapport tokens``: bind/TLS rules, and a real server process on
the demo record answering a demo login and an API token."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cli_runner import Cli

from rapport.settings import get_settings
from rapport.store.demo import create_demo_record
from rapport.web.serve import ServePlan, is_loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_needs_nothing(host: str) -> None:
    assert is_loopback(host)
    assert ServePlan(host=host, port=8000).check() == []


def test_other_interfaces_need_tls_or_an_explicit_flag(tmp_path: Path) -> None:
    from rapport.errors import RapportInputError

    with pytest.raises(RapportInputError) as err:
        ServePlan(host="0.0.0.0", port=8000).check()
    assert err.value.code == "unsafe_bind"
    (warning,) = ServePlan(host="192.168.1.5", port=8000, insecure_lan=True).check()
    assert "WITHOUT TLS" in warning
    assert not ServePlan(host="192.168.1.5", port=8000, insecure_lan=True).secure_cookies
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_text("x")
    key.write_text("x")
    plan = ServePlan(host="192.168.1.5", port=8443, cert=cert, key=key)
    assert plan.check() == [] and plan.url == "https://192.168.1.5:8443/"
    with pytest.raises(RapportInputError):
        ServePlan(host="192.168.1.5", port=8443, cert=cert).check()  # key missing
    with pytest.raises(RapportInputError):
        ServePlan(host="192.168.1.5", port=8000, behind_proxy=True).check()


def test_cli_refuses_an_unsafe_bind(cli: Cli) -> None:
    result = cli("serve", "--host", "0.0.0.0", "--check")
    assert result.exit_code == 2
    assert "--insecure-lan" in result.output


@pytest.fixture
def demo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("RAPPORT_HOME", str(home))
    record = create_demo_record([], settings=get_settings())
    monkeypatch.setenv("RAPPORT_KEY_FILE", str(record.key_file))
    return home


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(demo_home: Path) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "rapport.cli", "serve", "--port", str(port)],
        env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # readiness poll: the first answer, at most ~30 s
            if process.poll() is not None:
                pytest.fail(f"rapport serve exited: {process.stdout.read().decode()}")
            try:
                httpx.get(url + "/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_answers_the_demo_login_and_tokens(server: str, cli: Cli) -> None:
    with httpx.Client(base_url=server, follow_redirects=False) as web:
        page = web.get("/login")
        assert page.status_code == 200
        login_csrf = page.cookies["rapport_login_csrf"]
        answer = web.post("/login", data={"username": "tom", "password": "demo-tom",
                                          "csrf_token": login_csrf},
                          headers={"cookie": f"rapport_login_csrf={login_csrf}"})
        assert answer.status_code == 303
        set_cookie = answer.headers["set-cookie"]
        assert "HttpOnly" in set_cookie and "Secure" in set_cookie
        assert "SameSite=strict" in set_cookie or "SameSite=Strict" in set_cookie
        session = re.search(r"rapport_session=([^;]+)", set_cookie)
        assert session
        me = web.get("/api/v1/me", headers={"cookie": f"rapport_session={session.group(1)}"})
        assert me.json()["data"] == {"username": "tom", "role": "therapist", "via": "cookie"}

        created = cli("tokens", "create", "test-script", "--as", "tom")
        assert created.exit_code == 0, created.output
        token = created.stdout.strip().splitlines()[0]
        assert token.startswith("rpt_")
        auth = {"authorization": f"Bearer {token}"}
        assert web.get("/api/v1/me", headers=auth).json()["data"]["via"] == "token"
        listed = cli("tokens", "list", "--as", "tom")
        assert "test-script" in listed.output and token not in listed.output
        token_id = re.search(r"^\s*(\d+)\s+test-script", listed.output, re.M)
        assert token_id
        assert cli("tokens", "revoke", token_id.group(1), "--as", "tom").exit_code == 0
        assert web.get("/api/v1/me", headers=auth).status_code == 401
