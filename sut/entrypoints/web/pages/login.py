"""Logging in: the password step, the second step, a new code, logging out (or cancelling)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for, flash

from sut.domain.errors import AlreadySignedIn, NotFound, TwoFactorError
from sut.service_layer.common import NotSignedIn

from ..http_errors import client, status_for
from .flow import app, attempt_over, follow, method_in, refused, state
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
        progress = app().login.begin(email, password, client())
    except TwoFactorError as error:
        refused(error)
        return render_template("login.html", email=email), status_for(error)
    return follow(progress)


@pages.post("/login/sso")
def sso_submit():
    """Single sign-on: the identity provider's signed assertion, posted by the person's browser from
    the provider's page (as SAML's POST binding and OpenID Connect's form_post do). It carries no
    form token of this site; the provider's signature, this site as its audience, its short life
    and its single use stand in for one (sut.service_layer.sso)."""
    if session.get("token") or session.get("attempt"):
        app().login.sign_out(session.get("token") or session.get("attempt"), client())
        session.clear()
    try:
        progress = app().sso.sign_in(request.form.get("assertion", ""), client())
    except TwoFactorError as error:
        refused(error)
        return render_template("login.html", email=""), status_for(error)
    return follow(progress)


def _code_page(status: int = 200):
    return render_template("code.html", method=method_in("method"), destination=session.get("destination")), status


@pages.get("/login/code")
@attempt("code")
def code():
    return _code_page()


@pages.post("/login/code")
@attempt("code")
def code_submit():
    try:
        progress = app().login.submit_code(session["attempt"], request.form.get("code", ""), client())
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
