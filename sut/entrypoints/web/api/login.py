"""The API's login: the password step, the second step, resending a code, logging out."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag

from ..http_errors import client
from .common import BEARER, app, bearer, operation_id, value
from .schemas import (AssertionIn, CodeIn, LoginIn, LoginOut, NewPasswordIn, PasswordResetIn, PasswordResetOut,
                      SignInStartOut, StatusMessageOut, errors)

TAG = Tag(name="Login", description="The password step, then the second step.")
api = APIBlueprint("login", __name__, abp_tags=[TAG], operation_id_callback=operation_id)


def progress_out(progress) -> dict:
    signed_in = progress.status == "signed_in"
    return LoginOut(
        status=progress.status,
        token=progress.session_token if signed_in else progress.attempt_token,
        token_type="session" if signed_in else "attempt",
        method=value(progress.method), destination=progress.destination,
        methods_offered=[m.value for m in progress.methods_offered], reason=progress.reason, reminder=progress.reminder,
        remember_device_offered=progress.remember_offered, device_token=progress.device_token,
        device_token_expires_at=progress.device_expires_at.isoformat() if progress.device_expires_at else None,
    ).model_dump()


@api.post("/login", security=[], responses={"200": LoginOut, **errors(401, 422, 429, 503)})
def login(body: LoginIn):
    """The password step. Returns a session token, or an attempt token for the code step or the forced set-up.
    Throttled per account and per client address (429, Retry-After)."""
    return progress_out(app().login.begin(body.email, body.password, client(), remembered_device=body.remembered_device))


@api.post("/login/sso/start", security=[], responses={"200": SignInStartOut, **errors(401)})
def login_sso_start():
    """Start a sign-in through the identity provider: a sign_in_token to keep, a nonce to send the provider.
    The token works for 30 minutes; the provider copies the nonce into the assertion it signs (OpenID Connect's
    nonce), which /login/sso accepts only with this token."""
    started = app().sso.start()
    return SignInStartOut(sign_in_token=started.token, nonce=started.nonce,
                          expires_at=started.expires_at.isoformat()).model_dump()


@api.post("/login/sso", security=[], responses={"200": LoginOut, **errors(401, 422)})
def login_sso(body: AssertionIn):
    """Single sign-on: the identity provider's signed assertion in place of the password step.
    It comes with the sign_in_token of /login/sso/start (refused, 401 invalid_assertion, when it is not signed by
    the provider this site trusts, is for another site, has expired, was used, or does not carry the nonce of that
    sign-in token). Then, as after the password: the second step or the forced set-up, unless the security setting
    sso_bypass_2fa signs the person in at once."""
    return progress_out(app().sso.sign_in(body.assertion, body.sign_in_token, client()))


@api.post("/login/code", security=BEARER, responses={"200": LoginOut, **errors(401, 404, 409, 422, 429)})
def login_code(body: CodeIn):
    """The second step, with the attempt token: the code from the app, the email or the text.
    409 already_signed_in: the code that completed this attempt, sent again (not counted as a guess)."""
    return progress_out(app().login.submit_code(bearer(), body.code, client(), remember_device=body.remember_device))


@api.post("/login/resend", security=BEARER, responses={"200": LoginOut, **errors(400, 401, 404, 429)})
def login_resend():
    """Send a new code (email/SMS) for the attempt; the older one stops working."""
    return progress_out(app().login.resend_code(bearer(), client()))


@api.post("/logout", security=BEARER, responses={"200": StatusMessageOut, **errors(401)})
def logout():
    """End the session at once; with an attempt token, cancel the sign-in (its token and codes stop working)."""
    app().login.sign_out(bearer(), client())
    return {"status": "signed_out"}


@api.post("/password-reset", security=[], responses={"200": PasswordResetOut, **errors(422, 429)})
def password_reset(body: PasswordResetIn):
    """Forgot password: email a link to choose a new one to the account that uses this address, if any.
    The answer is the same either way. Limited per address and per client network (429, Retry-After)."""
    return PasswordResetOut(status="sent", message=app().password_reset.request(body.email, client())).model_dump()


@api.post("/password-reset/confirm", security=[], responses={"200": LoginOut, **errors(404, 422, 503)})
def password_reset_confirm(body: NewPasswordIn):
    """Save a new password with the emailed link's token (once, within 60 minutes). Every session of the
    person ends; the answer is the password step's: code_required (with an attempt token) for a person
    with two-factor authentication, who still passes the second step; setup_required; or signed_in."""
    return progress_out(app().password_reset.reset(body.token, body.password, client()))
