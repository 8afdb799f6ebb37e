"""Fixtures for the web entrypoint: the app on a temporary database and Flask's test client."""

from __future__ import annotations

import pytest

from sut import bootstrap
from sut.adapters.passwords import FAST
from sut.config import Config
from sut.entrypoints.web import create_web_app

from .helpers import Mailbox


@pytest.fixture
def mailbox():
    return Mailbox()


@pytest.fixture
def app(tmp_path, mailbox):
    built = bootstrap.build(Config(database=tmp_path / "web.sqlite3", password_cost=FAST), email=mailbox)
    yield built
    built.close()


@pytest.fixture
def people(app):
    """An administrator, an agent and an end user, by role."""
    return {
        "admin": app.admin.register_person("ada@example.test", "Ada Admin", "agent", "admin-pw", is_admin=True),
        "agent": app.admin.register_person("al@example.test", "Al Agent", "agent", "agent-pw"),
        "user": app.admin.register_person("una@example.test", "Una User", "user", "user-pw"),
    }


@pytest.fixture
def web(app, mailbox):
    flask_app = create_web_app(app, secret_key=b"k" * 32, demo=mailbox)
    flask_app.testing = True
    return flask_app


@pytest.fixture
def client(web):
    return web.test_client()
