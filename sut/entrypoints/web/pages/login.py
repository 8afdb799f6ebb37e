"""Logging in: the password step, the second step, a new code, logging out (or cancelling)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for, flash

from sut.domain.errors import AlreadySignedIn, NotFound, TwoFactorError
from sut.service_layer.common import NotSignedIn

from ..http_errors import client, status_for
from .flow import app, attempt_over, device_cookie, follow, method_in, refused, state
from .guards import attempt

pages = Blueprint("login", __name__)


@pages.get("/login")
def login():
    if session.get("token"):
        try:
            state().who.who(session["token"])
            return redirect(url_for("account.home"))
        except NotSignedIn:
            session.clear()
    return render_template("login.html", email="")


@pages.post("/login")
def login_submit():
    email, password = request.form.get("email", ""), request.form.get("password", "")
    if session.get("token") or session.get("attempt"):
        app().login.sign_out(session.get("token") or session.get("attempt"), client())
    try:
        progress = app().login.begin(email, password, client(), remembered_device=request.cookies.get(device_cookie()))
    except TwoFactorError as error:
        refused(error)
        return render_template("login.html", email=email), status_for(error)
    return follow(progress)


@pages.context_processor
def _single_sign_on():
    return {"sso_offered": app().deps.identity_provider is not None}


@pages.get("/login/sso/start")
def sso_start():
    """Single sign-on starts here (OpenID Connect's authentication request): this browser's session
    keeps the sign-in token, the provider is sent the nonce made from it, which it copies into the
    assertion it signs. A link, not a form: a page that starts one in someone's browser only
    replaces that browser's own start, and learns nothing."""
    try:
        started = app().sso.start()
    except TwoFactorError as error:
        refused(error)
        return redirect(url_for("login.login"))
    session["sso_started"] = started.token
    return redirect(app().deps.identity_provider.sign_in_url(started.nonce, url_for("login.sso_submit", _external=True)))


@pages.post("/login/sso")
def sso_submit():
    """The identity provider's signed assertion, posted by the person's browser from the provider's
    page (OpenID Connect's form_post, SAML's POST binding). That post comes from another site, so
    the browser does not send this site's session cookie with it (SameSite=Lax): this page, which
    touches no session, posts the assertion on from this site, with the cookie."""
    return render_template("sso_continue.html", assertion=request.form.get("assertion", "")[:8192])


@pages.post("/login/sso/continue")
def sso_continue():
    """The assertion, posted on from this site by the browser that holds the session. No form token
    of this site (the page that posts it must not touch the session): the assertion's nonce, which
    must match the sign-in token this session keeps (taken, so once), stands in for one, as do the
    provider's signature, this site as its audience, its short life and its single use."""
    started = session.pop("sso_started", None)
    if session.get("token") or session.get("attempt"):
        app().login.sign_out(session.get("token") or session.get("attempt"), client())
    session.clear()
    try:
        progress = app().sso.sign_in(request.form.get("assertion", ""), started, client())
    except TwoFactorError as error:
        refused(error)
        return render_template("login.html", email=""), status_for(error)
    return follow(progress)


def _code_page(status: int = 200):
    return render_template("code.html", method=method_in("method"), destination=session.get("destination"),
                           remember_days=app().deps.sessions.remember_device_for.days if session.get("remember_offered") else None), status


@pages.get("/login/code")
@attempt("code")
def code():
    return _code_page()


@pages.post("/login/code")
@attempt("code")
def code_submit():
    try:
        progress = app().login.submit_code(session["attempt"], request.form.get("code", ""), client(),
                                           remember_device=request.form.get("remember") == "on")
    except AlreadySignedIn:
        # A double click: the first submission signed in and set the cookie; this one
        # must not touch it (not even with a flashed message, which would rewrite the
        # cookie with the attempt it carried), so the browser lands home, signed in.
        return redirect(url_for("account.home"))
    except NotFound as error:
        return attempt_over(error)
    except TwoFactorError as error:
        refused(error)
        return _code_page(status_for(error))
    return follow(progress)


@pages.post("/login/resend")
@attempt("code")
def code_resend():
    try:
        progress = app().login.resend_code(session["attempt"], client())
        session["destination"] = progress.destination
        flash(f"A new code was sent to {progress.destination}. Only the newest code works.", "status")
    except NotFound as error:
        return attempt_over(error)
    except TwoFactorError as error:
        refused(error)
    return redirect(url_for("login.code"))


@pages.post("/logout")
def logout():
    # Logging out, or cancelling a sign-in at the code step or the forced set-up: either
    # way the token dies on the server, not only in this browser.
    token = session.get("token") or session.get("attempt")
    if token:
        app().login.sign_out(token, client())
    session.clear()
    flash("You have logged out.", "status")
    return redirect(url_for("login.login"))
