"""The ui driver: Playwright drives a real Chromium through the pages, as a person would.

Controls are found by their accessible names (labels, roles), never by CSS, so a control a
screen reader cannot name fails the scenario. What the person sees is read back from the
page: the heading says where they are, ``role=alert`` what was refused. The authenticator
app scans the QR code from a screenshot. One browser per run; each device of a scenario
takes a context (and its page) kept from an earlier scenario, emptied (``BrowserContexts``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import itertools
import os
import pathlib
import re
import shutil
import urllib.parse

from steps.methods import METHODS, by_key, by_label, named_on_screen

from .base import (CODE_REQUIRED, DONE, ENROLMENT_STARTED, REFUSED, SETUP_REQUIRED, SIGNED_IN, AuditLine, OverviewLine,
                   Outcome, SetupScreen, TwoFactorStatus, device_address, device_user_agent)

SETTING_LABELS = {
    "allow_for_agents": "Allow two-factor authentication for agents",
    "allow_for_users": "Allow two-factor authentication for users",
    "enforce_for_agents": "Enforce two-factor authentication for all agents",
    "enforce_for_users": "Enforce two-factor authentication for all users",
    **{m.setting: m.setting_label for m in METHODS},
    "email_only_if_no_other": "Allow email only when no other method is available",
    "remember_device": "Let people remember a device at the second step",
    "remember_device_for_admins": "Let administrators remember a device too",
    "sso_bypass_2fa": "People who sign in through single sign-on skip two-factor authentication",
    "enforcement_grace_days": "Days to set up two-factor authentication once enforced",
}
IDENTITY_PROVIDER = "http://idp.test.invalid"  # another site: its pages are played by the driver
REMEMBER = re.compile(r"^Remember this device for \d+ days$")
# The overview's filters and words as its page shows them.
OVERVIEW_ROLES = {None: "Agents and users", "agent": "Agents", "user": "Users"}
OVERVIEW_STATES = {None: "Any", "on": "Two-factor on", "off": "Two-factor off", "locked": "Locked",
                   "pending": "Enforcement pending"}
ENFORCEMENT_WORDS = {"Not enforced": "not_enforced", "Enforced, set up": "met", "Pending: at next sign-in": "pending"}
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]
TIMEOUT_MS = 10_000


_READ_SCREEN = """() => {
  const text = (nodes) => Array.from(nodes).map(n => n.innerText.trim()).filter(Boolean).join(" ");
  const h1 = document.querySelector("main h1");
  const status = document.querySelector("#two-factor-status");
  const visible = (n) => !!(n.offsetWidth || n.offsetHeight || n.getClientRects().length);
  return {
    heading: h1 ? h1.innerText.trim() : "",
    alert: text(document.querySelectorAll('[role="alert"]')),
    status: text(document.querySelectorAll('[role="status"]')),
    where: text(document.querySelectorAll("#where, #what")),
    two_factor: status ? status.innerText.trim() : "",
    buttons: Array.from(document.querySelectorAll("button, [role=button]")).filter(visible)
      .map(b => (b.getAttribute("aria-label") || b.innerText).trim()),
    radios: Array.from(document.querySelectorAll("input[type=radio]"))
      .map(r => r.labels.length ? r.labels[0].textContent.trim() : ""),
    checkboxes: Array.from(document.querySelectorAll("input[type=checkbox]"))
      .map(c => c.labels.length ? c.labels[0].textContent.trim() : ""),
    notes: Array.from(document.querySelectorAll('[role="note"]')).map(n => n.innerText.trim()),
  };
}"""


class BrowserMissing(RuntimeError):
    pass


# Chromium's headless shell (Debian: chromium-headless-shell) is what Playwright itself runs
# for headless tests: the browser without its windowing layers. Measured here (bench/ui_bench.py
# --browsers) it makes a context and page several times faster than the full browser.
HEADLESS_SHELLS = ("/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell")
FULL_BROWSERS = ("/usr/bin/chromium", "chromium", "chromium-browser")


def find_chromium() -> str | None:
    """TWOFA_CHROMIUM if set, else Debian's headless shell, else Debian's chromium; None means
    Playwright's own, if any."""
    chosen = os.environ.get("TWOFA_CHROMIUM")
    if chosen:
        if not (os.path.isfile(chosen) and os.access(chosen, os.X_OK)):
            raise BrowserMissing(f"TWOFA_CHROMIUM={chosen} is not an executable file.")
        return chosen
    for name in HEADLESS_SHELLS + FULL_BROWSERS:
        candidate = name if os.path.isabs(name) else shutil.which(name)
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


