"""The api driver: the JSON API over real HTTP, as an integration partner would use it.

The app runs in a background thread of the test process (see targets/reference/web.py), so the
scenario's frozen clock is the app's clock. Each device is an HTTP client holding the
bearer token the API handed out, and nothing else. The harness's server believes one
proxy (as a deployment behind a reverse proxy does), so each device says where it is with
X-Forwarded-For, as that proxy would.
"""

from __future__ import annotations

import datetime as dt
import itertools

import httpx

from .base import (CODE_REQUIRED, DONE, ENROLMENT_STARTED, REFUSED, SETUP_REQUIRED, SIGNED_IN, AuditLine, OverviewLine,
                   Outcome, SetupScreen, TwoFactorStatus, device_address, device_user_agent)

_STATES = {"signed_in": SIGNED_IN, "code_required": CODE_REQUIRED, "setup_required": SETUP_REQUIRED}


class ApiError(AssertionError):
    """The API answered something no client should ever see (a 5xx, or a non-JSON body)."""


class ApiDevice:
    def __init__(self, base_url: str, number: int):
        self.address, self.user_agent = device_address(number), device_user_agent("api", number)
        self._base_url, self._number = base_url, number
        self._http = httpx.Client(base_url=base_url, timeout=10,
                                  headers={"X-Forwarded-For": self.address, "User-Agent": self.user_agent})
        self._token: str | None = None
        self._enrolment: str | None = None
        self._setup_step: Outcome | None = None  # where a set-up stands: the current code asked, or the new one's
        self._turn_off: str | None = None
        self._remembered: str | None = None  # a remembered device's token, as the API handed it out
        self._sso_started: str | None = None  # the sign_in_token of a single sign-on this client started
        self._retry_after: str | None = None  # the last answer's Retry-After

    def __repr__(self):  # read in assertion messages and reports, instead of an address
        return f"<HTTP client of {self._http.base_url}, {'holding a token' if self._token else 'no token'}>"

    # plumbing
    def _call(self, verb: str, path: str, body: dict | None = None, token: str | None = "current", params=None):
        token = self._token if token == "current" else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self._http.request(verb, "/api" + path, json=body, headers=headers, params=params)
        self._retry_after = response.headers.get("Retry-After")
        if response.status_code >= 500 or "json" not in response.headers.get("content-type", ""):
            raise ApiError(f"{verb} {path} answered {response.status_code}: {response.text[:300]}")
        return response.status_code, response.json()

    def _refused(self, body: dict) -> Outcome:
        """The refusal just answered (``_call`` keeps its Retry-After)."""
        if body.get("error") == "setup_required":
            return Outcome(SETUP_REQUIRED, message=body.get("message", ""), methods_offered=tuple(body.get("methods_offered") or ()))
        return Outcome(REFUSED, message=body.get("message", ""),
                       retry_after=int(self._retry_after) if self._retry_after is not None else None)

    def _progress(self, status: int, body: dict) -> Outcome:
        if status >= 400:
            return self._refused(body)
        if body.get("token"):
            self._token = body["token"]
        self._remembered = body.get("device_token") or self._remembered
        return Outcome(_STATES[body["status"]], message=body.get("reason") or body.get("reminder") or "", method=body.get("method"),
                       methods_offered=tuple(body.get("methods_offered") or ()),
                       remember_offered=bool(body.get("remember_device_offered")))

    # logging in
    def log_in(self, email, password):
        body = {"email": email, "password": password}
        if self._remembered:
            body["remembered_device"] = self._remembered
        return self._progress(*self._call("POST", "/login", body, token=None))

    def start_sign_in_through_identity_provider(self):
        status, body = self._call("POST", "/login/sso/start", token=None)
        assert status == 200, f"Single sign-on could not be started: {status} {body}"
        self._sso_started = body["sign_in_token"]
        return body["nonce"]

    def sign_in_through_identity_provider(self, assertion):
        # A client that started no sign-in sends a token of its own making: it matches no nonce.
        started, self._sso_started = self._sso_started or "none started", None
        return self._progress(*self._call("POST", "/login/sso", {"assertion": assertion, "sign_in_token": started},
                                          token=None))

    def enter_code(self, code, remember_device=False):
        body = {"code": code, "remember_device": True} if remember_device else {"code": code}
        return self._progress(*self._call("POST", "/login/code", body))

    def enter_code_twice(self, code):
        """Both requests carry the attempt token, as a double-clicking client's would."""
        attempt = self._token
        first = self.enter_code(code)
        status, body = self._call("POST", "/login/code", {"code": code}, token=attempt)
        if status == 409 and body.get("error") == "already_signed_in":
            return first
        return self._refused(body) if status >= 400 else first

    def ask_for_new_code(self):
        return self._progress(*self._call("POST", "/login/resend"))

    def cancel_sign_in(self):
        status, body = self._call("POST", "/logout")
        self._token = None
        return self._refused(body) if status >= 400 else Outcome(DONE)

    def sign_out(self):
        self._call("POST", "/logout")
        self._token = None

    def can_reach_home(self):
        return self.open_home().state == SIGNED_IN

    def open_home(self):
        status, body = self._call("GET", "/two-factor")
        return Outcome(SIGNED_IN) if status == 200 else self._refused(body)

    def skip_setup(self):
        return self.open_home()  # nothing to send: the session token is the person's already

    def clone(self):
        copy = ApiDevice(self._base_url, self._number + 100)
        copy._token, copy._enrolment, copy._turn_off = self._token, self._enrolment, self._turn_off
        copy._remembered = self._remembered
        return copy

    def close(self):
        self._http.close()

    # a forgotten password
    def ask_for_password_reset(self, email):
        status, body = self._call("POST", "/password-reset", {"email": email}, token=None)
        return self._refused(body) if status >= 400 else Outcome(DONE, message=body["message"])

    def reset_password(self, link, new_password):
        """An integration's own page takes the token from the link (its last part) and sends it with the password."""
        return self._progress(*self._call("POST", "/password-reset/confirm",
                                          {"token": link.rsplit("/", 1)[-1], "password": new_password}, token=None))

    def reset_link_made_of(self, held):
        """The attempt token /login answered, or the enrolment_token of a set-up, in place of a reset link's token."""
        token = {"sign-in": self._token, "set-up": self._enrolment}[held]
        assert token, f"This client holds no {held}."
        return f"{self._base_url.rstrip('/')}/password-reset/{token}"

    # one's own two-factor authentication
    def two_factor_status(self):
        status, body = self._call("GET", "/two-factor")
        assert status == 200, f"The two-factor status was refused: {body}"
        return TwoFactorStatus(body["enabled"], body.get("method"), tuple(body.get("methods_offered") or ()))

    def enable(self, method, password, mobile_number=None):
        request = {"method": method}
        if password is not None:
            request["password"] = password
        if mobile_number is not None:
            request["mobile_number"] = mobile_number
        return self._setup_screen(*self._call("POST", "/two-factor/enrolment", request))

    def prove_current_factor(self, code):
        return self._setup_screen(*self._call("POST", "/two-factor/enrolment/verify-current",
                                              {"enrolment_token": self._enrolment, "code": code}))

    def _setup_screen(self, status: int, body: dict) -> SetupScreen:
        if status >= 400:
            return SetupScreen(self._refused(body))
        self._enrolment = body["enrolment_token"]
        if body.get("status") == "current_code_required":
            self._setup_step = Outcome(CODE_REQUIRED, method=body["current_method"])
            return SetupScreen(self._setup_step)
        self._setup_step = Outcome(ENROLMENT_STARTED, method=body["method"])
        return SetupScreen(self._setup_step, key=body.get("key"), provisioning_uri=body.get("provisioning_uri"))

    def ask_for_new_setup_code(self):
        status, body = self._call("POST", "/two-factor/enrolment/resend", {"enrolment_token": self._enrolment})
        return self._refused(body) if status >= 400 else self._setup_step  # the same step, with a new code

    def confirm_setup(self, code):
        status, body = self._call("POST", "/two-factor/enrolment/confirm", {"enrolment_token": self._enrolment, "code": code})
        if status >= 400:
            return self._refused(body)
        codes = tuple(body.get("recovery_codes") or ())
        if body["status"] == "signed_in":
            self._token = body["token"]
            return Outcome(SIGNED_IN, recovery_codes=codes)
        return Outcome(DONE, recovery_codes=codes)

    def new_recovery_codes(self, password):
        status, body = self._call("POST", "/two-factor/recovery-codes", {"password": password})
        if status >= 400:
            return self._refused(body)
        self._recovery = body["recovery_token"]
        return Outcome(CODE_REQUIRED, method=body["method"])

    def confirm_new_recovery_codes(self, code):
        status, body = self._call("POST", "/two-factor/recovery-codes/confirm",
                                  {"recovery_token": self._recovery, "code": code})
        return self._refused(body) if status >= 400 else Outcome(DONE, recovery_codes=tuple(body["recovery_codes"]))

    def turn_off(self, password):
        status, body = self._call("POST", "/two-factor/disable", {"password": password})
        if status >= 400:
            return self._refused(body)
        self._turn_off = body["disable_token"]
        return Outcome(CODE_REQUIRED, method=body["method"])

    def confirm_turn_off(self, code):
        status, body = self._call("POST", "/two-factor/disable/confirm", {"disable_token": self._turn_off, "code": code})
        return self._refused(body) if status >= 400 else Outcome(DONE)

    # administration
    def security_settings(self):
        status, body = self._call("GET", "/admin/settings")
        assert status == 200, f"The security settings were refused: {body}"
        return body

    def change_security_settings(self, **changes):
        status, body = self._call("PATCH", "/admin/settings", changes)
        return self._refused(body) if status >= 400 else Outcome(DONE)

    def reset_two_factor(self, email):
        return self._on_person(email, "reset-two-factor")

    def unlock_second_step(self, email):
        return self._on_person(email, "unlock")

    def confirm_password(self, password):
        status, body = self._call("POST", "/admin/reauthenticate", {"password": password})
        return self._refused(body) if status >= 400 else Outcome(DONE)

    def lock_state(self, email):
        person = self._person(email)
        return "Locked until unlocked" if person["locked_until_unlocked"] else ("Locked" if person["locked"] else "No")

    def overview(self, role=None, state=None):
        filters = {name: value for name, value in (("role", role), ("state", state)) if value}
        status, body = self._call("GET", "/admin/people", params=filters)
        assert status == 200, f"The overview was refused: {body}"
        return [OverviewLine(p["email"], p["role"], p["two_factor_method"], _minute(p["last_second_factor_at"]),
                             "Locked until unlocked" if p["locked_until_unlocked"] else ("Locked" if p["locked"] else "No"),
                             p["enforcement"], _minute(p["set_up_by"])) for p in body["people"]]

    def audit_trail(self, email):
        status, body = self._call("GET", "/admin/audit", params={"person_id": self._person(email)["id"]})
        assert status == 200, f"The audit trail was refused: {body}"
        return [AuditLine(e["label"], e["address"], e["user_agent"]) for e in body["events"]]

    def _person(self, email):
        status, body = self._call("GET", "/admin/people")
        assert status == 200, f"The people were refused: {body}"
        return next(p for p in body["people"] if p["email"].lower() == email.lower())

    def _on_person(self, email, action):
        status, body = self._call("GET", "/admin/people")
        if status >= 400:
            return self._refused(body)
        person = next(p for p in body["people"] if p["email"].lower() == email.lower())
        status, body = self._call("POST", f"/admin/people/{person['id']}/{action}")
        return self._refused(body) if status >= 400 else Outcome(DONE)


def _minute(iso: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(iso).replace(second=0, microsecond=0) if iso else None


class ApiDriver:
    name = "api"
    shows_pages = False
    in_process = False  # over HTTP to the served app, whose mail goes over SMTP as deployed

    def __init__(self, base_url: str):
        self._base_url = base_url
        self._devices: list[ApiDevice] = []
        self._numbers = itertools.count(1)

    @classmethod
    def for_scenario(cls, request, system) -> "ApiDriver":
        return cls(request.getfixturevalue("web_harness").serve(system))

    def new_device(self):
        # A client per device: devices share nothing, as two people's laptops would not.
        device = ApiDevice(self._base_url, next(self._numbers))
        self._devices.append(device)
        return device

    def close(self, failed: bool = False, name: str = "scenario") -> list:
        for device in self._devices:
            device.close()
        return []
