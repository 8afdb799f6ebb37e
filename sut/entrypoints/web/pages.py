"""The server-rendered pages, in the words of the HaloPSA guide.

The cookie (Flask's signed session, HttpOnly, SameSite=Lax) holds the use-case token:
``token`` once signed in, or ``attempt`` (with ``stage`` "code" or "setup") between the
password step and the end of the login. Every protected page resolves ``token`` through
the use cases on every request; an attempt alone reaches nothing protected.
"""

from __future__ import annotations

import functools

import segno
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for

from sut.domain.errors import AlreadySignedIn, NotFound, ReauthenticationRequired, SetupRequired, TwoFactorError
from sut.domain.methods import Method
from sut.domain.people import Role
from sut.service_layer.common import METHOD_DISALLOWED, SESSION_EXPIRED, NotSignedIn

from .errors import client, status_for

MAX_PERSON_ID = 2**63 - 1

SETTING_LABELS = [
    ("allow_for_agents", "Allow two-factor authentication for agents"),
    ("allow_for_users", "Allow two-factor authentication for users"),
    ("enforce_for_agents", "Enforce two-factor authentication for all agents"),
    ("enforce_for_users", "Enforce two-factor authentication for all users"),
    ("email_allowed", "Allow email codes"),
    ("sms_allowed", "Allow SMS codes"),
    ("authenticator_allowed", "Allow authenticator apps"),
    ("email_only_if_no_other", "Allow email only when no other method is available"),
]


def _state():
    return current_app.extensions["twofa"]


def _app():
    return _state().app


def _refused(error: TwoFactorError) -> None:
    flash(error.message, "error")


def qr_data_uri(uri: str) -> str:
    """The provisioning URI as a QR code PNG, big enough to scan from a screen or a screenshot."""
    return segno.make(uri, error="m", micro=False).png_data_uri(scale=6, border=4)


def _methods(values) -> list[Method]:
    return [Method(v) for v in values]


