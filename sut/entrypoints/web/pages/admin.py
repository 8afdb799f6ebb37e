"""Configuration: the security settings (Advanced Settings), the people (reset, unlock), the
audit trail, and the password again before an administrator's change."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from sut.domain.errors import InvalidInput, NotFound, ReauthenticationRequired, TwoFactorError
from sut.domain.people import MAX_ID
from sut.service_layer import settings_form
from sut.service_layer.common import NotSignedIn

from ..http_errors import client, status_for
from .flow import app, refused
from .guards import admin_only, session_over

pages = Blueprint("admin", __name__)


@pages.get("/configuration")
@admin_only
def configuration():
    return render_template("configuration.html")


def _settings_page(values: dict[str, bool | int | str], status: int = 200):
    return render_template("advanced_settings.html", values=values, fields=settings_form.FIELDS), status


@pages.get("/configuration/advanced-settings")
@admin_only
def advanced_settings():
    return _settings_page(app().admin.settings(session["token"]).as_dict())


@pages.post("/configuration/advanced-settings")
@admin_only
def advanced_settings_submit():
    # An unticked box is absent from a form, so every box is read; a number left out stays as it is.
    wanted = {f.name: _days(request.form[f.name]) if f.kind == "days" else f.name in request.form
              for f in settings_form.FIELDS if f.kind != "days" or f.name in request.form}
    try:
        settings = app().admin.change_settings(session["token"], client(), **wanted)
    except ReauthenticationRequired as error:
        return _password_again(error, url_for("admin.advanced_settings"))
    except TwoFactorError as error:
        flash(f"{error.message} Nothing was saved.", "error")
        return _settings_page({**app().admin.settings(session["token"]).as_dict(), **wanted}, status_for(error))
    flash("Security settings saved.", "status")
    return _settings_page(settings.as_dict())


def _days(typed: str) -> int | str:
    """A whole number as typed (spaces around it allowed); anything else as it was, for the rules to refuse."""
    typed = typed.strip()
    return int(typed) if typed.isascii() and typed.isdigit() else typed


@pages.get("/configuration/people")
@admin_only
def people():
    """The overview of two-factor authentication, narrowed by the form's "Show" and "State"."""
    role, state = request.args.get("role", ""), request.args.get("state", "")
    try:
        shown, status = app().admin.people(session["token"], role, state), 200
    except InvalidInput as error:  # a hand-made address: say so, and show everybody
        flash(f"{error.message} Everybody is shown.", "error")
        role, state = "", ""
        shown, status = app().admin.people(session["token"]), 422
    grace_days = app().admin.settings(session["token"]).enforcement_grace_days
    return render_template("people.html", people=shown, role=role, state=state, grace_days=grace_days), status


@pages.post("/configuration/people/<int:person_id>/reset-two-factor")
@admin_only
def reset_two_factor(person_id: int):
    return _on_person(person_id, lambda: app().admin.reset_two_factor(session["token"], person_id, client()),
                      "Two-factor authentication was reset for {name}. Their sessions have ended.")


@pages.post("/configuration/people/<int:person_id>/unlock")
@admin_only
def unlock(person_id: int):
    return _on_person(person_id, lambda: app().admin.unlock(session["token"], person_id, client()),
                      "Two-factor sign-in was unlocked for {name}. Their method is unchanged.")


def _on_person(person_id: int, action, done: str):
    try:
        if not 1 <= person_id <= MAX_ID:
            raise NotFound("No such person.")
        person = action()
        flash(done.format(name=person.name), "status")
    except NotSignedIn as error:
        return session_over(error)
    except ReauthenticationRequired as error:
        return _password_again(error, url_for("admin.people"))
    except TwoFactorError as error:
        refused(error)
    return redirect(url_for("admin.people"))


@pages.get("/configuration/audit")
@admin_only
def audit():
    person_id = request.args.get("person", type=int)
    if person_id is not None and not 1 <= person_id <= MAX_ID:
        person_id = 0
    try:
        entries = app().admin.audit_trail(session["token"], person_id)
    except NotFound as error:
        return render_template("error.html", title="Not found", message=error.message), 404
    return render_template("audit.html", entries=entries, person_id=person_id)


# the password again, before an administrator's change
@pages.get("/configuration/confirm-password")
@admin_only
def confirm_password():
    return render_template("confirm_password.html", next=_safe_next(request.args.get("next")))


@pages.post("/configuration/confirm-password")
@admin_only
def confirm_password_submit():
    target = _safe_next(request.form.get("next"))
    try:
        app().admin.confirm_password(session["token"], request.form.get("password", ""), client())
    except TwoFactorError as error:
        refused(error)
        return render_template("confirm_password.html", next=target), status_for(error)
    flash("Password confirmed. Make your change again.", "status")
    return redirect(target)


def _password_again(error: ReauthenticationRequired, back_to: str):
    flash(error.message, "error")
    return redirect(url_for("admin.confirm_password", next=back_to))


def _safe_next(target: str | None) -> str:
    # Only a path of this site: never an open redirect.
    allowed = {url_for("admin.advanced_settings"), url_for("admin.people")}
    return target if target in allowed else url_for("admin.configuration")
