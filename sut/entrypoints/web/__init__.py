"""The reference app on the web: server-rendered pages, a JSON API and (for demos) an outbox.

``create_web_app(app)`` wraps a built ``sut.bootstrap.App``. Every request resolves its
token through the use cases, so a session ended on the server (sign-out, an admin's reset)
is refused at the very next request.
"""

from __future__ import annotations

import copy
import secrets

from flask import Flask, jsonify
from flask_openapi3 import Info, OpenAPI
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from sut.service_layer.identity import WhoAmI

from . import http_errors, pages
from .api import AREAS, api, validation_error_response
from .demo import demo as demo_outbox
from .http_errors import API_PREFIX, MAX_BODY
from .state import PendingKeys, WebState

HSTS = "max-age=31536000; includeSubDomains"
CSP = ("default-src 'none'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")

__all__ = ["create_web_app"]


def create_web_app(app, *, secret_key: bytes | None = None, demo=None, secure_cookies: bool | None = None,
                   trusted_proxies: int | None = None) -> Flask:
    """The Flask app for ``app`` (a ``sut.bootstrap.App``).

    ``secret_key`` signs the session cookie (random per process when not given: every
    cookie dies with the process). ``demo``, when given, is the local SMTP server (anything
    with ``inbox()``) whose mail the demo outbox at ``/demo/outbox`` shows beside the texts
    of the app's simulated SMS gateway; without it there is no outbox. ``secure_cookies``
    (behind TLS) and ``trusted_proxies`` default to the app's configuration.
    """
    config = getattr(app, "config", None)
    secure = bool(getattr(config, "secure_cookies", False)) if secure_cookies is None else secure_cookies
    proxies = int(getattr(config, "trusted_proxies", 0)) if trusted_proxies is None else trusted_proxies
    web = _openapi_app()
    web.config.update(_settings(secret_key, secure))
    web.extensions["twofa"] = WebState(app=app, who=WhoAmI(app.deps), pending=PendingKeys(app.deps.clock), demo=demo)
    if proxies:  # believe exactly this many proxies about the client's address, no more
        web.wsgi_app = ProxyFix(web.wsgi_app, x_for=proxies, x_proto=proxies)
    csrf = CSRFProtect(web)
    for blueprint in (api, *AREAS):
        csrf.exempt(blueprint)  # bearer tokens, never cookies: nothing for a forged form to ride on
    csrf.exempt(pages.login.sso_submit)  # posted from the identity provider's page: signs nobody in, posts on
    csrf.exempt(pages.login.sso_continue)  # bound to this session's sign-in by the assertion's nonce
    pages.register(web)
    web.register_api(api)
    if demo is not None:
        web.register_blueprint(demo_outbox)
    web.add_url_rule(f"{API_PREFIX}/openapi.json", "openapi_document", lambda: jsonify(_document(web.api_doc)))
    http_errors.register(web)
    web.after_request(lambda response: _security_headers(response, secure))
    return web


def _openapi_app() -> OpenAPI:
    return OpenAPI(
        __name__,
        info=Info(title="Two-factor authentication (reference app) API", version="1.0.0",
                  description="The use cases of logging in with two-factor authentication, setting it up, "
                              "turning it off and administering it. Send the token of /api/login as "
                              "`Authorization: Bearer <token>`: an attempt token after the password step, "
                              "a session token once signed in."),
        security_schemes={"bearer": {"type": "http", "scheme": "bearer",
                                     "description": "An attempt token (second step or forced set-up) or a session token."}},
        doc_ui=False,
        validation_error_status="422",
        validation_error_callback=validation_error_response,
    )


def _settings(secret_key: bytes | None, secure: bool) -> dict:
    return dict(
        SECRET_KEY=secret_key or secrets.token_bytes(32),
        # Behind TLS: Secure, and the __Host- prefix (no Domain, Path=/: no sibling host can set it).
        SESSION_COOKIE_NAME="__Host-twofa_session" if secure else "twofa_session",
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_PATH="/",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=MAX_BODY,
        MAX_FORM_MEMORY_SIZE=MAX_BODY,
        MAX_FORM_PARTS=100,
        # The token lives as long as the session cookie; a clock moved by a test breaks nothing.
        WTF_CSRF_TIME_LIMIT=None,
        JSON_SORT_KEYS=False,
    )


def _security_headers(response, secure: bool):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # same-origin, not no-referrer: behind TLS the CSRF check also compares the Referer
    # with the host (Flask-WTF's strict mode), and other sites still learn nothing.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cache-Control", "no-store")
    if secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _document(generated: dict) -> dict:
    """flask-openapi3's document, with the refusals described as this API sends them:
    every 4xx is an ErrorOut object (its default describes 422 as a list of pydantic errors)."""
    doc = copy.deepcopy(generated)
    error = {"description": "Refused", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    schemas = doc.get("components", {}).get("schemas", {})
    schemas.pop("ValidationErrorModel", None)
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            responses["422"] = dict(error, description="The request is not valid (fields, types, lengths).")
            if "requestBody" in operation:
                responses.setdefault("400", dict(error, description="The body is not valid JSON."))
                responses.setdefault("413", dict(error, description=f"The body is larger than {MAX_BODY // 1024} KiB."))
                responses.setdefault("415", dict(error, description="The body is not JSON."))
            if operation.get("security"):
                responses.setdefault("401", dict(error, description="No token, or a token that does not (or no longer) grants this."))
    return doc

