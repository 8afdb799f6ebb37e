"""The background server for in-process tests, and `twofa serve`'s refusal of a port in use."""

from __future__ import annotations

import datetime as dt
import io
import json
import socket
import urllib.error
import urllib.request

import pyotp
import pytest
from freezegun import freeze_time

from sut.entrypoints import serve as serve_module
from sut.entrypoints.web.server import BackgroundServer, ServerStartError


def call(base: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.fixture
def taken_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def test_background_server_serves_and_stops(web):
    server = BackgroundServer(web)
    base = server.start()
    try:
        with urllib.request.urlopen(base + "/login", timeout=10) as response:
            assert response.status == 200 and b"Log in" in response.read()
    finally:
        server.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/login", timeout=2)


def test_background_server_refuses_a_port_in_use_clearly(web, taken_port):
    with pytest.raises(ServerStartError) as refusal:
        BackgroundServer(web, port=taken_port).start()
    assert str(refusal.value) == f"Cannot listen on 127.0.0.1:{taken_port}: the port is in use."


def test_the_server_thread_reads_the_frozen_clock(web, people):
    frozen = dt.datetime(2031, 5, 4, 3, 2, 1, tzinfo=dt.timezone.utc)
    with freeze_time(frozen, real_asyncio=True) as clock, BackgroundServer(web) as server:
        base = server.base_url
        _, signed_in = call(base, "/api/login", {"email": "al@example.test", "password": "agent-pw"})
        session = signed_in["token"]
        _, started = call(base, "/api/two-factor/enrolment", {"method": "authenticator", "password": "agent-pw"}, session)
        totp = pyotp.TOTP(started["key"])
        status, _ = call(base, "/api/two-factor/enrolment/confirm",
                         {"enrolment_token": started["enrolment_token"], "code": totp.at(frozen)}, session)
        assert status == 200
        clock.tick(dt.timedelta(minutes=5))
        _, attempt = call(base, "/api/login", {"email": "al@example.test", "password": "agent-pw"})
        stale, _ = call(base, "/api/login/code", {"code": totp.at(frozen - dt.timedelta(minutes=1))}, attempt["token"])
        assert stale == 401
        fresh, done = call(base, "/api/login/code", {"code": totp.at(frozen + dt.timedelta(minutes=5))}, attempt["token"])
        assert fresh == 200 and done["status"] == "signed_in"


def test_serve_reports_a_port_in_use_in_one_line_and_exits_2(tmp_path, taken_port):
    out, err = io.StringIO(), io.StringIO()
    code = serve_module.serve("127.0.0.1", taken_port, str(tmp_path / "demo.sqlite3"), out=out, err=err)
    assert code == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and "port is in use" in lines[0] and "Traceback" not in err.getvalue()
    assert out.getvalue() == ""


def test_main_passes_the_options_on(monkeypatch):
    seen = {}
    monkeypatch.setattr(serve_module, "serve", lambda host, port, db, **options: seen.update(host=host, port=port, db=db, **options) or 0)
    assert serve_module.main(["--host", "0.0.0.0", "--port", "9001", "--db", "x.sqlite3"]) == 0
    assert seen == {"host": "0.0.0.0", "port": 9001, "db": "x.sqlite3", "key_file": None, "secure_cookies": False,
                    "behind_proxies": 0, "demo": None, "public_url": None}
    assert serve_module.main(["--no-demo"]) == 0 and seen["demo"] is False
    assert serve_module.main(["--demo"]) == 0 and seen["demo"] is True


def test_serve_beyond_this_machine_needs_the_demo_said_out_loud(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    assert serve_module.serve("0.0.0.0", 0, str(tmp_path / "demo.sqlite3"), out=out, err=err) == 2
    assert err.getvalue() == (
        "twofa serve: listening on 0.0.0.0 would show the demo accounts' passwords and every code sent (the demo "
        "outbox) beyond this machine. Add --demo to do so on a trusted network, or --no-demo to serve the accounts "
        "of an existing database without them.\n")
    assert out.getvalue() == "" and not (tmp_path / "demo.sqlite3").exists()


def test_demo_accounts_are_seeded_once(app):
    assert serve_module.seed_demo_accounts(app) is True
    assert serve_module.seed_demo_accounts(app) is False
    progress = app.login.begin("admin@demo.example", "demo-admin-password")
    assert progress.status == "signed_in"
    assert app.admin.people(progress.session_token)[0].is_admin
