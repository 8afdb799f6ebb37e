"""What every area of the API needs: the app, the bearer token, and stable operation ids."""

from __future__ import annotations

from flask import current_app, request
from flask_openapi3.utils import get_operation_id_for_path

from sut.service_layer.common import NotSignedIn

BEARER = [{"bearer": []}]


def app():
    """The ``sut.bootstrap.App`` this web app serves."""
    return current_app.extensions["twofa"].app


def bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotSignedIn("Send your token as: Authorization: Bearer <token>.")
    return token.strip()


def operation_id(*, name: str, path: str, method: str) -> str:
    """The operation ids the API had as one blueprint ("api_login_login_post"): clients generated
    from the document keep their method names whichever area blueprint holds the route."""
    return get_operation_id_for_path(bp_name="api", name=name, path=path, method=method)


def value(enum_or_none):
    return enum_or_none.value if enum_or_none is not None else None
