"""The messages a person is shown, by id, from spec/messages.toml: written once, compared whole.

A Then step names the message it expects ("code-refused"); the person must have been shown
exactly that message, not a text that merely contains some of its words. A ``{name}`` in a
message is a part that varies (a number of seconds); it matches any text, and a step that
knows the value can say so (``assert_told(actor, "wait-before-new-code", seconds="30")``).

Where the browser shows a page that explains instead of refusing an action (the method is
not on offer, the button is not there), the message has an ``on_page`` form: that is the
text the ui driver reads, and only the ui driver (``Driver.shows_pages``) is held to it.

A notice (an email telling the person of a change to their account) has a ``subject`` too:
the person must have received it once, its subject and its whole body word for word
(``assert_notified``).
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

from steps.drivers.base import REFUSED

CATALOGUE = Path(__file__).resolve().parents[2] / "spec" / "messages.toml"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    with open(CATALOGUE, "rb") as f:
        data = tomllib.load(f)
    for key, entry in data.items():
        if not isinstance(entry, dict) or "text" not in entry:
            raise ValueError(f"{CATALOGUE.name}: [{key}] needs a text")
    return data


# The words of the product under test where they differ from the catalogue's (its target's
# ``messages``): the same message, meant the same way, in that product's words. One per run.
# A notice's words are a table like the catalogue's: {"subject": ..., "text": ...}.
_product_words: dict[str, str | dict[str, str]] = {}


def use_product_words(words: dict[str, str | dict[str, str]]) -> None:
    unknown = sorted(set(words) - set(catalogue()))
    if unknown:
        raise ValueError(f"The target words messages {CATALOGUE.name} does not have: {', '.join(unknown)}")
    _product_words.clear()
    _product_words.update(words)


def text(message_id: str, **values: str) -> str:
    """The message with its varying parts filled in."""
    return _entry(message_id)["text"].format(**values)


def _entry(message_id: str) -> dict[str, str]:
    messages = catalogue()
    if message_id not in messages:
        raise KeyError(f"No message {message_id!r} in {CATALOGUE.name}; known: {', '.join(messages)}")
    if message_id in _product_words:
        words = _product_words[message_id]
        return words if isinstance(words, dict) else {"text": words}
    return messages[message_id]


def _pattern(template: str, values: dict[str, str]) -> re.Pattern:
    parts, last = [], 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[last:m.start()]))
        name = m.group(1)
        parts.append(re.escape(values[name]) if name in values else f"(?P<{name}>.+?)")
        last = m.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts))


def form(message_id: str, shows_pages: bool) -> str:
    entry = _entry(message_id)
    return entry.get("on_page", entry["text"]) if shows_pages else entry["text"]


def is_message(shown: str, message_id: str, shows_pages: bool = False, **values: str) -> bool:
    """Whether ``shown`` is the whole message (the form the driver shows)."""
    return _pattern(form(message_id, shows_pages), values).fullmatch(shown.strip()) is not None


def assert_told(actor, message_id: str, **values: str) -> None:
    """The person's last action was refused with exactly this message."""
    outcome = actor.outcome
    shows_pages = actor.shows_pages
    expected = _filled(form(message_id, shows_pages), values)  # the numbers the feature stated, in place
    assert outcome is not None and outcome.state == REFUSED, f"{actor!r} expected to be told {expected!r}, saw: {outcome}"
    assert is_message(outcome.message, message_id, shows_pages, **values), \
        f"{actor!r} was told {outcome.message!r}, not {expected!r}"


def assert_told_words(actor, words: str) -> None:
    """The person was told exactly the words a feature quotes; a settings page adds that nothing was saved."""
    shown = (actor.outcome.message if actor.outcome else "").strip()
    accepted = {words.strip()}
    if actor.shows_pages:
        accepted.add(text("nothing-saved", reason=words.strip()))
    assert shown in accepted, f"{actor!r} was told {shown!r}, not {words!r}"


def assert_notified(actor, notice_id: str, **values: str) -> None:
    """The person's last action brought them this notice, once: an email whose subject and whole
    body are the catalogue's, word for word (``values`` fill its varying parts).

    Only the emails that arrived since the action began count (``Mailbox.since_mark``): one
    left over from the scenario's Given steps proves nothing of the action. Exactly one must
    be the notice; other emails (the codes the action sent) may arrive beside it.
    """
    entry = _entry(notice_id)
    if "subject" not in entry:
        raise KeyError(f"{CATALOGUE.name}: [{notice_id}] is no notice (it has no subject)")
    subject, body = (_pattern(entry[part].strip(), values) for part in ("subject", "text"))
    arrived = actor.mailbox.since_mark()
    same = [m for m in arrived if subject.fullmatch(m.subject.strip()) and body.fullmatch(_as_read(m.body))]
    expected = "\n".join(f"  {part}: {_filled(entry[part].strip(), values)!r}" for part in ("subject", "text"))
    seen = "\n".join(f"  subject: {m.subject!r}\n  text: {_as_read(m.body)!r}" for m in arrived) or "  nothing"
    assert len(same) == 1, (f"{actor!r} received {len(same)} emails, not one, with\n{expected}\n"
                            f"since their last action began; what arrived:\n{seen}")


def _as_read(body: str) -> str:
    """An email's body as its reader sees it: its lines, whatever ends them, without the blank around."""
    return "\n".join(body.strip().splitlines())


def _filled(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
