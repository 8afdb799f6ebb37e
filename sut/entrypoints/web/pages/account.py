"""One's own account after logging in: the start page, Password & Security, and two-factor
authentication (enable, change the method with a code of the current one, turn off)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from sut.domain.errors import NotFound, TwoFactorError
from sut.domain.people import Role

from ..http_errors import client, status_for
from .flow import (app, confirm_page, forget_enrolment, method_in, recovery_codes_page, refused, remember_enrolment,
                   resent)
from .guards import signed_in

pages = Blueprint("account", __name__)
TURN_OFF_KEYS = ("disable", "disable_method", "disable_destination")


@pages.get("/")
@signed_in
def home():
    return render_template("portal.html" if g.identity.role is Role.USER else "home.html")


@pages.get("/account/security")
@signed_in
def security():
    return render_template("security.html")


@pages.get("/account/two-factor/reminder")
@signed_in
def setup_reminder():
    """Shown at each sign-in during an enforcement's grace period: by when, set up now, or skip."""
    status = app().enrolment.status(session["token"])
    if not status.reminder:
        return redirect(url_for("account.home"))
    return render_template("setup_reminder.html", status=status)


@pages.get("/account/two-factor")
@signed_in
def two_factor():
    return render_template("two_factor.html", status=app().enrolment.status(session["token"]))


def _choice_page(mobile_number: str, chosen: str = "", status: int = 200):
    offered = app().enrolment.status(session["token"]).methods_offered
    return render_template("enable.html", forced=False, methods=list(offered), mobile_number=mobile_number,
                           chosen=chosen, action=url_for("account.enable_submit")), status


@pages.get("/account/two-factor/enable")
@signed_in
def enable():
    status = app().enrolment.status(session["token"])
    if not status.allowed:
        flash("Two-factor authentication is not allowed for your account. Ask your administrator.", "error")
        return redirect(url_for("account.two_factor"))
    return _choice_page(status.mobile_number or "")


@pages.post("/account/two-factor/enable")
@signed_in
def enable_submit():
    try:
        started = app().enrolment.start(session["token"], request.form.get("method", ""),
                                        password=request.form.get("password", ""),
                                        mobile_number=request.form.get("mobile_number") or None, client=client())
    except TwoFactorError as error:
        refused(error)
        return _choice_page(request.form.get("mobile_number", ""), request.form.get("method", ""), status_for(error))
    remember_enrolment(started)
    if started.current_code_required:
        session.update(current_method=started.current_method.value, current_destination=started.destination)
        return redirect(url_for("account.verify_current"))
    return redirect(url_for("account.confirm"))


# changing the method: a code of the current one first
def _verify_page(status: int = 200):
    return render_template("verify.html", method=method_in("current_method"),
                           destination=session.get("current_destination")), status


@pages.get("/account/two-factor/verify")
@signed_in
def verify_current():
    if not session.get("enrol") or not session.get("current_method"):
        return redirect(url_for("account.two_factor"))
    return _verify_page()


@pages.post("/account/two-factor/verify")
@signed_in
def verify_current_submit():
    try:
        started = app().enrolment.verify_current(session["token"], session.get("enrol") or "",
                                                 request.form.get("code", ""), client())
    except NotFound as error:
        forget_enrolment()
        refused(error)
        return redirect(url_for("account.two_factor"))
    except TwoFactorError as error:
        refused(error)
        return _verify_page(status_for(error))
    remember_enrolment(started)
    return redirect(url_for("account.confirm"))


def _resend(destination_key: str, back_to: str):
    """A new code for the set-up under way: of the current method while it is proved, else of the new one."""
    try:
        app().enrolment.resend(session["token"], session.get("enrol"), client())
        resent(destination_key)
    except TwoFactorError as error:
        refused(error)
    return redirect(url_for(back_to))


@pages.post("/account/two-factor/verify/resend")
@signed_in
def verify_current_resend():
    return _resend("current_destination", "account.verify_current")


@pages.get("/account/two-factor/confirm")
@signed_in
def confirm():
    if not session.get("enrol") or session.get("current_method"):
        return redirect(url_for("account.two_factor"))
    return confirm_page(forced=False)