HOW_TO_GET_ONE = ("Install it with `make setup` (Debian: apt-get install chromium-headless-shell), point TWOFA_CHROMIUM at one, "
                  "or run without the browser: `twofa accept --driver domain --driver api`.")


# A browser that runs elsewhere: a Playwright browser server (`python -m playwright run-server
# --host H --port P --unsafe`) on another machine or in a container. Connecting costs about
# what launching does; CI runners without Chromium can share one.
BROWSER_WS = "TWOFA_BROWSER_WS"
CONNECT_TIMEOUT_MS = 15_000


def connect(playwright, url: str):
    """The browser of a Playwright browser server. The server launches it with the options this
    side sends (the header Playwright's connect reads): headless, our flags, and, where this
    machine has a Chromium of its own (TWOFA_CHROMIUM or Debian's), the same path on the server,
    since a server without Playwright's downloaded browsers needs one named (`--unsafe` allows it)."""
    import json

    if not re.match(r"^wss?://[^/\s]+", url):
        raise BrowserMissing(f"{BROWSER_WS}={url!r} is not a ws:// or wss:// address of a Playwright browser server.")
    options = {"headless": True, "args": CHROMIUM_FLAGS}
    try:
        executable = find_chromium()
    except BrowserMissing:
        executable = None
    if executable:
        options["executablePath"] = executable
    try:
        return playwright.chromium.connect(url, timeout=CONNECT_TIMEOUT_MS,
                                           headers={"x-playwright-launch-options": json.dumps(options)})
    except Exception as error:
        first = next((line.strip() for line in str(error).splitlines() if line.strip()), type(error).__name__)
        raise BrowserMissing(f"{BROWSER_WS}={url}: no Playwright browser server gave a browser there ({first}).") from None


def launch(playwright):
    url = os.environ.get(BROWSER_WS)
    if url:
        return connect(playwright, url.strip())
    try:
        executable = find_chromium()
    except BrowserMissing as error:
        raise BrowserMissing(f"The ui driver needs Chromium: {error}\n{HOW_TO_GET_ONE}") from None
    try:
        return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
    except Exception as error:
        raise BrowserMissing(
            "The ui driver needs Chromium and found none that starts "
            f"({'tried ' + executable if executable else 'no /usr/bin/chromium, no TWOFA_CHROMIUM'}): {str(error).splitlines()[0]}\n"
            + HOW_TO_GET_ONE
        ) from None


# What a context gives back keeps nothing a person left: storage cleared, and the page's
# document emptied (no control to click, as on a blank page), without a navigation's cost.
_EMPTY_PAGE = """() => {
  try { localStorage.clear(); sessionStorage.clear(); } catch (e) { /* a page without storage */ }
  document.documentElement.replaceChildren();
}"""


