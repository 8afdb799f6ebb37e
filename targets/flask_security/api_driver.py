"""The api driver of the Flask-Security target: the product's own JSON API over real HTTP.

Each device is an HTTP client holding what a browser would: Flask's session cookie and the
CSRF token it read from a GET (sent as X-CSRF-Token, the product's recommended set-up). Each
call is the product's documented route (docs/targets.md, "The JSON API"); its answers become
the harness's ``Outcome``s. Where the product has no route for what a person does in the
features, the nearest thing it offers is used and said below; where it has nothing at all
(administration), the scenarios are not applicable (``target.LACKS``) and the call says so.
"""

from __future__ import annotations

import itertools

import httpx

from steps.drivers.base import (CODE_REQUIRED, DONE, ENROLMENT_STARTED, REFUSED, SETUP_REQUIRED, SIGNED_IN, Outcome,
                                SetupScreen, TwoFactorStatus, device_address, device_user_agent)
from targets.flask_security.app import METHODS
from targets.flask_security.devices import WithoutAdministration

_JSON = {"Accept": "application/json"}


class FlaskSecurityApiError(AssertionError):
    """The product answered something no client should see (a 5xx, or no JSON)."""


class FlaskSecurityDevice(WithoutAdministration):
    _chosen: tuple | None = None  # the set-up's choice and password, to choose again for a new code

    def __init__(self, base_url: str, number: int, world):
        self._world = world  # only for the operator's switch (change_security_settings)
        self.address, self.user_agent = device_address(number), device_user_agent("api", number)
        self._base_url, self._number = base_url, number
        self._http = httpx.Client(base_url=base_url, timeout=10, headers={"User-Agent": self.user_agent, **_JSON})
        self._csrf: str | None = None
        self._setup_token: str | None = None  # tf_state_token of a set-up in progress
        self._forced_setup = False  # the set-up the login demanded: its code goes to /tf-validate

    def __repr__(self):
        return f"<HTTP client of Flask-Security at {self._base_url}>"

    # plumbing
    def _answer(self, response: httpx.Response, verb: str, path: str) -> tuple[int, dict]:
        if response.status_code >= 500 or "json" not in response.headers.get("content-type", ""):
            raise FlaskSecurityApiError(f"{verb} {path} answered {response.status_code}: {response.text[:300]}")
        body = response.json().get("response", {})
        if body.get("csrf_token"):
            self._csrf = body["csrf_token"]
        return response.status_code, body

    def _get(self, path: str) -> tuple[int, dict]:
        return self._answer(self._http.get(path), "GET", path)

    def _post(self, path: str, body: dict | None = None) -> tuple[int, dict]:
        if self._csrf is None:
            self._get("/login")  # as a browser, which always has the form (and its token) first
        response = self._http.post(path, json=body or {}, headers={"X-CSRF-Token": self._csrf})
        if response.status_code == 400 and "CSRF" in response.text and "json" not in response.headers.get("content-type", ""):
            # The session that held the token ended (signing out, signing in anew): as a browser
            # does on its next page, the device reads the new token and sends the request again.
            self._get("/login")
            response = self._http.post(path, json=body or {}, headers={"X-CSRF-Token": self._csrf})
        return self._answer(response, "POST", path)

    @staticmethod
    def _refused(body: dict) -> Outcome:
        errors = list(body.get("errors") or [])
        for messages in (body.get("field_errors") or {}).values():
            errors += [m for m in messages if m not in errors]
        return Outcome(REFUSED, message=" ".join(errors))

    @staticmethod
    def _methods(names) -> tuple[str, ...]:
        return tuple(m for m in names or () if m in METHODS)

    # logging in
    def log_in(self, email, password):
        self._forced_setup = False
        status, body = self._post("/login", {"email": email, "password": password})
        if status >= 400:
            return self._refused(body)
        if body.get("tf_required") or body.get("tf_state"):
            if body.get("tf_state") == "setup_from_login":
                self._forced_setup = True
                return Outcome(SETUP_REQUIRED, methods_offered=self._methods(self._get("/tf-setup")[1].get("tf_available_methods")))
            return Outcome(CODE_REQUIRED, method=body.get("tf_method"))
        return Outcome(SIGNED_IN)

    def enter_code(self, code):
        status, body = self._post("/tf-validate", {"code": code})
        return self._refused(body) if status >= 400 else Outcome(SIGNED_IN)

    def enter_code_twice(self, code):
        """Both requests carry the cookie the device held when the code was typed (a double click)."""
        cookies = httpx.Cookies(self._http.cookies)
        first = self.enter_code(code)
        second = self._http.post("/tf-validate", json={"code": code}, headers={"X-CSRF-Token": self._csrf}, cookies=cookies)
        status, body = self._answer(second, "POST", "/tf-validate")
        return self._refused(body) if status >= 400 else first

    def ask_for_new_code(self):
        """The product has no "send a new code"; its nearest is the rescue's "send code by email"
        (on by default), which mails the person's current code."""
        status, body = self._post("/tf-rescue", {"help_setup": "email"})
        return self._refused(body) if status >= 400 else Outcome(CODE_REQUIRED, method="email")

    def cancel_sign_in(self):
        status, body = self._post("/logout")
        return self._refused(body) if status >= 400 else Outcome(DONE)

    def sign_out(self):
        self._post("/logout")

    def can_reach_home(self):
        return self.open_home().state == SIGNED_IN

    def open_home(self):
        status, body = self._get("/")
        return Outcome(SIGNED_IN) if status == 200 else self._refused(body)

    def clone(self):
        copy = FlaskSecurityDevice(self._base_url, self._number + 100, self._world)
        copy._http.cookies = httpx.Cookies(self._http.cookies)
        copy._csrf, copy._setup_token, copy._forced_setup = self._csrf, self._setup_token, self._forced_setup
        return copy

    def close(self):
        self._http.close()

    # one's own two-factor authentication
    def two_factor_status(self):
        status, body = self._get("/tf-setup")
        assert status == 200, f"The two-factor set-up page was refused: {body}"
        return TwoFactorStatus(body.get("tf_method") is not None, body.get("tf_method"),
                               self._methods(body.get("tf_available_methods")))

    def _setup(self, choice: dict, password: str | None) -> tuple[int, dict]:
        """A change to two-factor; past its freshness the product asks for the password (/verify)."""
        status, body = self._post("/tf-setup", choice)
        if status == 401 and body.get("reauth_required") and password is not None:
            verified, answer = self._post("/verify", {"password": password})
            if verified >= 400:
                return verified, answer
            status, body = self._post("/tf-setup", choice)
        return status, body

    def enable(self, method, password, mobile_number=None):
        choice = {"setup": method, **({"phone": mobile_number} if mobile_number else {})}
        self._chosen = (choice, password)
        status, body = self._setup(choice, password)
        if status >= 400:
            return SetupScreen(self._refused(body))
        self._setup_token = body.get("tf_state_token")
        # The key as an integration reads it: tf_authr_b32key (tf_authr_key groups it with dashes for people).
        return SetupScreen(Outcome(ENROLMENT_STARTED, method=method), key=body.get("tf_authr_b32key"),
                           provisioning_uri=body.get("tf_authr_uri"))

    def ask_for_new_setup_code(self):
        """The product has no "send a new code" at set-up; its nearest is choosing the same method
        again, which sends a new code (and gives a new state token)."""
        assert self._chosen, "No set-up under way to ask a new code for: a scenario enables one first."
        status, body = self._setup(*self._chosen)
        if status >= 400:
            return self._refused(body)
        self._setup_token = body.get("tf_state_token")
        return Outcome(ENROLMENT_STARTED)

    def confirm_setup(self, code):
        if self._forced_setup:
            status, body = self._post("/tf-validate", {"code": code})
            return self._refused(body) if status >= 400 else Outcome(SIGNED_IN)
        status, body = self._post(f"/tf-setup/{self._setup_token}", {"code": code})
        return self._refused(body) if status >= 400 else Outcome(DONE)

    def turn_off(self, password):
        """The product's "Disable two-factor authentication": no code asked, done at once."""
        status, body = self._setup({"setup": "disable"}, password)
        return self._refused(body) if status >= 400 else Outcome(DONE)


class FlaskSecurityApiDriver:
    name = "api"
    shows_pages = False

    def __init__(self, base_url: str, world):
        self._base_url, self._world = base_url, world
        self._devices: list[FlaskSecurityDevice] = []
        self._numbers = itertools.count(1)

    @classmethod
    def for_scenario(cls, request, system) -> "FlaskSecurityApiDriver":
        return cls(request.getfixturevalue("web_harness").serve(system), system)

    @property
    def devices(self):
        return self._devices

    def new_device(self):
        device = FlaskSecurityDevice(self._base_url, next(self._numbers), self._world)
        self._devices.append(device)
        return device

    def close(self, failed: bool = False, name: str = "scenario") -> list:
        for device in self._devices:
            device.close()
        return []
