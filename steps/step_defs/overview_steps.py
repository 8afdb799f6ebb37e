"""The administrator's overview of two-factor authentication: who has it, with which method,
when a second factor last signed them in, who is locked, whom enforcement still waits for."""

import datetime as dt
import re

from steps.dsl.tasks import administering
from steps.methods import by_words

from ._grammar import name_of, then, when

WHOM = {"everyone": None, "agents": "agent", "users": "user"}
STATES = {"with two-factor authentication": "on", "without two-factor authentication": "off",
          "whose second step is locked": "locked", "whom enforcement still waits for": "pending"}
LOCKED = {"no": "No", "locked": "Locked", "locked until unlocked": "Locked until unlocked"}
ENFORCEMENT = {"not enforced": "not_enforced", "enforced, set up": "met", "pending: at next sign-in": "pending"}
_AGO = re.compile(r"(?P<n>\d+) (?P<unit>minute|hour)s? ago")
_WITHIN = re.compile(r"pending: within (?P<n>\d+) days")  # grace, started: by when
_FROM_NEXT = re.compile(r"pending: from their next sign-in")  # grace, not started yet


@when(r"the administrator looks at the overview of (?P<whom>everyone|agents|users)(?: (?P<state>" + "|".join(STATES) + "))?",
      target_fixture="overview")
def looks_at_overview(stage, whom, state):
    return administering.overview(stage.actor("administrator"), WHOM[whom], STATES.get(state))


@then(r"the overview shows:")
def overview_shows(stage, overview, scenario_clock, datatable):
    """Each named person's whole line, as the administrator reads it."""
    header, *rows = datatable
    for row in (dict(zip(header, r)) for r in rows):
        person = stage.actor(name_of(row["who"]))
        seen = next((line for line in overview if line.email.lower() == person.identity.email.lower()), None)
        assert seen is not None, f"{row['who']} is not in the overview: {overview}"
        expected = (row["role"], _method(row["two-factor"]), _moment(row["last second factor"], scenario_clock.now()),
                    LOCKED[row["locked"]], *_enforcement(row["enforcement"], scenario_clock.now()))
        shown = (seen.role, seen.method, seen.last_second_factor, seen.locked, seen.enforcement, seen.set_up_by)
        assert shown == expected, f"The overview shows {row['who']} as {shown}, expected {expected}."


@then(r"the overview lists (?:only (?P<listed>.+)|none of them)")
def overview_lists(stage, overview, listed):
    """Of the people of the scenario, exactly these are listed."""
    wanted = {name_of(who) for who in re.split(r", | and ", listed)} if listed else set()
    shown = {line.email.lower() for line in overview}
    listed_here = {name for name, actor in stage.actors.items() if actor.identity.email.lower() in shown}
    assert listed_here == wanted, f"The overview lists {sorted(listed_here) or 'none of them'}, expected {sorted(wanted)}."


def _enforcement(words: str, now: dt.datetime) -> tuple[str, dt.datetime | None]:
    """What enforcement asks, and by when for someone within their days to set up."""
    if within := _WITHIN.fullmatch(words):
        return "grace", (now + dt.timedelta(days=int(within["n"]))).replace(second=0, microsecond=0)
    if _FROM_NEXT.fullmatch(words):
        return "grace", None
    return ENFORCEMENT[words], None


def _method(words: str) -> str | None:
    return None if words == "off" else by_words(words).key


def _moment(words: str, now: dt.datetime) -> dt.datetime | None:
    """ "never", "just now", "3 hours ago": to the minute, as the overview shows it."""
    if words == "never":
        return None
    if words == "just now":
        ago = dt.timedelta(0)
    else:
        match = _AGO.fullmatch(words)
        assert match, f"Say when as 'never', 'just now' or 'N minutes/hours ago', not {words!r}."
        ago = dt.timedelta(**{match["unit"] + "s": int(match["n"])})
    return (now - ago).replace(second=0, microsecond=0)