class BrowserContexts:
    """Browser contexts kept across scenarios, one per device slot of a scenario.

    A new context and page cost about 0.25 s (more than most steps), so a device takes one
    an earlier scenario gave back: same network address and user agent (they are fixed when a
    context is made, and a scenario's n-th device always has the n-th), cookies and storage
    cleared, its page emptied. A scenario that records a Playwright trace (steps/browser_trace.py)
    starts the context's tracing and stops it, keeping the trace if asked. When every scenario
    records one (``chunks``), tracing starts once per context and each scenario records a chunk
    of its own, which costs less than starting it each time; but Playwright's tracing keeps
    recording the network between chunks, so otherwise a context is traced only while a
    scenario asks. A context from a failed scenario is closed, never reused."""

    def __init__(self, browser, chunks: bool = False):
        self._browser = browser
        self._chunks = chunks
        self._idle: dict[tuple[str, str], list] = {}
        self._tracing: set[int] = set()  # the contexts (ids) whose tracing is started
        self._recording: set[int] = set()  # the contexts recording a scenario's chunk now
        self.made = self.reused = 0  # for the benchmarks

    def take(self, address: str, user_agent: str, make, trace: bool = False):
        """(context, page) for a device at ``address`` with ``user_agent``; ``make()`` makes a new
        context. ``trace``: the scenario records a Playwright trace in it."""
        idle = self._idle.get((address, user_agent))
        if idle:
            self.reused += 1
            context, page = idle.pop()
        else:
            self.made += 1
            context, page = make(), None
        if trace:
            self._record(context)
        return context, page if page is not None else context.new_page()

    def _record(self, context) -> None:
        if id(context) in self._tracing:
            context.tracing.start_chunk()
        else:  # starting the tracing starts its first chunk
            context.tracing.start(snapshots=True, screenshots=False, sources=False)
            self._tracing.add(id(context))
        self._recording.add(id(context))

    def _stop_recording(self, context, trace: pathlib.Path | None) -> None:
        """Stop the scenario's recording, if it records: kept at ``trace``, else dropped."""
        if id(context) not in self._recording:
            return
        self._recording.discard(id(context))
        if self._chunks:
            context.tracing.stop_chunk(path=str(trace) if trace else None)
        else:
            self._tracing.discard(id(context))
            context.tracing.stop(path=str(trace) if trace else None)

    def give_back(self, context, page, address: str, user_agent: str, trace: pathlib.Path | None = None) -> None:
        """Stop the scenario's trace chunk (kept at ``trace``, else dropped), then empty the context for the next."""
        try:
            self._stop_recording(context, trace)
            page.evaluate(_EMPTY_PAGE)
            context.clear_cookies()
        except Exception:  # a page that cannot be emptied is not reused
            self._forget(context)
            context.close()
            return
        self._idle.setdefault((address, user_agent), []).append((context, page))

    def throw_away(self, context, trace: pathlib.Path | None = None) -> None:
        """Close a context that is not to be reused (a failed scenario's), keeping its chunk at ``trace``."""
        try:
            self._stop_recording(context, trace)
        finally:
            self._forget(context)
            context.close()

    def _forget(self, context) -> None:
        self._tracing.discard(id(context))
        self._recording.discard(id(context))

    def close(self) -> None:
        for idle in self._idle.values():
            for context, _ in idle:
                self._forget(context)
                context.close()
        self._idle.clear()