@pages.post("/account/two-factor/confirm")
@signed_in
def confirm_submit():
    try:
        progress = app().enrolment.confirm(session["token"], session.get("enrol"), request.form.get("code", ""), client())
    except NotFound as error:
        forget_enrolment()
        refused(error)
        return redirect(url_for("account.two_factor"))
    except TwoFactorError as error:
        refused(error)
        return confirm_page(forced=False, status=status_for(error))
    forget_enrolment()
    flash("Two-factor authentication is on. From now on you log in with your password and a code.", "status")
    if progress.recovery_codes:
        return recovery_codes_page(progress.recovery_codes, url_for("account.two_factor"))
    return redirect(url_for("account.two_factor"))


@pages.post("/account/two-factor/resend")
@signed_in
def resend():
    return _resend("enrol_destination", "account.confirm")


# turning it off: the password, then a code
def _turn_off_code_page(status: int = 200):
    return render_template("turn_off.html", step="code", method=method_in("disable_method"),
                           destination=session.get("disable_destination")), status


def _forget_turn_off() -> None:
    for key in TURN_OFF_KEYS:
        session.pop(key, None)


@pages.get("/account/two-factor/turn-off")
@signed_in
def turn_off():
    return render_template("turn_off.html", step="password")


@pages.post("/account/two-factor/turn-off")
@signed_in
def turn_off_submit():
    try:
        started = app().enrolment.begin_disable(session["token"], request.form.get("password", ""), client())
    except TwoFactorError as error:
        refused(error)
        return render_template("turn_off.html", step="password"), status_for(error)
    session.update(disable=started.token, disable_method=started.method.value, disable_destination=started.destination)
    return redirect(url_for("account.turn_off_confirm"))


@pages.get("/account/two-factor/turn-off/confirm")
@signed_in
def turn_off_confirm():
    if not session.get("disable"):
        return redirect(url_for("account.turn_off"))
    return _turn_off_code_page()


@pages.post("/account/two-factor/turn-off/confirm")
@signed_in
def turn_off_confirm_submit():
    try:
        app().enrolment.confirm_disable(session["token"], session.get("disable") or "", request.form.get("code", ""), client())
    except NotFound as error:
        _forget_turn_off()
        refused(error)
        return redirect(url_for("account.turn_off"))
    except TwoFactorError as error:
        refused(error)
        return _turn_off_code_page(status_for(error))
    _forget_turn_off()
    flash("Two-factor authentication is off.", "status")
    return redirect(url_for("account.two_factor"))


# new recovery codes: the password, then a code of the current method
RECOVERY_KEYS = ("recovery", "recovery_method", "recovery_destination")


def _recovery_code_page(status: int = 200):
    return render_template("recovery_codes.html", step="code", method=method_in("recovery_method"),
                           destination=session.get("recovery_destination")), status


@pages.get("/account/two-factor/recovery-codes")
@signed_in
def recovery_codes():
    return render_template("recovery_codes.html", step="password")


@pages.post("/account/two-factor/recovery-codes")
@signed_in
def recovery_codes_submit():
    try:
        started = app().enrolment.begin_recovery_codes(session["token"], request.form.get("password", ""), client())
    except TwoFactorError as error:
        refused(error)
        return render_template("recovery_codes.html", step="password"), status_for(error)
    session.update(recovery=started.token, recovery_method=started.method.value, recovery_destination=started.destination)
    return redirect(url_for("account.recovery_codes_confirm"))


@pages.get("/account/two-factor/recovery-codes/confirm")
@signed_in
def recovery_codes_confirm():
    if not session.get("recovery"):
        return redirect(url_for("account.recovery_codes"))
    return _recovery_code_page()


@pages.post("/account/two-factor/recovery-codes/confirm")
@signed_in
def recovery_codes_confirm_submit():
    try:
        fresh = app().enrolment.confirm_recovery_codes(session["token"], session.get("recovery") or "",
                                                       request.form.get("code", ""), client())
    except NotFound as error:
        for key in RECOVERY_KEYS:
            session.pop(key, None)
        refused(error)
        return redirect(url_for("account.recovery_codes"))
    except TwoFactorError as error:
        refused(error)
        return _recovery_code_page(status_for(error))
    for key in RECOVERY_KEYS:
        session.pop(key, None)
    flash("New recovery codes are ready. Your old ones no longer work.", "status")
    return recovery_codes_page(fresh, url_for("account.two_factor"))
