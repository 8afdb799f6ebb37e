"""The ui driver of the Flask-Security target: a real Chromium through the product's own pages.

The product's default templates (Flask-Security 5.9) are plain forms. Controls are found by
their accessible names as a person using a screen reader would find them: "Email Address",
"Password", "Authentication Code", the buttons "Login", "Submit Code", "Submit", "Verify
Password", "Sign Out", the set-up radios by their labels. Where the product gives a screen
reader nothing to go by, the driver says so and uses the nearest thing, each one a finding
about the product (docs/targets.md, "Its pages"):

* errors carry no ``role="alert"``: they are read from the product's ``fs-error-msg`` lists
  (a field's errors under it, and flashed messages of the "error" category);
* the page heading does not say where a person is: the set-up page's heading is "Two-Factor
  authentication adds an extra layer of security to your account" whatever its step, so the
  driver reads the page's title and which forms it shows;
* the key for typing into an app is bare text next to the QR code, with no label: the driver
  finds it by its shape (groups of four base32 characters).

The browser, its contexts and the run's evidence (screenshots, traces) are the reference ui
driver's (``steps.drivers.ui.UiDriver``): only the pages differ.
"""

from __future__ import annotations

import re

from steps.drivers.base import (CODE_REQUIRED, DONE, ENROLMENT_STARTED, REFUSED, SETUP_REQUIRED, SIGNED_IN, Outcome,
                                SetupScreen, TwoFactorStatus)
from steps.drivers.ui import UiDriver
from targets.flask_security.devices import ProductHasNoSuchThing, WithoutAdministration

# The set-up page's radios, by the product's labels.
SETUP_LABELS = {
    "email": "Set up using email",
    "authenticator": "Set up using an authenticator app (e.g. google, lastpass, authy)",
    "sms": "Set up using SMS",
}
DISABLE_LABEL = "Disable two-factor authentication"

# What a person reads on a page, in one round trip: the title, the headings, the errors
# (the product's only marking of them is the class fs-error-msg; flashes carry a category
# class, and only "error" ones refuse), the info flashes, the radios offered, the text.
_READ_SCREEN = """() => {
  const texts = (nodes) => Array.from(nodes).map(n => n.innerText.trim()).filter(Boolean);
  const errors = Array.from(document.querySelectorAll("li.fs-error-msg"))
    .filter(li => !li.closest("ul.flashes") || li.classList.contains("error"));
  return {
    title: document.title.trim(),
    heading: (document.querySelector("h1") || {innerText: ""}).innerText.trim(),
    subheading: (document.querySelector("h3") || {innerText: ""}).innerText.trim(),
    errors: texts(errors),
    radios: Array.from(document.querySelectorAll("input[type=radio][name=setup]"))
      .map(r => r.labels.length ? r.labels[0].textContent.trim() : ""),
    forms: Array.from(document.forms).map(f => f.getAttribute("name") || ""),
    text: document.body ? document.body.innerText : "",
  };
}"""

_KEY = re.compile(r"\b((?:[A-Z2-7]{4}-){3,}[A-Z2-7]{1,4})\b")  # the key as the product groups it
_CURRENT_METHOD = re.compile(r"Currently setup two-factor method: (\S+)")


class ProductRefusedSignOut(AssertionError):
    """The product's "Sign Out" button did not sign the person out (a finding about its pages)."""


