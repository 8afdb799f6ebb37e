"""The JSON API's bodies: pydantic models that validate every request strictly (no coercion of
numbers to strings or strings to booleans, no unknown fields) and from which flask-openapi3
writes the OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, create_model

from sut.domain import methods
from sut.domain.people import MAX_ID
from sut.service_layer import settings_form


def _no_surrogates(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode (no lone surrogates).") from None
    return text


def _text(max_length: int, min_length: int = 0):
    return Annotated[StrictStr, Field(min_length=min_length, max_length=max_length), AfterValidator(_no_surrogates)]


Email = _text(320, 1)
Password = _text(1024, 1)
Code = _text(64)
Token = _text(200, 1)
MobileNumber = _text(40)
MethodId = Literal[tuple(m.value for m in methods.offer_order(methods.ALL))]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# requests
class LoginIn(Body):
    email: Email
    password: Password
    remembered_device: Token | None = Field(None, description=(
        "The device_token this client was given when its person ticked remember_device: the second step is then "
        "skipped for that person (and nobody else) until it expires or is forgotten."))


class AssertionIn(Body):
    assertion: _text(8192, 1) = Field(description="The identity provider's signed assertion: an ID token (a JWT signed "
                                                  "with the provider's key, EdDSA) naming the person, for this site, "
                                                  "carrying the nonce of the sign-in this client started.")
    sign_in_token: Token = Field(description="The sign_in_token this client was given by /login/sso/start: the "
                                             "assertion is accepted only with the one whose nonce it carries.")


class CodeIn(Body):
    code: Code
    remember_device: StrictBool = Field(False, description=(
        "Where remember_device_offered: remember this client, which is then given a device_token."))


class PasswordResetIn(Body):
    email: Email


class NewPasswordIn(Body):
    token: Token = Field(description="The last part of the link in the password reset email.")
    password: Password = Field(description="The new password, at least 12 characters.")


class EnrolmentIn(Body):
    method: MethodId
    password: Password | None = Field(None, description="Needed when signed in (also at a set-up a session was taken to); not right after the login's password step.")
    mobile_number: MobileNumber | None = Field(None, description="For SMS, in international form, e.g. +44 7700 900123.")


class EnrolmentTokenIn(Body):
    enrolment_token: Token


class EnrolmentConfirmIn(Body):
    enrolment_token: Token
    code: Code


class VerifyCurrentIn(Body):
    enrolment_token: Token
    code: Code


class DisableIn(Body):
    password: Password


class PasswordIn(Body):
    password: Password


class DisableConfirmIn(Body):
    disable_token: Token
    code: Code


# The settings' fields are settings_form's, in its order: named there once.
# A number of days is checked by the rules (0 to 90), which say so in the same words as on the page.
_IN = {"on_off": StrictBool, "days": StrictInt}
_OUT = {"on_off": bool, "days": int}
SettingsIn = create_model("SettingsIn", __base__=Body, __doc__="Only the settings to change; contradictory settings are refused whole.",
                          **{f.name: (_IN[f.kind] | None, None) for f in settings_form.FIELDS})


class PersonPath(BaseModel):
    person_id: int = Field(description="The id from /api/admin/people.")


class AuditQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: int | None = Field(None, ge=1, le=MAX_ID, description="Only this person's events.")
    limit: int = Field(100, ge=1, le=500, description="At most this many events, newest first.")


class PeopleQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["agent", "user"] | None = Field(None, description="Only agents, or only users.")
    state: Literal["on", "off", "locked", "pending"] | None = Field(
        None, description="Only those with two-factor on, with it off, whose second step is locked now, or whom "
                          "enforcement asks to set it up (pending).")


# responses
class ErrorOut(BaseModel):
    error: str = Field(description="A stable code, e.g. invalid_code, locked, not_signed_in, invalid_input.")
    message: str = Field(description="What happened and what to do, safe to show to the person.")
    details: list[dict] | None = Field(None, description="For invalid_input: which fields are wrong.")
    methods_offered: list[str] | None = Field(
        None, description="For setup_required: the methods to choose from; the same token then sets one up "
                          "(POST /two-factor/enrolment, no password), and nothing else.")


class LoginOut(BaseModel):
    status: Literal["signed_in", "code_required", "setup_required"]
    token: str = Field(description="A session token when signed_in, else the attempt token for the next step.")
    token_type: Literal["session", "attempt"]
    method: str | None = Field(None, description="code_required: the method whose code is needed.")
    destination: str | None = Field(None, description="code_required: where the code was sent, half hidden.")
    methods_offered: list[str] = Field(default_factory=list, description="setup_required: methods to choose from.")
    reason: str = Field("", description="setup_required: why set-up is needed now.")
    reminder: str = Field("", description="signed_in during an enforcement's grace period: by when to set up two-factor "
                                          "authentication (POST /two-factor/enrolment with the session token); until "
                                          "then it may be skipped.")
    remember_device_offered: bool = Field(False, description="code_required: the person may ask to remember this device.")
    device_token: str | None = Field(None, description=(
        "signed_in after remember_device: keep it and send it as remembered_device when logging in. Shown once; "
        "forgotten by a reset, a new factor or a new password."))
    device_token_expires_at: str | None = Field(None, description="When device_token stops working, ISO 8601 in UTC.")


class StatusOut(BaseModel):
    enabled: bool
    method: str | None
    enforced: bool
    allowed: bool
    methods_offered: list[str]
    mobile_number: str | None
    must_set_up: bool
    reminder: str = Field("", description="During an enforcement's grace period: by when to set up two-factor "
                                          "authentication; until then it may be skipped.")


class EnrolmentOut(BaseModel):
    status: Literal["started", "current_code_required"] = Field(
        description="current_code_required: changing the method; send a code of the current method to "
                    "/two-factor/enrolment/verify-current first.")
    enrolment_token: str
    method: str
    current_method: str | None = Field(None, description="current_code_required: the method whose code is needed.")
    provisioning_uri: str | None = Field(None, description="Authenticator only; shown once, during set-up.")
    key: str | None = Field(None, description="Authenticator only: the key to type in instead of scanning.")
    destination: str | None = Field(None, description="Email/SMS: where the code was sent.")


class EnrolmentConfirmOut(BaseModel):
    status: Literal["enabled", "signed_in"]
    token: str | None = Field(None, description="signed_in (a forced set-up completed the login): the session token.")
    token_type: Literal["session"] | None = None
    recovery_codes: list[str] = Field(default_factory=list, description=(
        "A first set-up: ten recovery codes, each usable once in place of a code. Shown this once: only their keyed "
        "hashes are kept. Empty when the method was changed (the saved set still works)."))


class RecoveryCodesStartOut(BaseModel):
    recovery_token: str
    method: str = Field(description="The current method, whose code confirms (one is sent for email and SMS).")
    destination: str | None = None


class RecoveryCodesConfirmIn(Body):
    recovery_token: Token
    code: Code


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str] = Field(description="The new set of ten, shown this once; the old set no longer works.")


class DisableOut(BaseModel):
    disable_token: str
    method: str
    destination: str | None


class StatusMessageOut(BaseModel):
    status: str


class SignInStartOut(BaseModel):
    sign_in_token: str = Field(description="Keep it, and send it with the provider's assertion to /login/sso.")
    nonce: str = Field(description="Send it to the identity provider (OpenID Connect's nonce): the assertion it "
                                   "signs must carry it.")
    expires_at: str = Field(description="When the sign-in token stops working (ISO 8601, UTC).")


class PasswordResetOut(BaseModel):
    status: Literal["sent"]
    message: str = Field(description="The same words whether or not an account uses the address.")


SettingsOut = create_model("SettingsOut", **{f.name: (_OUT[f.kind], ...) for f in settings_form.FIELDS})


class PersonOut(BaseModel):
    id: int
    name: str
    email: str
    role: Literal["agent", "user"]
    is_admin: bool
    two_factor_method: str | None
    locked: bool = Field(description="The second step is locked now.")
    locked_until_unlocked: bool = Field(description="Locked until an administrator unlocks it (100 wrong codes in a row).")
    last_second_factor_at: str | None = Field(description="The last sign-in whose second step passed, ISO 8601 in UTC; "
                                                          "null if never.")
    enforcement: Literal["not_enforced", "met", "grace", "pending"] = Field(
        description="Whether enforcement applies to the person's role and, if so, whether they have set up a method "
                    "(met), may still skip the set-up within their days to set up (grace), or must set one up at their "
                    "next sign-in (pending).")
    set_up_by: str | None = Field(description="grace: when their days to set up end, ISO 8601 in UTC; null until their "
                                              "first sign-in under enforcement starts them.")


class PeopleOut(BaseModel):
    people: list[PersonOut]


class AuditEventOut(BaseModel):
    at: str = Field(description="When, ISO 8601 in UTC.")
    person_id: int | None
    person_email: str | None
    event: str = Field(description="A stable name, e.g. wrong_code, code_replayed, refused_while_locked, signed_out.")
    label: str = Field(description="The event in words.")
    detail: str
    address: str = Field(description="The client's address.")
    user_agent: str


class AuditOut(BaseModel):
    events: list[AuditEventOut] = Field(description="Newest first.")


def errors(*statuses: int) -> dict:
    """The refusals an operation may answer, for its ``responses``."""
    return {str(s): ErrorOut for s in statuses}
