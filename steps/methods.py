"""The second-factor methods as the harness knows them: one entry per method, one home.

Everything the harness needs to know about a method is here: the app's key for it, the
words the features use for it, what it is called on screen, the security setting that
allows it, whether a set-up asks for a mobile number, and where the person reads its codes
(which of their abilities: the mailbox, the phone's texts, the authenticator app). The
steps, the actors, the drivers and the arrangement dispatch on an entry; none of them
compares method names.

Adding a method (recovery codes, say) on the harness side: one entry below, and, if the
person reads its codes somewhere new, one ability in ``steps/dsl/abilities.py``.
"""

from __future__ import annotations

import dataclasses
import re


@dataclasses.dataclass(frozen=True)
class SecondFactor:
    key: str  # the app's name for it, in the API and the use cases
    words: tuple[str, ...]  # how the features name it (lower case): "sms codes", "an authenticator app"
    code_words: tuple[str, ...]  # how they speak of one of its codes: "the code sent by sms"
    label: str  # its name on the set-up screen (the radio button)
    setting: str  # the security setting that allows it
    setting_label: str  # that setting's label on the administrator's page
    read_from: str  # the ability of the actor that shows its codes: "mailbox", "texts", "authenticator"
    needs_mobile: bool = False  # its set-up asks for a mobile number
    scanned: bool = False  # its set-up is a QR code (or a key) that the person's app takes in
    screen_words: tuple[str, ...] = ()  # words of a page that asks for its code ("your app")

    def __str__(self) -> str:
        return self.key


EMAIL = SecondFactor(
    key="email", words=("email", "email codes"), code_words=("the code sent by email",), label="Email",
    setting="email_allowed", setting_label="Allow email codes", read_from="mailbox")
SMS = SecondFactor(
    key="sms", words=("sms", "sms codes"), code_words=("the code sent by sms",), label="SMS",
    setting="sms_allowed", setting_label="Allow SMS codes", read_from="texts", needs_mobile=True,
    screen_words=("sms",))
AUTHENTICATOR = SecondFactor(
    key="authenticator",
    words=("authenticator app", "an authenticator app", "authenticator apps"),
    code_words=("the code from their authenticator app", "a code from their authenticator app"),
    label="Authenticator app", setting="authenticator_allowed", setting_label="Allow authenticator apps",
    read_from="authenticator", scanned=True, screen_words=("authenticator", "your app"))

# Not one's method and never a setting: a backup that stands in for any method's code.
RECOVERY_CODE = SecondFactor(
    key="recovery_code", words=("recovery codes",), code_words=("a recovery code", "one of their recovery codes"),
    label="Recovery code", setting="", setting_label="", read_from="recovery sheet")

METHODS: tuple[SecondFactor, ...] = (EMAIL, SMS, AUTHENTICATOR)
BACKUPS: tuple[SecondFactor, ...] = (RECOVERY_CODE,)
BY_KEY = {m.key: m for m in (*METHODS, *BACKUPS)}
_BY_WORDS = {words: m for m in (*METHODS, *BACKUPS) for words in (*m.words, *m.code_words)}
# A code page that names no method is the email's: it names the address ("We sent a code to j...@example.com").
UNNAMED_ON_SCREEN = EMAIL


def by_key(key: str) -> SecondFactor:
    if key not in BY_KEY:
        raise ValueError(f"Unknown method {key!r}; the harness knows {', '.join(BY_KEY)}")
    return BY_KEY[key]


def by_words(words: str) -> SecondFactor:
    """The method a feature names: "SMS", "an authenticator app", "the code sent by email"."""
    key = words.strip().lower()
    if key not in _BY_WORDS:
        raise ValueError(f"Unknown method wording {words!r}; known: {', '.join(sorted(_BY_WORDS))}")
    return _BY_WORDS[key]


def any_of(words: tuple[str, ...]) -> str:
    """A regular expression for any of these words, whatever their case, longest first."""
    return "(?i:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


NAMES = any_of(tuple(w for m in METHODS for w in m.words))  # "SMS", "an authenticator app", ...
CODES = any_of(tuple(w for m in (*METHODS, *BACKUPS) for w in m.code_words))  # "the code sent by SMS", "a recovery code"


def by_label(label: str) -> SecondFactor | None:
    return next((m for m in METHODS if m.label == label), None)


def named_on_screen(text: str) -> SecondFactor:
    """The method a code page speaks of, from its words."""
    text = text.lower()
    return next((m for m in METHODS if any(w in text for w in m.screen_words)), UNNAMED_ON_SCREEN)


def only(*allowed: SecondFactor) -> dict[str, bool]:
    """The settings change that allows these methods and no other."""
    return {m.setting: m in allowed for m in METHODS}