class UiDevice:
    """One person's browser. After each navigation it reads the screen once (``self.screen``)
    and decides from that; it still clicks and types only through roles and labels."""

    def __init__(self, context, base_url: str, address: str = "", user_agent: str = "", driver=None, page=None):
        self.context = context
        self.address, self.user_agent, self._driver = address, user_agent, driver
        self.page = page if page is not None else context.new_page()
        self._base = base_url.rstrip("/")
        self.screen: dict = {"heading": "", "alert": "", "buttons": [], "radios": [], "checkboxes": []}
        self.touched = False  # the page changed since the last screenshot

    def __repr__(self):  # read in assertion messages and reports, instead of an address
        return f"<browser showing \u201c{self.screen.get('heading', '')}\u201d>"

    # plumbing
    def _go(self, path: str) -> dict:
        self.page.goto(self._base + path, wait_until="domcontentloaded")
        return self._read()

    def _submit(self, control) -> dict:
        """Click a control that submits a form, and wait for the page it leads to."""
        with self.page.expect_navigation(wait_until="domcontentloaded"):
            control.click()
        return self._read()

    def _read(self) -> dict:
        """What a person reads first: the heading, the alerts, the status lines, the buttons
        on offer. One round trip to the browser instead of one per question."""
        self.screen = self.page.evaluate(_READ_SCREEN)
        self.touched = True
        return self.screen

    def _button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def _has_button(self, name: str) -> bool:
        return name in self.screen["buttons"]

    @staticmethod
    def _where(screen: dict) -> str:
        """The method whose code the page asks for, from its words."""
        return named_on_screen(screen["where"]).key

    def _explanation(self) -> str:
        """Why the two-factor page offers no button for it: its lines besides the status line."""
        return " ".join(t.strip() for t in self.page.locator("main section p:not(#two-factor-status)").all_inner_texts())

    def _done_unless_refused(self) -> Outcome:
        alert = self.screen["alert"]
        return Outcome(REFUSED, message=alert) if alert else Outcome(DONE)

    def _offered(self) -> tuple[str, ...]:
        return tuple(m.key for name in self.screen["radios"] if (m := by_label(name)))

    def _seen(self) -> Outcome:
        """What the page shows after an action of the login flow."""
        screen = self.screen
        alert, heading = screen["alert"], screen["heading"]
        if heading in ("Home", "Portal"):
            return Outcome(SIGNED_IN)
        if heading == "Set up two-factor authentication soon":  # signed in, within a grace period
            return Outcome(SIGNED_IN, message=screen["status"])
        if alert:
            return Outcome(REFUSED, message=alert)
        if heading == "Enter the code":
            return Outcome(CODE_REQUIRED, method=self._where(screen),
                           remember_offered=any(REMEMBER.match(c) for c in screen["checkboxes"]))
        if heading == "Set up two-factor authentication":
            return Outcome(SETUP_REQUIRED, message=screen["status"], methods_offered=self._offered())
        return Outcome(REFUSED, message=f"Unexpected page: {heading!r}")

    # logging in
    def log_in(self, email, password):
        self._go("/login")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self._submit(self._button("Log in"))
        return self._seen()

    def start_sign_in_through_identity_provider(self):
        """The login page's link sends the browser to the identity provider, with the nonce in the
        address (OpenID Connect's authentication request). The test provider is no site: the browser
        fails to reach it (Playwright plays no page at the end of a redirect), and the driver reads
        the nonce from the address it tried; the provider's next page is played by the next step."""
        self._go("/login")
        link = self.page.get_by_role("link", name="Sign in with your identity provider", exact=True)
        with self.page.expect_event("requestfailed", predicate=lambda r: not r.url.startswith(self._base)) as tried:
            link.click()
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(tried.value.url).query)
        return query["nonce"][0]

    def sign_in_through_identity_provider(self, assertion):
        """A page of another site (the identity provider's, or anyone's) posts the assertion to this
        site, as OpenID Connect's form_post does: the browser shows that page, and the person presses
        its Continue; then this site's page that posts it on, with its cookie, and its Continue."""
        form = (f'<form method="post" action="{html.escape(self._base)}/login/sso">'
                f'<input type="hidden" name="assertion" value="{html.escape(assertion)}">'
                '<button type="submit">Continue</button></form>')
        with self._provider_pages(form):
            self.page.goto(IDENTITY_PROVIDER + "/signed-in", wait_until="domcontentloaded")
            self._submit(self._button("Continue"))
        if self.screen["heading"] == "Continue signing in":
            self._submit(self._button("Continue"))
        return self._seen()

    @contextlib.contextmanager
    def _provider_pages(self, form: str):
        """Pages of other sites are answered here (none is reachable): the provider's page, with
        ``form`` on it."""
        page = ('<!doctype html><title>Identity provider</title><main><h1>Signed in at your identity provider</h1>'
                f'{form}</main>')
        offsite = lambda url: not url.startswith(self._base)  # noqa: E731
        self.page.route(offsite, lambda route: route.fulfill(status=200, content_type="text/html", body=page))
        try:
            yield
        finally:
            self.page.unroute(offsite)

    def enter_code(self, code, remember_device=False):
        self.page.get_by_label("Code").fill(code)
        if remember_device:
            self.page.get_by_label(REMEMBER).check()
        self._submit(self._button("Verify"))
        return self._seen()

    def enter_code_twice(self, code):
        """A double click on Verify, as a browser sends it: two requests with the cookie the
        browser held (the sign-in in progress). The first's answer is kept (its cookie); the
        second's is what the browser then shows: its cookie, if it sets one, and its page.
        Playwright's own dblclick sends the form only once, so the second request is sent
        from a copy of the browser's state."""
        held = self.context.storage_state()
        csrf = self.page.locator('input[name="csrf_token"]').first.input_value()
        self.enter_code(code)
        second = self._driver.new_context(storage_state=held, address=self.address, user_agent=self.user_agent)
        try:
            response = second.request.post(self._base + "/login/code", form={"csrf_token": csrf, "code": code},
                                           max_redirects=0)
            for cookie in second.storage_state()["cookies"]:
                if cookie not in held["cookies"]:
                    self.context.add_cookies([cookie])
            if not any(c["name"] in {h["name"] for h in held["cookies"]} for c in second.storage_state()["cookies"]):
                self.context.clear_cookies()  # the second answer deleted the cookie
            location = response.headers.get("location", "/")
        finally:
            second.close()
        self._go(location.removeprefix(self._base))
        return self._seen()

    def cancel_sign_in(self):
        self._submit(self._button("Cancel"))
        return Outcome(DONE) if self.screen["heading"] == "Log in" else Outcome(REFUSED, message=f"Unexpected page: {self.screen['heading']!r}")

    def open_home(self):
        self._go("/")
        return self._seen()

    def skip_setup(self):
        self._submit(self._button("Skip for now"))
        return self._seen()

    def clone(self):
        """Another browser holding a copy of this one's cookie, on the page this one shows."""
        copy = self._driver.new_device(storage_state=self.context.storage_state())
        copy._go(self.page.url.removeprefix(self._base))
        return copy

    def ask_for_new_code(self):
        self._submit(self._button("Send a new code"))
        return self._seen()

    def sign_out(self):
        if self._has_button("Open your profile settings"):
            self.page.get_by_role("button", name=re.compile("profile", re.I)).click()
            self._submit(self._button("Log out"))
        else:
            self.context.clear_cookies()

    def can_reach_home(self):
        return self.open_home().state == SIGNED_IN

    # a forgotten password
    def ask_for_password_reset(self, email):
        """From the login page's "Forgot your password?" (a signed-in browser, which the login page
        sends home, opens the reset page by its address)."""
        if self._go("/login")["heading"] == "Log in":
            self._submit(self.page.get_by_role("link", name="Forgot your password?", exact=True))
        else:
            self._go("/password-reset")
        self.page.get_by_label("Email").fill(email)
        screen = self._submit(self._button("Send the link"))
        return Outcome(REFUSED, message=screen["alert"]) if screen["alert"] else Outcome(DONE, message=screen["status"])

    def reset_password(self, link, new_password):
        """The link from the email, opened in this browser; then the new password."""
        assert link.startswith(self._base + "/"), f"The link leads elsewhere than the app: {link}"
        screen = self._go(link.removeprefix(self._base))
        if screen["heading"] != "Choose a new password":
            return Outcome(REFUSED, message=screen["alert"] or f"Unexpected page: {screen['heading']!r}")
        self.page.get_by_label("New password").fill(new_password)
        self._submit(self._button("Save the new password"))
        return self._seen()

    def reset_link_made_of(self, held):
        """The token of the sign-in or the set-up in progress, read from this browser's own session
        cookie, which Flask signs but does not encrypt (anyone can read their own), put where a
        reset link has its token."""
        from itsdangerous import URLSafeSerializer

        cookie = next((c["value"] for c in self.context.cookies(self._base) if c["name"].endswith("twofa_session")), None)
        assert cookie, "This browser holds no session cookie."
        payload = cookie.rsplit(".", 2)[0]  # less the timestamp and the signature
        token = URLSafeSerializer("not needed to read").load_payload(payload.encode()).get(
            {"sign-in": "attempt", "set-up": "enrol"}[held])
        assert token, f"This browser holds no {held}."
        return f"{self._base}/password-reset/{token}"

    # one's own two-factor authentication
    def two_factor_status(self):
        text = self._go("/account/two-factor")["two_factor"]
        method = next((m.key for m in METHODS if f"with {m.label}" in text), None)
        offered: tuple[str, ...] = ()
        if self._has_button("Enable"):
            self._submit(self._button("Enable"))
            offered = self._offered()
        return TwoFactorStatus(" is on" in text, method, offered)

    def enable(self, method, password, mobile_number=None):
        if self.screen["heading"] != "Set up two-factor authentication":  # signed in: from the settings page
            screen = self._go("/account/two-factor")
            name = next((n for n in ("Enable", "Change method") if self._has_button(n)), None)
            if name is None:
                return SetupScreen(Outcome(REFUSED, message=screen["alert"] or self._explanation()))
            if alert := self._submit(self._button(name))["alert"]:
                return SetupScreen(Outcome(REFUSED, message=alert))
        label = by_key(method).label
        if label not in self.screen["radios"]:  # not offered: what does the page say about it?
            notes = [n for n in self.screen["notes"] if n.startswith(label)]
            return SetupScreen(Outcome(REFUSED, message=" ".join(notes) or f"{label} is not offered."))
        self.page.get_by_role("radio", name=label, exact=True).check()
        if mobile_number is not None:
            self.page.get_by_label("Mobile number").fill(mobile_number)
        if password is not None and self.page.get_by_label("Password").count():  # not asked right after the login
            self.page.get_by_label("Password").fill(password)
        self._submit(self._button("Continue"))
        return self._setup_screen(method)

    def prove_current_factor(self, code):
        self.page.get_by_label("Code").fill(code)
        self._submit(self._button("Continue"))
        return self._setup_screen(None)

    def _setup_screen(self, method) -> SetupScreen:
        screen = self.screen
        if screen["alert"]:
            return SetupScreen(Outcome(REFUSED, message=screen["alert"]))
        if screen["heading"] == "Confirm it is you":
            return SetupScreen(Outcome(CODE_REQUIRED, method=self._where(screen)))
        assert screen["heading"] == "Confirm two-factor authentication", f"Unexpected page: {screen['heading']!r}"
        method = method or self._where(screen)
        if not by_key(method).scanned:  # nothing to take in: the code comes by email or SMS
            return SetupScreen(Outcome(ENROLMENT_STARTED, method=method))
        qr = self.page.get_by_role("img", name="QR code for your authenticator app")
        return SetupScreen(Outcome(ENROLMENT_STARTED, method=method),
                           key=self.page.get_by_label("Key").inner_text().strip(),
                           qr_png=qr.screenshot())

    def ask_for_new_setup_code(self):
        screen = self._submit(self._button("Send a new code"))
        return Outcome(REFUSED, message=screen["alert"]) if screen["alert"] else self._setup_screen(None).outcome

    def confirm_setup(self, code):
        self.page.get_by_label("Code").fill(code)
        screen = self._submit(self._button("Confirm"))
        if screen["alert"]:
            return Outcome(REFUSED, message=screen["alert"])
        codes = self._saved_recovery_codes()
        screen = self.screen
        return Outcome(SIGNED_IN if screen["heading"] in ("Home", "Portal") else DONE, recovery_codes=codes)

    def _saved_recovery_codes(self) -> tuple[str, ...]:
        """A page of recovery codes, if shown: read as a person copies them, then "I have saved them"."""
        if self.screen["heading"] != "Save your recovery codes":
            return ()
        shown = self.page.get_by_role("list", name="Your recovery codes").get_by_role("listitem").all_inner_texts()
        self._submit(self._button("I have saved them"))
        return tuple(c.strip() for c in shown)

    def new_recovery_codes(self, password):
        self._go("/account/two-factor")
        if not self._has_button("New recovery codes"):
            return Outcome(REFUSED, message=self._explanation())
        self._submit(self._button("New recovery codes"))
        self.page.get_by_label("Password").fill(password)
        screen = self._submit(self._button("Continue"))
        if screen["alert"]:
            return Outcome(REFUSED, message=screen["alert"])
        return Outcome(CODE_REQUIRED, method=self._where(screen))

    def confirm_new_recovery_codes(self, code):
        self.page.get_by_label("Code").fill(code)
        screen = self._submit(self._button("Make new codes"))
        if screen["alert"]:
            return Outcome(REFUSED, message=screen["alert"])
        return Outcome(DONE, recovery_codes=self._saved_recovery_codes())

    def turn_off(self, password):
        self._go("/account/two-factor")
        if not self._has_button("Turn off"):
            return Outcome(REFUSED, message=self._explanation())
        self._submit(self._button("Turn off"))
        self.page.get_by_label("Password").fill(password)
        screen = self._submit(self._button("Continue"))
        if screen["alert"]:
            return Outcome(REFUSED, message=screen["alert"])
        return Outcome(CODE_REQUIRED, method=self._where(screen))

    def confirm_turn_off(self, code):
        self.page.get_by_label("Code").fill(code)
        self._submit(self._button("Turn off"))
        return self._done_unless_refused()

    # administration
    def security_settings(self):
        self._go("/configuration/advanced-settings")
        return {name: int(field.input_value()) if field.get_attribute("type") == "number" else field.is_checked()
                for name, label in SETTING_LABELS.items() for field in [self.page.get_by_label(label, exact=True)]}

    def change_security_settings(self, **changes):
        self._go("/configuration/advanced-settings")
        for name, value in changes.items():
            field = self.page.get_by_label(SETTING_LABELS[name], exact=True)
            field.set_checked(value) if isinstance(value, bool) else field.fill(str(value))
        self._submit(self._button("Save"))
        return self._done_unless_refused()

    def reset_two_factor(self, email):
        return self._on_person(email, r"^Reset two-factor for ")

    def unlock_second_step(self, email):
        return self._on_person(email, r"^Unlock two-factor sign-in for ")

    def _on_person(self, email, button):
        if alert := self._go("/configuration/people")["alert"]:
            return Outcome(REFUSED, message=alert)
        row = self.page.get_by_role("row").filter(has_text=email)
        control = row.get_by_role("button", name=re.compile(button))
        if not control.count():
            return Outcome(REFUSED, message=f"No button {button!r} in the row of {email}.")
        self._submit(control)
        return self._done_unless_refused()

    def confirm_password(self, password):
        if self.screen["heading"] != "Confirm your password":
            self._go("/configuration/confirm-password")
        self.page.get_by_label("Password").fill(password)
        self._submit(self._button("Confirm"))
        return self._done_unless_refused()

    def lock_state(self, email):
        return next(line.locked for line in self.overview() if line.email.lower() == email.lower())

    def overview(self, role=None, state=None):
        """The overview page, narrowed with its "Show" and "State" choices as a person would; each
        row read by the table's column headers."""
        self._go("/configuration/people")
        if role or state:
            self.page.get_by_label("Show", exact=True).select_option(label=OVERVIEW_ROLES[role])
            self.page.get_by_label("State", exact=True).select_option(label=OVERVIEW_STATES[state])
            self._submit(self._button("Filter"))
        table = self.page.get_by_role("table", name=re.compile("^Two-factor authentication of "))
        headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
        rows = table.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")
        lines = []
        for cells in rows:
            if len(cells) != len(headers):  # "Nobody matches this filter."
                continue
            row = dict(zip(headers, cells))
            method = by_label(row["Two-factor"])
            last, enforcement = row["Last second factor (UTC)"], row["Enforcement"]
            by = re.fullmatch(r"Pending: by (.+)", enforcement)
            lines.append(OverviewLine(
                row["Email"], "agent" if row["Role"].startswith("Agent") else "user", method.key if method else None,
                None if last == "Never" else _utc_minute(last), row["Locked"],
                "grace" if by or enforcement.endswith(" days from next sign-in") else ENFORCEMENT_WORDS.get(enforcement, enforcement),
                _utc_minute(by[1]) if by else None))
        return lines

    def audit_trail(self, email):
        self._go("/configuration/people")
        row = self.page.get_by_role("row").filter(has_text=email)
        self._submit(row.get_by_role("link", name=re.compile(r"^Audit trail of ")))
        rows = self.page.locator("main table tbody tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")
        return [AuditLine(cells[2], cells[4], cells[5]) for cells in rows if len(cells) == 6]

    # click paths (@ui-only scenarios)
    def click_profile_picture(self):
        self.page.get_by_role("button", name=re.compile("profile", re.I)).click()
        self.touched = True

    def click(self, name):
        control = self.page.get_by_role("link", name=name, exact=True).or_(self._button(name))
        self._submit(control.first)

    def sees(self, text, heading=False):
        if heading:
            return self.page.get_by_role("heading", name=text, exact=True).is_visible()
        return self.page.get_by_role("button", name=text, exact=True).or_(
            self.page.get_by_role("link", name=text, exact=True)).or_(self.page.get_by_text(text, exact=True)).first.is_visible()


