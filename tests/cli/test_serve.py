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

from rapport.errors import RapportInputError
from rapport.settings import get_settings
from rapport.store.crypto import write_key_file
from rapport.store.demo import create_demo_record
from rapport.web.serve import ServePlan, is_loopback


def tls_pair(folder: Path, name: str, *, passphrase: bytes | None = None) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its private key, as PEM files."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase
        else serialization.NoEncryption())
    cert_path, key_path = folder / f"{name}.crt", folder / f"{name}.key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8, encryption))
    return cert_path, key_path


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_needs_nothing(host: str) -> None:
    assert is_loopback(host)
    assert ServePlan(host=host, port=8000).check() == []


def test_other_interfaces_need_tls_or_an_explicit_flag(tmp_path: Path) -> None:
    with pytest.raises(RapportInputError) as err:
        ServePlan(host="0.0.0.0", port=8000).check()
    assert err.value.code == "unsafe_bind"
    (warning,) = ServePlan(host="192.168.1.5", port=8000, insecure_lan=True).check()
    assert "WITHOUT TLS" in warning
    assert not ServePlan(host="192.168.1.5", port=8000, insecure_lan=True).secure_cookies
    cert, key = tls_pair(tmp_path, "clinic")
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


def _bad_pair(tmp_path: Path, case: str) -> tuple[Path, Path, str, str]:
    """A certificate and key that cannot serve: (cert, key, the bad flag, the message)."""
    cert, key = tls_pair(tmp_path, "clinic")
    _, other_key = tls_pair(tmp_path, "other")
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    if case == "mismatched key":
        return cert, other_key, "--key", "does not match the certificate"
    if case == "junk key":
        return cert, junk, "--key", "not a PEM private key"
    if case == "the record's encryption key":
        record_key = tmp_path / "rapport.key"
        write_key_file(record_key)
        return cert, record_key, "--key", "not a PEM private key"
    if case == "passphrase key":
        cert, key = tls_pair(tmp_path, "locked", passphrase=b"a passphrase")
        return cert, key, "--key", "passphrase"
    if case == "junk certificate":
        return junk, key, "--cert", "not a PEM certificate"
    assert case == "key as certificate"
    return key, key, "--cert", "not a PEM certificate"


BAD_PAIRS = ["mismatched key", "junk key", "the record's encryption key", "passphrase key",
             "junk certificate", "key as certificate"]


@pytest.mark.parametrize("case", BAD_PAIRS)
def test_a_tls_pair_that_cannot_serve_is_refused(tmp_path: Path, case: str) -> None:
    cert, key, flag, message = _bad_pair(tmp_path, case)
    with pytest.raises(RapportInputError) as err:
        ServePlan(host="0.0.0.0", port=8443, cert=cert, key=key).check()
    assert err.value.code == "bad_tls" and err.value.where == flag
    assert message in err.value.what
    assert str(cert if flag == "--cert" else key) in err.value.what  # names the file


@pytest.mark.parametrize("case", ["mismatched key", "the record's encryption key"])
def test_serve_check_refuses_a_tls_pair_that_cannot_serve(tmp_path: Path, cli: Cli,
                                                          case: str) -> None:
    cert, key, _, message = _bad_pair(tmp_path, case)
    result = cli("serve", "--check", "--host", "0.0.0.0", "--cert", cert, "--key", key)
    assert result.exit_code == 2, result.output
    assert message in result.output and "ready" not in result.output


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


def _serve(port: int, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "rapport.cli", "serve", "--port", str(port), *args],
        env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_serving_a_tls_pair_that_cannot_serve_exits_at_once(demo_home: Path,
                                                           tmp_path: Path) -> None:
    """Before, the workers died on the key and were restarted for ever (the parent never
    exited, so systemd's Restart=on-failure never fired)."""
    cert, key, _, message = _bad_pair(tmp_path, "mismatched key")
    process = _serve(_free_port(), "--workers", "2", "--cert", str(cert), "--key", str(key))
    try:
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 2
    text = output.decode()
    assert message in text and "Traceback" not in text


def test_serve_answers_over_https_with_a_good_pair(demo_home: Path, tmp_path: Path) -> None:
    import ssl

    cert, key = tls_pair(tmp_path, "clinic")
    port = _free_port()
    process = _serve(port, "--workers", "1", "--cert", str(cert), "--key", str(key))
    trust = ssl.create_default_context(cafile=str(cert))
    try:
        for _ in range(300):  # readiness poll, at most ~30 s
            if process.poll() is not None:
                pytest.fail(f"rapport serve exited: {process.stdout.read().decode()}")
            try:
                answer = httpx.get(f"https://127.0.0.1:{port}/login", verify=trust, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("rapport serve never answered over HTTPS")
        assert answer.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
