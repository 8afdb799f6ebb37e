"""How refusals and failures become HTTP answers: a status per refusal of the use cases, and
the app-wide handlers (a JSON body under /api, an error page elsewhere, never a traceback).

Every refusal is a TwoFactorError whose ``message`` is safe to show; only the status is
decided here. Anything not listed is a plain 400.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from sut.domain import errors
from sut.domain.clients import Client
from sut.service_layer.common import NotSignedIn

MAX_BODY = 64 * 1024
API_PREFIX = "/api"

_STATUS: list[tuple[type[errors.TwoFactorError], int]] = [
    (NotSignedIn, 401),
    (errors.InvalidCredentials, 401),
    (errors.InvalidCode, 401),
    (errors.NotAllowed, 403),
    (errors.SetupRequired, 403),
    (errors.ReauthenticationRequired, 403),
    (errors.AlreadySignedIn, 409),
    (errors.Busy, 503),
    (errors.InvalidAssertion, 401),
    (errors.NotFound, 404),
    (errors.Locked, 429),
    (errors.RateLimited, 429),
    (errors.InvalidInput, 422),
    (errors.MalformedCode, 422),
    (errors.InvalidSettings, 422),
    (errors.PasswordRequired, 422),
]
_HTTP_NAMES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large",
               415: "unsupported_media_type", 422: "invalid_input"}
_HTTP_MESSAGES = {
    404: "There is nothing at this address.",
    405: "This address does not take that method.",
    413: f"The request is too large (at most {MAX_BODY // 1024} KiB).",
}


def client() -> Client:
    """Where the request came from: the connection's address (or, behind trusted proxies,
    what they say), and the browser's own description of itself."""
    return Client.of(request.remote_addr, request.headers.get("User-Agent", ""))


def status_for(error: errors.TwoFactorError) -> int:
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 400


def wants_json() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def csrf_refused(error: CSRFError):
    if wants_json():  # not reached: the API is exempt
        return jsonify(error="csrf", message="The form token is missing or wrong."), 400
    return render_template("error.html", title="The form has expired",
                           message="This form has expired or did not come from this site. "
                                   "Go back, reload the page and try again."), 400


def http_error(error: HTTPException):
    code = error.code or 500
    if error.response is not None and wants_json() and error.response.mimetype == "application/json":
        return error.response  # already one of ours (the API's validation refusals)
    message = _HTTP_MESSAGES.get(code) or error.description or error.name
    if wants_json():
        response = jsonify(error=_HTTP_NAMES.get(code, "http_%d" % code), message=message)
        response.status_code = code
        if code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response
    return render_template("error.html", title=error.name, message=message), code


def unexpected(error: Exception):  # a bug: say so without details, never a traceback
    from flask import current_app

    current_app.logger.exception("Unexpected error on %s %s", request.method, request.path)
    if wants_json():
        return jsonify(error="internal", message="Something went wrong on our side."), 500
    return render_template("error.html", title="Something went wrong",
                           message="Something went wrong on our side. Try again."), 500


def register(web: Flask) -> None:
    web.register_error_handler(CSRFError, csrf_refused)
    web.register_error_handler(HTTPException, http_error)
    web.register_error_handler(Exception, unexpected)
