"""How `twofa serve` is deployed: cookies behind TLS, the key file's place, private files, a
production WSGI server (DEPLOY-1, DEPLOY-2, DEPLOY-3, STORE-2)."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys

import httpx
import pytest

from sut.entrypoints import serve as serve_module
from sut.entrypoints.web import HSTS, create_web_app

from .helpers import log_in

# Its tests share a module fixture (`twofa serve` in a process): one xdist worker starts it once (twofa test).
pytestmark = pytest.mark.xdist_group("deployment")

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_secure_cookies_are_secure_host_prefixed_with_hsts(app, people):
    web = create_web_app(app, secret_key=b"k" * 32, secure_cookies=True)
    client = web.test_client()
    page = client.get("/login", base_url="https://halo.example")
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("__Host-twofa_session=")
    parts = {p.strip().split("=")[0].lower() for p in cookie.split(";")}
    assert {"secure", "httponly", "path"} <= parts and "domain" not in parts
    assert "Path=/" in cookie and "SameSite=Lax" in cookie
    assert page.headers["Strict-Transport-Security"] == HSTS
    # The login works over TLS with that cookie.
    signed_in = client.post("/login", base_url="https://halo.example", headers={"Referer": "https://halo.example/login"},
                            data={"email": "al@example.test", "password": "agent-pw", "csrf_token": _csrf(page)})
    assert signed_in.status_code == 302 and signed_in.location.endswith("/")


def test_without_the_setting_no_secure_flag_and_no_hsts(client, people):
    page = client.get("/login")
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("twofa_session=") and "Secure" not in cookie
    assert "Strict-Transport-Security" not in page.headers
    assert log_in(client, "al@example.test").status_code == 302


def test_serve_takes_the_deployment_options(monkeypatch):
    seen = {}
    monkeypatch.setattr(serve_module, "serve", lambda host, port, db, **options: seen.update(options, db=db) or 0)
    assert serve_module.main(["--db", "x.sqlite3", "--key-file", "/secrets/twofa.key", "--secure-cookies",
                              "--behind-proxies", "1", "--public-url", "https://halo.example.test"]) == 0
    assert seen == {"db": "x.sqlite3", "key_file": "/secrets/twofa.key", "secure_cookies": True, "behind_proxies": 1,
                    "demo": None, "public_url": "https://halo.example.test"}


# Session scope: see tests/integration/test_the_suite_catches_broken_rules.py (xdist interleaves modules).
@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """`twofa serve` itself, in a process of its own, on a free port."""
    folder = tmp_path_factory.mktemp("served")
    process = subprocess.Popen(
        [sys.executable, "-m", "sut.entrypoints.serve", "--port", "0", "--db", str(folder / "demo.sqlite3"),
         "--key-file", str(folder / "keys" / "twofa.key")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)))
    first = process.stdout.readline()  # printed once the socket listens
    assert " at http://" in first, first + process.stderr.read()
    yield first.split(" at ")[1].strip().removesuffix("/login"), folder
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0


def test_serve_runs_on_waitress_and_names_no_server(served):
    base, folder = served
    page = httpx.get(base + "/login", timeout=10)
    assert page.status_code == 200 and "Log in" in page.text
    assert "Server" not in page.headers, page.headers.get("Server")
    login = httpx.post(base + "/api/login", json={"email": "agent@demo.example", "password": "demo-agent-password"}, timeout=30)
    assert login.status_code == 200 and login.json()["status"] == "signed_in"
    assert "Server" not in login.headers
    # The key went where it was told, and nothing beside the database is readable by others.
    assert (folder / "keys" / "twofa.key").is_file() and not (folder / "demo.sqlite3.key").exists()
    for path in [folder / "keys" / "twofa.key", *folder.glob("demo.sqlite3*")]:
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is readable by others"


def _csrf(page) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def _echo_client(environ, start_response):
    """What the app believes about the client, after ProxyFix (as create_web_app wraps it)."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{environ['REMOTE_ADDR']} {environ['wsgi.url_scheme']}".encode()]


@pytest.mark.parametrize("proxies, expected", [(0, "127.0.0.1 http"), (1, "203.0.113.7 https")])
def test_waitress_passes_the_proxy_headers_only_when_told_of_proxies(proxies, expected):
    # Red-team finding after issue 7: waitress cleared X-Forwarded-* whatever --behind-proxies said,
    # so behind a proxy every client had the proxy's address and the per-address limit was global.
    import threading

    from werkzeug.middleware.proxy_fix import ProxyFix

    from sut.entrypoints.web.server import production_server

    app = ProxyFix(_echo_client, x_for=proxies, x_proto=proxies) if proxies else _echo_client
    server = production_server(app, "127.0.0.1", 0, threads=2, trusted_proxies=proxies)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        answer = httpx.get(f"http://127.0.0.1:{server.effective_port}/", timeout=10,
                           headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
        assert answer.text == expected
    finally:
        server.close()
        thread.join(timeout=10)


def test_without_the_demo_there_is_no_outbox_and_no_demo_account(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "sut.entrypoints.serve", "--port", "0", "--no-demo", "--db", str(tmp_path / "app.sqlite3")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        first = process.stdout.readline()
        assert " at http://" in first and "(demo)" not in first, first + process.stderr.read()
        base = first.split(" at ")[1].strip().removesuffix("/login")
        assert httpx.get(base + "/demo/outbox", timeout=10).status_code == 404
        login = httpx.post(base + "/api/login", json={"email": "admin@demo.example", "password": "demo-admin-password"},
                           timeout=30)
        assert login.status_code == 401, login.text
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0


def test_a_remembered_device_cookie_is_secure_host_prefixed_httponly_and_lasts_30_days(app, people, mailbox):
    """security.md property 23: random, HttpOnly, Secure, expiring (REMEMBER-2)."""
    progress = app.login.begin("al@example.test", "agent-pw")
    started = app.enrolment.start(progress.session_token, "email", password="agent-pw")
    app.enrolment.confirm(progress.session_token, started.token, mailbox.last_code("al@example.test"))
    app.admin.change_settings(app.login.begin("ada@example.test", "admin-pw").session_token, remember_device=True)
    web = create_web_app(app, secret_key=b"k" * 32, secure_cookies=True)
    client, tls = web.test_client(), {"base_url": "https://halo.example", "headers": {"Referer": "https://halo.example/login"}}
    page = client.get("/login", **tls)
    client.post("/login", data={"email": "al@example.test", "password": "agent-pw", "csrf_token": _csrf(page)}, **tls)
    code_page = client.get("/login/code", **tls)
    assert '<label for="remember">Remember this device for 30 days</label>' in code_page.get_data(as_text=True)
    done = client.post("/login/code", data={"code": mailbox.last_code("al@example.test"), "remember": "on",
                                            "csrf_token": _csrf(code_page)}, **tls)
    [cookie] = [c for c in done.headers.getlist("Set-Cookie") if c.startswith("__Host-twofa_device=")]
    parts = {p.strip().split("=")[0].lower() for p in cookie.split(";")}
    assert {"secure", "httponly", "path", "max-age"} <= parts and "domain" not in parts
    assert "Max-Age=2592000" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert len(cookie.split(";")[0].split("=", 1)[1]) >= 43  # 256 random bits, url-safe base64