def _utc_minute(shown: str) -> dt.datetime:
    """A moment as the overview shows it (UTC, to the minute)."""
    return dt.datetime.strptime(shown, "%Y-%m-%d %H:%M").replace(tzinfo=dt.timezone.utc)


class UiDriver:
    name = "ui"
    shows_pages = True  # a page may explain instead of refusing (spec/messages.toml's on_page)
    device_class = UiDevice  # another product's pages: a target's subclass names its own (targets/)

    @classmethod
    def for_scenario(cls, request, system) -> "UiDriver":
        from steps import browser_trace

        evidence = pathlib.Path(request.config.getoption("twofa_reports", None) or "reports") / "ui-failures"
        return cls(request.getfixturevalue("browser"), request.getfixturevalue("web_harness").serve(system), evidence,
                   contexts=request.getfixturevalue("browser_contexts"), trace=browser_trace.records(request.node),
                   rerun_for_trace=browser_trace.is_rerun(request.node))

    def __init__(self, browser, base_url: str, evidence_dir: pathlib.Path, contexts: BrowserContexts | None = None,
                 trace: bool = True, rerun_for_trace: bool = False):
        """``contexts``: where devices take their contexts from and give them back; None: a new one each.
        ``trace``: record a Playwright trace of each device (kept if the scenario fails).
        ``rerun_for_trace``: this is a failed scenario's rerun (steps/browser_trace.py): its traces
        are kept whatever it does, and it takes no screenshot (the first run's show the failure)."""
        self._browser = browser
        self._base_url = base_url
        self._evidence_dir = evidence_dir
        self._contexts = contexts
        self._trace = trace or rerun_for_trace
        self._rerun_for_trace = rerun_for_trace
        self._pooled: set[int] = set()  # ids of the devices whose context goes back to the pool
        self.devices: list[UiDevice] = []
        self._numbers = itertools.count(1)

    def new_context(self, storage_state=None, *, address: str, user_agent: str):
        # The harness's server believes one proxy; this browser's requests say where it is
        # as that proxy would (X-Forwarded-For), and it names itself by its user agent.
        context = self._browser.new_context(viewport={"width": 1000, "height": 720}, locale="en-GB",
                                            user_agent=user_agent, extra_http_headers={"X-Forwarded-For": address},
                                            storage_state=storage_state)
        context.set_default_timeout(TIMEOUT_MS)
        return context

    def new_device(self, storage_state=None):
        number = next(self._numbers)
        address, user_agent = device_address(number), device_user_agent("ui", number)
        if self._contexts is not None and not (storage_state or {}).get("origins"):  # cookies alone carry over
            context, page = self._contexts.take(address, user_agent, lambda: self.new_context(address=address, user_agent=user_agent),
                                                trace=self._trace)
            if storage_state and storage_state.get("cookies"):
                context.add_cookies(storage_state["cookies"])
            device = self.device_class(context, self._base_url, address, user_agent, self, page=page)
            self._pooled.add(id(device))
        else:
            context = self.new_context(storage_state, address=address, user_agent=user_agent)
            if self._trace:
                context.tracing.start(snapshots=True, screenshots=False, sources=False)
            device = self.device_class(context, self._base_url, address, user_agent, self)
        self.devices.append(device)
        return device

    def screenshots(self, only_touched: bool = True):
        """Screenshots of the devices whose page changed, for the report: one a step at most.
        (Skipping a screen that looks as the last one did saved 3 of 38 and made a serial and a
        parallel run's reports differ, so every changed screen is photographed.)"""
        shots = []
        for i, device in enumerate(self.devices):
            if device.touched or not only_touched:
                shots.append((i, device.page.screenshot(type="jpeg", quality=60)))
                device.touched = False
        return shots

    def close(self, failed: bool = False, name: str = "scenario") -> list[tuple[UiDevice, pathlib.Path]]:
        """Close every context; after a failure keep a screenshot of each device and its trace, if
        one was recorded (a rerun for the trace keeps only its traces, whatever it did).
        Returns each device with its trace file, for the reports to link."""
        screenshots = failed and not self._rerun_for_trace
        keep_traces = self._trace and (failed or self._rerun_for_trace)
        traces = []
        for i, device in enumerate(self.devices):
            trace = None
            if screenshots or keep_traces:
                folder = self._evidence_dir / name
                folder.mkdir(parents=True, exist_ok=True)
            if screenshots:
                try:
                    device.page.screenshot(path=str(folder / f"device-{i}.png"), full_page=True)
                except Exception:  # a crashed page has no screenshot; the trace, if any, still tells
                    pass
            if keep_traces:
                trace = folder / f"device-{i}-trace.zip"
                traces.append((device, trace))
            if id(device) in self._pooled and not failed:  # a failed scenario's browsers are not trusted again
                self._contexts.give_back(device.context, device.page, device.address, device.user_agent, trace=trace)
            elif id(device) in self._pooled:
                self._contexts.throw_away(device.context, trace)
            else:
                if self._trace:
                    device.context.tracing.stop(path=str(trace) if trace else None)
                device.context.close()
        self._pooled.clear()
        return traces