def make_pages_blueprint() -> Blueprint:
    pages = Blueprint("pages", __name__)  # templates and static files are the app's (this package's)

    # guards
    def _where_the_attempt_is():
        if session.get("stage") == "setup":
            return redirect(url_for("pages.setup"))
        return redirect(url_for("pages.code"))

    def signed_in(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            token = session.get("token")
            if not token:
                if session.get("attempt"):
                    return _where_the_attempt_is()
                flash("Log in to continue.", "error")
                return redirect(url_for("pages.login"))
            try:
                g.identity = _state().who.who(token)
                return view(*args, **kwargs)
            except NotSignedIn as error:
                return _session_over(error)
            except SetupRequired as error:
                return _to_forced_setup(token, error)
        return guarded

    def _session_over(error: NotSignedIn):
        session.clear()
        known = (SESSION_EXPIRED, METHOD_DISALLOWED)
        flash(error.message if error.message in known else "Your session has ended. Log in again.", "error")
        return redirect(url_for("pages.login"))

    def _to_forced_setup(token: str, error: SetupRequired):
        """A session opened before set-up was required reaches the set-up, as a fresh login would."""
        session.clear()
        session.update(attempt=token, stage="setup", methods_offered=[m.value for m in error.methods_offered],
                       reason=error.message, setup_password=True)
        return redirect(url_for("pages.setup"))

    def admin_only(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if not g.identity.is_admin:
                return render_template("error.html", title="Not allowed",
                                       message="Only an administrator can do this."), 403
            return view(*args, **kwargs)
        return signed_in(guarded)

    def attempt(stage: str):
        def decorate(view):
            @functools.wraps(view)
            def guarded(*args, **kwargs):
                if session.get("token"):
                    return redirect(url_for("pages.home"))
                if not session.get("attempt"):
                    return redirect(url_for("pages.login"))
                if session.get("stage") != stage:
                    return _where_the_attempt_is()
                return view(*args, **kwargs)
            return guarded
        return decorate

    def _attempt_over(error: TwoFactorError):
        """The attempt expired, was replaced or was ended: back to the password step."""
        session.clear()
        flash(error.message, "error")
        return redirect(url_for("pages.login"))

    def _follow(progress, *, confirmation: str | None = None):
        """Move the cookie to where the login now stands. A completed login gets a new cookie."""
        session.clear()
        if progress.status == "signed_in":
            session["token"] = progress.session_token
            if confirmation:
                flash(confirmation, "status")
            return redirect(url_for("pages.home"))
        session["attempt"] = progress.attempt_token
        if progress.status == "code_required":
            session.update(stage="code", method=progress.method.value, destination=progress.destination)
            return redirect(url_for("pages.code"))
        session.update(stage="setup", methods_offered=[m.value for m in progress.methods_offered], reason=progress.reason)
        return redirect(url_for("pages.setup"))

    # login
    @pages.get("/login")
    def login():
        if session.get("token"):
            try:
                _state().who.who(session["token"])
                return redirect(url_for("pages.home"))
            except NotSignedIn:
                session.clear()
        return render_template("login.html", email="")

    @pages.post("/login")
    def login_submit():
        email, password = request.form.get("email", ""), request.form.get("password", "")
        if session.get("token") or session.get("attempt"):
            _app().login.sign_out(session.get("token") or session.get("attempt"), client())
        try:
            progress = _app().login.begin(email, password, client())
        except TwoFactorError as error:
            _refused(error)
            return render_template("login.html", email=email), status_for(error)
        return _follow(progress)

    @pages.get("/login/code")
    @attempt("code")
    def code():
        return render_template("code.html", method=session.get("method"), destination=session.get("destination"))

    @pages.post("/login/code")
    @attempt("code")
    def code_submit():
        try:
            progress = _app().login.submit_code(session["attempt"], request.form.get("code", ""), client())
        except AlreadySignedIn:
            # A double click: the first submission signed in and set the cookie; this one
            # must not touch it (not even with a flashed message, which would rewrite the
            # cookie with the attempt it carried), so the browser lands home, signed in.
            return redirect(url_for("pages.home"))
        except NotFound as error:
            return _attempt_over(error)
        except TwoFactorError as error:
            _refused(error)
            return render_template("code.html", method=session.get("method"),
                                   destination=session.get("destination")), status_for(error)
        return _follow(progress)

    @pages.post("/login/resend")
    @attempt("code")
    def code_resend():
        try:
            progress = _app().login.resend_code(session["attempt"], client())
            session["destination"] = progress.destination
            flash(f"A new code was sent to {progress.destination}. Only the newest code works.", "status")
        except NotFound as error:
            return _attempt_over(error)
        except TwoFactorError as error:
            _refused(error)
        return redirect(url_for("pages.code"))

    # forced set-up right after the password step
    @pages.get("/login/setup")
    @attempt("setup")
    def setup():
        return render_template("enable.html", forced=True, reason=session.get("reason"),
                               methods=_methods(session.get("methods_offered", [])), ask_password=session.get("setup_password"),
                               mobile_number="", action=url_for("pages.setup_submit"))

    @pages.post("/login/setup")
    @attempt("setup")
    def setup_submit():
        try:
            started = _app().enrolment.start(session["attempt"], request.form.get("method", ""),
                                             password=request.form.get("password") or None,
                                             mobile_number=request.form.get("mobile_number") or None, client=client())
        except NotSignedIn as error:
            return _attempt_over(error)
        except TwoFactorError as error:
            _refused(error)
            return render_template("enable.html", forced=True, reason=session.get("reason"),
                                   methods=_methods(session.get("methods_offered", [])), ask_password=session.get("setup_password"),
                                   mobile_number=request.form.get("mobile_number", ""),
                                   action=url_for("pages.setup_submit")), status_for(error)
        _remember_enrolment(started)
        return redirect(url_for("pages.setup_confirm"))

    @pages.get("/login/setup/confirm")
    @attempt("setup")
    def setup_confirm():
        return _confirm_page(forced=True)

    @pages.post("/login/setup/confirm")
    @attempt("setup")
    def setup_confirm_submit():
        enrol = session.get("enrol")
        try:
            progress = _app().enrolment.confirm(session["attempt"], enrol, request.form.get("code", ""), client())
        except NotSignedIn as error:
            return _attempt_over(error)
        except TwoFactorError as error:
            _refused(error)
            return _confirm_page(forced=True, status=status_for(error))
        _state().pending.drop(enrol)
        return _follow(progress, confirmation="Two-factor authentication is on.")

    @pages.post("/login/setup/resend")
    @attempt("setup")
    def setup_resend():
        try:
            _app().enrolment.resend(session["attempt"], session.get("enrol"), client())
            flash(f"A new code was sent to {session.get('enrol_destination')}. Only the newest code works.", "status")
        except NotSignedIn as error:
            return _attempt_over(error)
        except TwoFactorError as error:
            _refused(error)
        return redirect(url_for("pages.setup_confirm"))

    @pages.post("/logout")
    def logout():
        # Logging out, or cancelling a sign-in at the code step or the forced set-up: either
        # way the token dies on the server, not only in this browser.
        token = session.get("token") or session.get("attempt")
        if token:
            _app().login.sign_out(token, client())
        session.clear()
        flash("You have logged out.", "status")
        return redirect(url_for("pages.login"))

    # after logging in
    @pages.get("/")
    @signed_in
    def home():
        if g.identity.role is Role.USER:
            return render_template("portal.html")
        return render_template("home.html")

    @pages.get("/account/security")
    @signed_in
    def security():
        return render_template("security.html")

    @pages.get("/account/two-factor")
    @signed_in
    def two_factor():
        status = _app().enrolment.status(session["token"])
        return render_template("two_factor.html", status=status)

    @pages.get("/account/two-factor/enable")
    @signed_in
    def enable():
        status = _app().enrolment.status(session["token"])
        if not status.allowed:
            flash("Two-factor authentication is not allowed for your account. Ask your administrator.", "error")
            return redirect(url_for("pages.two_factor"))
        return render_template("enable.html", forced=False, methods=list(status.methods_offered),
                               mobile_number=status.mobile_number or "", action=url_for("pages.enable_submit"))

    @pages.post("/account/two-factor/enable")
    @signed_in
    def enable_submit():
        try:
            started = _app().enrolment.start(session["token"], request.form.get("method", ""),
                                             password=request.form.get("password", ""),
                                             mobile_number=request.form.get("mobile_number") or None, client=client())
        except TwoFactorError as error:
            _refused(error)
            status = _app().enrolment.status(session["token"])
            return render_template("enable.html", forced=False, methods=list(status.methods_offered),
                                   mobile_number=request.form.get("mobile_number", ""),
                                   chosen=request.form.get("method", ""),
                                   action=url_for("pages.enable_submit")), status_for(error)
        _remember_enrolment(started)
        if started.current_code_required:
            session.update(current_method=started.current_method.value, current_destination=started.destination)
            return redirect(url_for("pages.verify_current"))
        return redirect(url_for("pages.enable_confirm"))

    # changing the method: a code of the current one first
    @pages.get("/account/two-factor/verify")
    @signed_in
    def verify_current():
        if not session.get("enrol") or not session.get("current_method"):
            return redirect(url_for("pages.two_factor"))
        return _verify_page()

    @pages.post("/account/two-factor/verify")
    @signed_in
    def verify_current_submit():
        try:
            started = _app().enrolment.verify_current(session["token"], session.get("enrol") or "",
                                                      request.form.get("code", ""), client())
        except NotFound as error:
            _forget_enrolment()
            _refused(error)
            return redirect(url_for("pages.two_factor"))
        except TwoFactorError as error:
            _refused(error)
            return _verify_page(status_for(error))
        for key in ("current_method", "current_destination"):
            session.pop(key, None)
        _remember_enrolment(started)
        return redirect(url_for("pages.enable_confirm"))

    @pages.post("/account/two-factor/verify/resend")
    @signed_in
    def verify_current_resend():
        try:
            _app().enrolment.resend(session["token"], session.get("enrol"), client())
            flash(f"A new code was sent to {session.get('current_destination')}. Only the newest code works.", "status")
        except TwoFactorError as error:
            _refused(error)
        return redirect(url_for("pages.verify_current"))

    def _verify_page(status: int = 200):
        return render_template("verify.html", method=session.get("current_method"),
                               destination=session.get("current_destination")), status

    @pages.get("/account/two-factor/confirm")
    @signed_in
    def enable_confirm():
        if not session.get("enrol") or session.get("current_method"):
            return redirect(url_for("pages.two_factor"))
        return _confirm_page(forced=False)

    @pages.post("/account/two-factor/confirm")
    @signed_in
    def enable_confirm_submit():
        enrol = session.get("enrol")
        try:
            _app().enrolment.confirm(session["token"], enrol, request.form.get("code", ""), client())
        except NotFound as error:
            _forget_enrolment()
            _refused(error)
            return redirect(url_for("pages.two_factor"))
        except TwoFactorError as error:
            _refused(error)
            return _confirm_page(forced=False, status=status_for(error))
        _forget_enrolment()
        flash("Two-factor authentication is on. From now on you log in with your password and a code.", "status")
        return redirect(url_for("pages.two_factor"))

    @pages.post("/account/two-factor/resend")
    @signed_in
    def enable_resend():
        try:
            _app().enrolment.resend(session["token"], session.get("enrol"), client())
            flash(f"A new code was sent to {session.get('enrol_destination')}. Only the newest code works.", "status")
        except TwoFactorError as error:
            _refused(error)
        return redirect(url_for("pages.enable_confirm"))

    @pages.get("/account/two-factor/turn-off")
    @signed_in
    def turn_off():
        return render_template("turn_off.html", step="password")

    @pages.post("/account/two-factor/turn-off")
    @signed_in
    def turn_off_submit():
        try:
            started = _app().enrolment.begin_disable(session["token"], request.form.get("password", ""), client())
        except TwoFactorError as error:
            _refused(error)
            return render_template("turn_off.html", step="password"), status_for(error)
        session.update(disable=started.token, disable_method=started.method.value, disable_destination=started.destination)
        return redirect(url_for("pages.turn_off_confirm"))

    @pages.get("/account/two-factor/turn-off/confirm")
    @signed_in
    def turn_off_confirm():
        if not session.get("disable"):
            return redirect(url_for("pages.turn_off"))
        return render_template("turn_off.html", step="code", method=session.get("disable_method"),
                               destination=session.get("disable_destination"))

    @pages.post("/account/two-factor/turn-off/confirm")
    @signed_in
    def turn_off_confirm_submit():
        try:
            _app().enrolment.confirm_disable(session["token"], session.get("disable") or "", request.form.get("code", ""), client())
        except NotFound as error:
            for key in ("disable", "disable_method", "disable_destination"):
                session.pop(key, None)
            _refused(error)
            return redirect(url_for("pages.turn_off"))
        except TwoFactorError as error:
            _refused(error)
            return render_template("turn_off.html", step="code", method=session.get("disable_method"),
                                   destination=session.get("disable_destination")), status_for(error)
        for key in ("disable", "disable_method", "disable_destination"):
            session.pop(key, None)
        flash("Two-factor authentication is off.", "status")
        return redirect(url_for("pages.two_factor"))

    # administration
    @pages.get("/configuration")
    @admin_only
    def configuration():
        return render_template("configuration.html")

    @pages.get("/configuration/advanced-settings")
    @admin_only
    def advanced_settings():
        settings = _app().admin.settings(session["token"])
        return render_template("advanced_settings.html", values=settings.as_dict(), labels=SETTING_LABELS)

    @pages.post("/configuration/advanced-settings")
    @admin_only
    def advanced_settings_submit():
        wanted = {name: name in request.form for name, _ in SETTING_LABELS}
        try:
            settings = _app().admin.change_settings(session["token"], client(), **wanted)
        except ReauthenticationRequired as error:
            return _password_again(error, url_for("pages.advanced_settings"))
        except TwoFactorError as error:
            flash(f"{error.message} Nothing was saved.", "error")
            return render_template("advanced_settings.html", values=wanted, labels=SETTING_LABELS), status_for(error)
        flash("Security settings saved.", "status")
        return render_template("advanced_settings.html", values=settings.as_dict(), labels=SETTING_LABELS)

    @pages.get("/configuration/people")
    @admin_only
    def people():
        return render_template("people.html", people=_app().admin.people(session["token"]))

    @pages.post("/configuration/people/<int:person_id>/reset-two-factor")
    @admin_only
    def reset_two_factor(person_id: int):
        return _on_person(person_id, lambda: _app().admin.reset_two_factor(session["token"], person_id, client()),
                          "Two-factor authentication was reset for {name}. Their sessions have ended.")

    @pages.post("/configuration/people/<int:person_id>/unlock")
    @admin_only
    def unlock(person_id: int):
        return _on_person(person_id, lambda: _app().admin.unlock(session["token"], person_id, client()),
                          "Two-factor sign-in was unlocked for {name}. Their method is unchanged.")

    def _on_person(person_id: int, action, done: str):
        try:
            if not 1 <= person_id <= MAX_PERSON_ID:
                raise NotFound("No such person.")
            person = action()
            flash(done.format(name=person.name), "status")
        except NotSignedIn as error:
            return _session_over(error)
        except ReauthenticationRequired as error:
            return _password_again(error, url_for("pages.people"))
        except TwoFactorError as error:
            _refused(error)
        return redirect(url_for("pages.people"))

    @pages.get("/configuration/audit")
    @admin_only
    def audit():
        person_id = request.args.get("person", type=int)
        if person_id is not None and not 1 <= person_id <= MAX_PERSON_ID:
            person_id = 0
        try:
            entries = _app().admin.audit_trail(session["token"], person_id)
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
            _app().admin.confirm_password(session["token"], request.form.get("password", ""), client())
        except TwoFactorError as error:
            _refused(error)
            return render_template("confirm_password.html", next=target), status_for(error)
        flash("Password confirmed. Make your change again.", "status")
        return redirect(target)

    def _password_again(error: ReauthenticationRequired, back_to: str):
        flash(error.message, "error")
        return redirect(url_for("pages.confirm_password", next=back_to))

    def _safe_next(target: str | None) -> str:
        # Only a path of this site: never an open redirect.
        allowed = {url_for("pages.advanced_settings"), url_for("pages.people")}
        return target if target in allowed else url_for("pages.configuration")

    # enrolment helpers
    def _remember_enrolment(started) -> None:
        for key in ("current_method", "current_destination"):
            session.pop(key, None)
        session.update(enrol=started.token, enrol_method=started.method.value, enrol_destination=started.destination)
        if started.provisioning_uri:
            _state().pending.put(started.token, started.provisioning_uri, started.key)

    def _forget_enrolment() -> None:
        _state().pending.drop(session.get("enrol"))
        for key in ("enrol", "enrol_method", "enrol_destination", "current_method", "current_destination"):
            session.pop(key, None)

    def _confirm_page(*, forced: bool, status: int = 200):
        method = session.get("enrol_method")
        if not session.get("enrol"):
            return redirect(url_for("pages.setup" if forced else "pages.two_factor"))
        pending = _state().pending.get(session.get("enrol")) if method == Method.AUTHENTICATOR.value else None
        return render_template(
            "confirm.html", forced=forced, method=method, destination=session.get("enrol_destination"),
            qr=qr_data_uri(pending.provisioning_uri) if pending else None, key=pending.key if pending else None,
            action=url_for("pages.setup_confirm_submit" if forced else "pages.enable_confirm_submit"),
            resend=url_for("pages.setup_resend" if forced else "pages.enable_resend"),
            restart=url_for("pages.setup" if forced else "pages.enable"),
        ), status

    @pages.app_context_processor
    def inject():
        return {"identity": g.get("identity"), "Method": Method, "demo_outbox": _state().demo is not None}

    return pages
