"""How a refusal of the use cases becomes an HTTP status.

Every refusal is a TwoFactorError whose ``message`` is safe to show; only the status is
decided here. Anything not listed is a plain 400.
"""

from __future__ import annotations

from sut.domain import errors
from sut.service_layer.common import NotSignedIn

_STATUS: list[tuple[type[errors.TwoFactorError], int]] = [
    (NotSignedIn, 401),
    (errors.InvalidCredentials, 401),
    (errors.InvalidCode, 401),
    (errors.NotAllowed, 403),
    (errors.NotFound, 404),
    (errors.Locked, 429),
    (errors.RateLimited, 429),
    (errors.InvalidInput, 422),
    (errors.MalformedCode, 422),
    (errors.InvalidSettings, 422),
    (errors.PasswordRequired, 422),
]


def status_for(error: errors.TwoFactorError) -> int:
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 400
