"""How a refusal of the use cases becomes an HTTP status.

Every refusal is a TwoFactorError whose ``message`` is safe to show; only the status is
decided here. Anything not listed is a plain 400.
"""

from __future__ import annotations

from sut.domain import errors
from sut.domain.clients import Client
from sut.service_layer.common import NotSignedIn

_STATUS: list[tuple[type[errors.TwoFactorError], int]] = [
    (NotSignedIn, 401),
    (errors.InvalidCredentials, 401),
    (errors.InvalidCode, 401),
    (errors.NotAllowed, 403),
    (errors.SetupRequired, 403),
    (errors.ReauthenticationRequired, 403),
    (errors.AlreadySignedIn, 409),
    (errors.Busy, 503),
    (errors.NotFound, 404),
    (errors.Locked, 429),
    (errors.RateLimited, 429),
    (errors.InvalidInput, 422),
    (errors.MalformedCode, 422),
    (errors.InvalidSettings, 422),
    (errors.PasswordRequired, 422),
]


def client() -> Client:
    """Where the request came from: the connection's address (or, behind trusted proxies,
    what they say), and the browser's own description of itself."""
    from flask import request

    return Client.of(request.remote_addr, request.headers.get("User-Agent", ""))


def status_for(error: errors.TwoFactorError) -> int:
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 400