class FlaskSecurityUiDevice(WithoutAdministration):
    """One person's browser on the product's pages."""

    _chosen: tuple | None = None  # the set-up's choice, password and number, to choose again for a new code

    def __init__(self, context, base_url: str, address: str = "", user_agent: str = "", driver=None, page=None):
        self.context, self.address, self.user_agent = context, address, user_agent
        self._driver, self._world = driver, driver._world
        self.page = page if page is not None else context.new_page()  # a page kept from an earlier scenario
        self._base = base_url.rstrip("/")
        self.screen: dict = {"title": "", "heading": "", "errors": [], "radios": [], "forms": [], "text": ""}
        self.touched = False
        self._status = 200

    def __repr__(self):
        return f"<browser showing \u201c{self.screen.get('title', '')}\u201d>"

    # plumbing
    def _go(self, path: str) -> dict:
        response = self.page.goto(self._base + path, wait_until="domcontentloaded")
        self._status = response.status if response else 200
        return self._read()

    def _submit(self, control) -> dict:
        with self.page.expect_navigation(wait_until="domcontentloaded") as navigation:
            control.click()
        response = navigation.value
        self._status = response.status if response else 200
        return self._read()

    def _read(self) -> dict:
        self.screen = self.page.evaluate(_READ_SCREEN)
        self.touched = True
        return self.screen

    def _button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def _path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url).split("?")[0]

    def _refused(self) -> Outcome | None:
        errors = self.screen["errors"]
        return Outcome(REFUSED, message=" ".join(errors)) if errors else None

    def _methods(self) -> tuple[str, ...]:
        return tuple(key for key, label in SETUP_LABELS.items() if label in self.screen["radios"])

    def _seen(self) -> Outcome:
        """What the page shows after a step of signing in."""
        if refused := self._refused():
            return refused
        if self._path() == "/" and self._status == 200:
            return Outcome(SIGNED_IN)
        forms = self.screen["forms"]
        if "two_factor_verify_code_form" in forms and "two_factor_setup_form" not in forms:
            # "Please enter your authentication code generated via: email"
            return Outcome(CODE_REQUIRED, method=self.screen["subheading"].rsplit(":", 1)[-1].strip().lower() or None)
        if "two_factor_setup_form" in forms:
            return Outcome(SETUP_REQUIRED, methods_offered=self._methods())
        return Outcome(REFUSED, message=f"Unexpected page: {self.screen['title']!r}")

    def _fill_code(self, code: str) -> None:
        # On the set-up page the code's form follows the set-up form: the last box of that name.
        self.page.get_by_label("Authentication Code", exact=True).last.fill(code)

    def _reauthenticate_if_asked(self, password: str | None) -> bool:
        """Past its freshness the product sends a person to "Reauthenticate" first; True when
        the password was accepted (or not asked for)."""
        if self.screen["heading"] != "Reauthenticate":
            return True
        if password is None:
            return False
        self.page.get_by_label("Password", exact=True).fill(password)
        self._submit(self._button("Verify Password"))
        return self._refused() is None

    # logging in
    def log_in(self, email, password):
        self._go("/login")
        if self._path() != "/login":  # still signed in: the product sends them on; a person signs out first
            self.sign_out()
            self._go("/login")
        self.page.get_by_label("Email Address", exact=True).fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        self._submit(self._button("Login"))
        return self._seen()

    def enter_code(self, code):
        self._fill_code(code)
        self._submit(self._button("Submit Code").last)
        return self._seen()

    def enter_code_twice(self, code):
        """A double click on "Submit Code": two requests with the cookie the browser held. The
        first is the browser's; the second is sent from a copy of its state (Playwright's
        dblclick sends a form once), and its cookie, if any, is what the browser keeps."""
        held = self.context.storage_state()
        form = self.page.locator('form[name="two_factor_verify_code_form"]')
        action = form.get_attribute("action")
        csrf = form.locator('input[name="csrf_token"]').input_value()
        first = self.enter_code(code)
        second = self._driver.new_context(storage_state=held, address=self.address, user_agent=self.user_agent)
        try:
            response = second.request.post(self._base + action, form={"csrf_token": csrf, "code": code},
                                           max_redirects=0)
            for cookie in second.storage_state()["cookies"]:
                if cookie not in held["cookies"]:
                    self.context.add_cookies([cookie])
            location = response.headers.get("location")
        finally:
            second.close()
        if location:
            self._go(location.removeprefix(self._base))
            return self._seen()
        return first

    def ask_for_new_code(self):
        """The product's nearest to "send a new code": the rescue form's "Send code via email"."""
        self.page.get_by_label("Send code via email", exact=True).check()
        self._submit(self._button("Submit"))
        return self._refused() or Outcome(CODE_REQUIRED, method="email")

    def cancel_sign_in(self):
        raise ProductHasNoSuchThing("Flask-Security's code page offers no way to cancel the sign-in: its menu has "
                                    "only a 'Login' link, which keeps the sign-in in progress")

    def sign_out(self):
        """The menu's "Sign Out", on a page that shows the menu (the code page does not)."""
        self._go("/tf-setup")
        if not self._button("Sign Out").count():
            self.context.clear_cookies()  # not signed in: nothing to sign out of but the cookie
            return
        self._submit(self._button("Sign Out"))
        if self._status >= 400:  # the person is still signed in, looking at an error page
            raise ProductRefusedSignOut(
                f"Sign Out answered {self._status}: {self.page.locator('body').inner_text().strip()!r}")

    def can_reach_home(self):
        return self.open_home().state == SIGNED_IN

    def open_home(self):
        self._go("/")
        if self._path() == "/" and self._status == 200:
            return Outcome(SIGNED_IN)
        return self._refused() or Outcome(REFUSED, message=f"Taken to {self.screen['title']!r}")

    def clone(self):
        copy = self._driver.new_device(storage_state=self.context.storage_state())
        copy._go(self.page.url.removeprefix(self._base))
        return copy

    # one's own two-factor authentication
    def two_factor_status(self):
        self._go("/tf-setup")
        assert "two_factor_setup_form" in self.screen["forms"], f"No two-factor set-up page: {self.screen['title']!r}"
        current = _CURRENT_METHOD.search(self.screen["text"])
        method = current.group(1).lower() if current and current.group(1) != "none" else None
        return TwoFactorStatus(method is not None, method, self._methods())

    def _choose(self, label: str, password: str | None, mobile_number: str | None = None) -> Outcome | None:
        """Choose on the set-up page and submit, through "Reauthenticate" when asked; the
        refusal, if any."""
        if "two_factor_setup_form" not in self.screen["forms"]:
            self._go("/tf-setup")
            if not self._reauthenticate_if_asked(password):
                return self._refused() or Outcome(REFUSED, message="The product asked for the password again.")
            if self.screen["heading"] != "Reauthenticate" and "two_factor_setup_form" not in self.screen["forms"]:
                self._go("/tf-setup")
        if label not in self.screen["radios"]:
            return Outcome(REFUSED, message=f"{label} is not offered.")
        self.page.get_by_label(label, exact=True).check()
        if mobile_number is not None:
            self.page.get_by_label("Phone Number", exact=True).fill(mobile_number)
        self._submit(self._button("Submit").first)
        if self.screen["heading"] == "Reauthenticate":  # past freshness: the password, then the choice again
            if not self._reauthenticate_if_asked(password):
                return self._refused() or Outcome(REFUSED, message="The product asked for the password again.")
            return self._choose(label, password, mobile_number)
        return self._refused()

    def enable(self, method, password, mobile_number=None):
        self._chosen = (SETUP_LABELS[method], password, mobile_number)
        if refused := self._choose(SETUP_LABELS[method], password, mobile_number):
            return SetupScreen(refused)
        if method != "authenticator":
            return SetupScreen(Outcome(ENROLMENT_STARTED, method=method))
        qr = self.page.get_by_role("img", name="Two-Factor authentication code")
        key = _KEY.search(self.screen["text"])
        return SetupScreen(Outcome(ENROLMENT_STARTED, method=method),
                           key=key.group(1).replace("-", "") if key else None, qr_png=qr.screenshot())

    def ask_for_new_setup_code(self):
        """The product has no "send a new code" at set-up; a person whose code went astray chooses
        the same method again on the same page, which sends a new code."""
        assert self._chosen, "No set-up under way to ask a new code for: a scenario enables one first."
        return self._choose(*self._chosen) or Outcome(ENROLMENT_STARTED)

    def confirm_setup(self, code):
        self._fill_code(code)
        self._submit(self._button("Submit Code").last)
        if refused := self._refused():
            return refused
        return Outcome(SIGNED_IN) if self._path() == "/" and self._status == 200 else Outcome(DONE)

    def turn_off(self, password):
        return self._choose(DISABLE_LABEL, password) or Outcome(DONE)


class FlaskSecurityUiDriver(UiDriver):
    """The reference ui driver's browser and evidence, with the product's pages."""

    device_class = FlaskSecurityUiDevice

    @classmethod
    def for_scenario(cls, request, system) -> "FlaskSecurityUiDriver":
        driver = super().for_scenario(request, system)
        driver._world = system
        return driver
