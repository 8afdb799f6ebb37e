"""Forgot password: asking for a link by email, and choosing a new password with it.

The link's token leaves the address bar at once: opening the link keeps it in the cookie and
moves to a page without it (as Django's reset view does), so that it reaches no Referer and no
history. Opening it uses nothing; saving the new password does, and then the login goes on from
the password step (``flow.follow``): a person with two-factor authentication enters a code next.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from sut.domain.errors import NotFound, TwoFactorError

from ..http_errors import client, status_for
from .flow import app, follow, refused

pages = Blueprint("password_reset", __name__)


@pages.get("/password-reset")
def ask():
    return render_template("password_reset.html", email="")


@pages.post("/password-reset")
def ask_submit():
    email = request.form.get("email", "")
    try:
        flash(app().password_reset.request(email, client()), "status")
    except TwoFactorError as error:
        refused(error)
        return render_template("password_reset.html", email=email), status_for(error)
    return redirect(url_for("password_reset.ask"))


@pages.get("/password-reset/<token>")
def open_link(token: str):
    try:
        app().password_reset.check(token)
    except NotFound as error:
        return _link_over(error)
    if session.get("token") or session.get("attempt"):  # whoever this browser held steps aside
        app().login.sign_out(session.get("token") or session.get("attempt"), client())
    session.clear()
    session["reset"] = token
    return redirect(url_for("password_reset.choose"))


@pages.get("/password-reset/new-password")
def choose():
    if not session.get("reset"):
        return redirect(url_for("password_reset.ask"))
    return render_template("new_password.html")


@pages.post("/password-reset/new-password")
def choose_submit():
    token = session.get("reset")
    if not token:
        return redirect(url_for("password_reset.ask"))
    try:
        progress = app().password_reset.reset(token, request.form.get("password", ""), client())
    except NotFound as error:
        session.clear()
        return _link_over(error)
    except TwoFactorError as error:  # a password too short, say: the link still works
        refused(error)
        return render_template("new_password.html"), status_for(error)
    response = follow(progress)
    flash("Your password was changed. You were signed out everywhere.", "status")
    return response


def _link_over(error: NotFound):
    refused(error)
    return render_template("password_reset.html", email=""), status_for(error)
