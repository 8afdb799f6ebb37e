"""The API of one's own two-factor authentication: its status, setting it up or changing it, turning it off."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag

from ..http_errors import client
from .common import BEARER, app, bearer, operation_id, value
from .schemas import (DisableConfirmIn, DisableIn, DisableOut, EnrolmentConfirmIn, EnrolmentConfirmOut, EnrolmentIn,
                      EnrolmentOut, EnrolmentTokenIn, RecoveryCodesConfirmIn, RecoveryCodesOut, RecoveryCodesStartOut, StatusMessageOut, StatusOut, VerifyCurrentIn, errors)

TAG = Tag(name="Two-factor", description="Password & Security > Two-Factor Authentication, for one's own account.")
api = APIBlueprint("account", __name__, abp_tags=[TAG], abp_security=BEARER, operation_id_callback=operation_id)


def started_out(started) -> dict:
    return EnrolmentOut(status="current_code_required" if started.current_code_required else "started",
                        enrolment_token=started.token, method=started.method.value,
                        current_method=value(started.current_method), provisioning_uri=started.provisioning_uri,
                        key=started.key, destination=started.destination).model_dump()


@api.get("/two-factor", responses={"200": StatusOut, **errors(401, 403)})
def two_factor_status():
    """Is two-factor on, with which method, is it enforced or allowed, which methods may be set up."""
    s = app().enrolment.status(bearer())
    return StatusOut(enabled=s.enabled, method=value(s.method), enforced=s.enforced, allowed=s.allowed,
                     methods_offered=[m.value for m in s.methods_offered], mobile_number=s.mobile_number,
                     must_set_up=s.must_set_up, reminder=s.reminder).model_dump()


@api.post("/two-factor/enrolment", responses={"200": EnrolmentOut, **errors(401, 403, 422, 429, 503)})
def enrolment_start(body: EnrolmentIn):
    """Enable, or change the method: choose a method (password needed when signed in). Authenticator: the URI and
    key to scan; email/SMS: a code is sent. Changing an existing method first needs a code of the current one
    (status current_code_required). Starting a set-up voids any earlier one."""
    started = app().enrolment.start(bearer(), body.method, password=body.password, mobile_number=body.mobile_number,
                                    client=client())
    return started_out(started)


@api.post("/two-factor/enrolment/verify-current", responses={"200": EnrolmentOut, **errors(401, 403, 404, 422, 429)})
def enrolment_verify_current(body: VerifyCurrentIn):
    """Changing the method: a code of the current method (a wrong one counts as a wrong code). Then the new method
    is shown as for a first set-up."""
    return started_out(app().enrolment.verify_current(bearer(), body.enrolment_token, body.code, client()))


@api.post("/two-factor/enrolment/resend", responses={"200": StatusMessageOut, **errors(400, 401, 403, 404, 422, 429)})
def enrolment_resend(body: EnrolmentTokenIn):
    """Send a new code (email/SMS): of the current method while it is being proved, else of the new one."""
    app().enrolment.resend(bearer(), body.enrolment_token, client())
    return {"status": "code_sent"}


@api.post("/two-factor/enrolment/confirm", responses={"200": EnrolmentConfirmOut, **errors(401, 403, 404, 422, 429)})
def enrolment_confirm(body: EnrolmentConfirmIn):
    """Confirm with the first code: two-factor is on, and the person's other sessions end. A forced set-up then
    completes the login (a new session token)."""
    progress = app().enrolment.confirm(bearer(), body.enrolment_token, body.code, client())
    codes = list(progress.recovery_codes)
    if progress.status == "signed_in":
        return EnrolmentConfirmOut(status="signed_in", token=progress.session_token, token_type="session",
                                   recovery_codes=codes).model_dump()
    return EnrolmentConfirmOut(status="enabled", recovery_codes=codes).model_dump()


@api.post("/two-factor/recovery-codes", responses={"200": RecoveryCodesStartOut, **errors(400, 401, 403, 422, 429)})
def recovery_codes_start(body: DisableIn):
    """New recovery codes, step one: the password (a code of the current method is sent for email/SMS)."""
    started = app().enrolment.begin_recovery_codes(bearer(), body.password, client())
    return RecoveryCodesStartOut(recovery_token=started.token, method=started.method.value,
                                 destination=started.destination).model_dump()


@api.post("/two-factor/recovery-codes/confirm", responses={"200": RecoveryCodesOut, **errors(401, 403, 404, 422, 429)})
def recovery_codes_confirm(body: RecoveryCodesConfirmIn):
    """New recovery codes, step two: a code of the current method. The old set stops working."""
    fresh = app().enrolment.confirm_recovery_codes(bearer(), body.recovery_token, body.code, client())
    return RecoveryCodesOut(recovery_codes=list(fresh)).model_dump()


@api.post("/two-factor/disable", responses={"200": DisableOut, **errors(400, 401, 403, 422, 429)})
def disable_start(body: DisableIn):
    """Turn off, step one: the password (a code is sent for email/SMS)."""
    started = app().enrolment.begin_disable(bearer(), body.password, client())
    return DisableOut(disable_token=started.token, method=started.method.value, destination=started.destination).model_dump()


@api.post("/two-factor/disable/confirm", responses={"200": StatusMessageOut, **errors(401, 403, 404, 422, 429)})
def disable_confirm(body: DisableConfirmIn):
    """Turn off, step two: the code."""
    app().enrolment.confirm_disable(bearer(), body.disable_token, body.code, client())
    return {"status": "disabled"}
