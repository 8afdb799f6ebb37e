"""Who reaches a page: decorators over the views, importable and testable alone."""

from __future__ import annotations

import functools

from flask import flash, g, redirect, render_template, session, url_for

from sut.domain.errors import SetupRequired
from sut.service_layer.common import METHOD_DISALLOWED, SESSION_EXPIRED, NotSignedIn

from .flow import state


def where_the_attempt_is():
    if session.get("stage") == "setup":
        return redirect(url_for("setup.choose"))
    return redirect(url_for("login.code"))


def signed_in(view):
    """A live session that may reach the product; ``g.identity`` is who holds it."""
    @functools.wraps(view)
    def guarded(*args, **kwargs):
        token = session.get("token")
        if not token:
            if session.get("attempt"):
                return where_the_attempt_is()
            flash("Log in to continue.", "error")
            return redirect(url_for("login.login"))
        try:
            g.identity = state().who.who(token)
            return view(*args, **kwargs)
        except NotSignedIn as error:
            return session_over(error)
        except SetupRequired as error:
            return to_forced_setup(token, error)
    return guarded


def admin_only(view):
    """Signed in, as an administrator."""
    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if not g.identity.is_admin:
            return render_template("error.html", title="Not allowed", message="Only an administrator can do this."), 403
        return view(*args, **kwargs)
    return signed_in(guarded)


def attempt(stage: str):
    """A login in progress, at this stage ("code" or "setup")."""
    def decorate(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if session.get("token"):
                return redirect(url_for("account.home"))
            if not session.get("attempt"):
                return redirect(url_for("login.login"))
            if session.get("stage") != stage:
                return where_the_attempt_is()
            return view(*args, **kwargs)
        return guarded
    return decorate


def session_over(error: NotSignedIn):
    session.clear()
    known = (SESSION_EXPIRED, METHOD_DISALLOWED)
    flash(error.message if error.message in known else "Your session has ended. Log in again.", "error")
    return redirect(url_for("login.login"))


def to_forced_setup(token: str, error: SetupRequired):
    """A session opened before set-up was required reaches the set-up, as a fresh login would."""
    session.clear()
    session.update(attempt=token, stage="setup", methods_offered=[m.value for m in error.methods_offered],
                   reason=error.message, setup_password=True)
    return redirect(url_for("setup.choose"))
