"""Study 3: the cost of a policy over a month in one tenant.

Agents log in on workdays (a first login in the morning, a few more later), users now and
then; each login goes through the app: the password, then the second step by the person's
method (a code by email or SMS read from what the app sent, or the authenticator's code).
The administrator switches enforcement on one morning; people without a method are then
forced into the set-up at their next login. Phones are lost at a yearly rate: each loss
is a support ticket and an administrator's reset. Every email and text counted is one the
app sent.

The closed form beside it is an expectation model, day by day: expected logins per group,
the share of each group with each method (set up before, or forced at the first login after
enforcement), and from them the codes sent; lost phones as a Poisson count over the
person-days with a phone-based method.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import heapq
import math
import random

from . import charts, stats
from . import reference_rules as rules
from .study import QUIET, Figure, StudyResult

DAY = dt.timedelta(days=1)
ENFORCEMENT_HOUR = 7.0
PHONE_METHODS = ("authenticator", "sms")


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means of logins per day."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


class MethodDeck:
    """Methods dealt in the mix's proportions from a shuffled deck of 100 (a stratified draw):
    the month's method counts follow the mix, and only who gets which is left to chance."""

    def __init__(self, rng: random.Random, mix: dict[str, float]):
        self.rng, self.cards = rng, []
        exact = {m: 100 * share for m, share in mix.items()}
        counts = {m: int(v) for m, v in exact.items()}
        for m in sorted(exact, key=lambda m: counts[m] - exact[m])[: 100 - sum(counts.values())]:
            counts[m] += 1  # the largest remainders take the cards left
        self.deck = [m for m, n in counts.items() for _ in range(n)]

    def deal(self) -> str:
        if not self.cards:
            self.cards = self.deck[:]
            self.rng.shuffle(self.cards)
        return self.cards.pop()


@dataclasses.dataclass(order=True)
class Event:
    at: dt.datetime
    order: int  # ties: enforcement first, then in the order drawn
    kind: str = dataclasses.field(compare=False)
    person: str | None = dataclasses.field(compare=False, default=None)


@dataclasses.dataclass
class Person:
    email: str
    group: str  # "agents" | "users"
    method: str | None = None


def _events(params: dict, people: list[Person], rng: random.Random) -> list[Event]:
    events, order = [], 0

    def add(at: dt.datetime, kind: str, person: str | None = None):
        nonlocal order
        order += 1
        events.append(Event(at, order, kind, person))

    start = rules.START
    add(start + params["enforcement_starts_day"] * DAY + dt.timedelta(hours=ENFORCEMENT_HOUR), "enforce")
    for day in range(params["days"]):
        midnight = start + day * DAY
        workday = midnight.weekday() < 5
        for person in people:
            if person.group == "agents" and workday and rng.random() < params["agent_login_chance_per_workday"]:
                first = min(12.0, max(ENFORCEMENT_HOUR + 0.25, rng.gauss(8.75, 0.75)))
                add(midnight + dt.timedelta(hours=first), "login", person.email)
                for _ in range(_poisson(rng, params["agent_extra_logins_per_workday"])):
                    add(midnight + dt.timedelta(hours=rng.uniform(first + 0.5, 18.0)), "login", person.email)
            if person.group == "users":
                for _ in range(_poisson(rng, params["user_logins_per_month"] / 30.0)):
                    add(midnight + dt.timedelta(hours=rng.uniform(8.0, 20.0)), "login", person.email)
            if rng.random() < params["lost_phones_per_person_year"] / 365.0:
                add(midnight + dt.timedelta(hours=rng.uniform(0.0, 24.0)), "lost_phone", person.email)
    heapq.heapify(events)
    return events


def _category(subject: str) -> str:
    if "sign-in code" in subject:
        return "sign-in codes"
    if "set-up code" in subject:
        return "set-up codes"
    if "is locked" in subject:
        return "lock notices"
    return "other notices"  # two-factor on, reset


class Tenant:
    def __init__(self, app: rules.ReferenceApp, params: dict, rng: random.Random):
        self.app, self.params, self.rng = app, params, rng
        self.decks = {group: MethodDeck(rng, params["method_mix"]) for group in ("agents", "users")}
        self.people: dict[str, Person] = {}
        self.daily = collections.defaultdict(collections.Counter)
        self.phone_person_days = 0.0
        self._seen_emails = 0
        self._seen_texts = 0

    def allowed(self, person: Person) -> bool:
        return person.group == "agents" or self.params["allow_for_users"]

    def day_of(self, moment: dt.datetime) -> int:
        return (moment - rules.START) // DAY

    def count_messages(self, day: int) -> None:
        emails = self.app.emails_sent()
        for _, subject in emails[self._seen_emails:]:
            self.daily[day]["email: " + _category(subject)] += 1
        self._seen_emails = len(emails)
        texts = self.app.texts_sent()
        self.daily[day]["texts"] += texts - self._seen_texts
        self._seen_texts = texts

    def right_code(self, person: Person) -> str:
        if person.method == "authenticator":
            return rules.Phone(self.app.secret_of(person.email), self.app.policy.digits).code(self.app.clock.now())
        destination = person.email if person.method == "email" else self.app.sms_number(person.email)
        return self.app.last_code(destination)

    def wrong_code(self, right: str) -> str:
        while True:
            code = f"{self.rng.randrange(10 ** 6):06d}"
            if code != right:
                return code

    def login(self, person: Person, day: int, retry) -> None:
        app = self.app
        status, token = app.begin_login(person.email)
        self.daily[day]["logins"] += 1
        if status == "signed_in":
            app.sign_out(token)
            return
        if status == "setup_required":
            person.method = self.decks[person.group].deal()
            app.sign_out(app.set_up(person.email, person.method, token=token))
            self.daily[day]["forced set-ups"] += 1
            return
        right = self.right_code(person)
        confused = self.rng.random() < self.params["confused_share"]
        while True:
            typo = confused or self.rng.random() < self.params["typo_rate"]
            outcome = app.submit_code(token, self.wrong_code(right) if typo else right)
            if outcome.kind == rules.SIGNED_IN:
                app.sign_out(outcome.session)
                return
            if outcome.kind in (rules.LOCKED, rules.HELD):
                self.daily[day]["wrong-code locks"] += 1
                if outcome.kind == rules.LOCKED:
                    retry(app.clock.now() + outcome.wait, person.email)  # tries again when the lock ends
                return
            if outcome.kind == rules.WRONG and not typo:  # this step's code was used a moment ago
                self.daily[day]["right code refused (used in this step)"] += 1
                retry(app.clock.now() + dt.timedelta(seconds=rules.STEP_SECONDS), person.email)
                app.sign_out(token)
                return

    def lose_phone(self, person: Person, day: int) -> None:
        if person.method in PHONE_METHODS:
            self.daily[day]["support tickets (lost phone)"] += 1
            self.app.reset_two_factor(person.email)
            person.method = None


def run(params: dict, seed: int, progress=QUIET) -> StudyResult:
    rng = random.Random(f"{seed}/cost")
    people = [Person(f"agent{n}@tenant.example", "agents") for n in range(params["agents"])]
    people += [Person(f"user{n}@customer.example", "users") for n in range(params["users"])]
    events = _events(params, people, random.Random(f"{seed}/cost/calendar"))
    advance = progress.task("cost: a month of logins", len(events) + len(people))
    with rules.seeded_randomness(rng), rules.ReferenceApp(start=rules.START - DAY) as app:
        tenant = Tenant(app, params, rng)
        app.make_admin(rules.ADMIN)
        if params["allow_for_users"]:
            app.change_settings(allow_for_users=True)
        set_up_before = set()
        for group in ("agents", "users"):  # the day before the month: who has set up already (exactly the share)
            allowed = [p.email for p in people if p.group == group and tenant.allowed(p)]
            set_up_before.update(rng.sample(allowed, round(params["share_set_up_before"] * len(allowed))))
        for person in people:
            app.register(person.email, "agent" if person.group == "agents" else "user")
            tenant.people[person.email] = person
            if person.email in set_up_before:
                person.method = tenant.decks[person.group].deal()
                app.sign_out(app.set_up(person.email, person.method) or "")
            advance(1)
        tenant.count_messages(-1)
        last = app.clock.now()

        def retry(at: dt.datetime, email: str) -> None:
            heapq.heappush(events, Event(at, -1, "login", email))

        while events:
            event = heapq.heappop(events)
            tenant.phone_person_days += (event.at - last) / DAY * sum(p.method in PHONE_METHODS for p in people)
            last = event.at
            app.clock.move_to(event.at)
            day = tenant.day_of(event.at)
            if event.kind == "enforce":
                changes = {k: True for k in ("enforce_for_agents", "enforce_for_users") if params[k]}
                if changes:
                    app.change_settings(**changes)
            elif event.kind == "login":
                tenant.login(tenant.people[event.person], day, retry)
            else:
                tenant.lose_phone(tenant.people[event.person], day)
            tenant.count_messages(day)
            if event.order >= 0:
                advance(1)
        end = rules.START + params["days"] * DAY
        tenant.phone_person_days += max(0.0, (end - last) / DAY) * sum(p.method in PHONE_METHODS for p in people)
        speed = app.speed()
    expected = closed_form(params)
    return _result(params, seed, tenant, expected, speed)


def closed_form(params: dict) -> dict:
    """The expectation, day by day, of logins, forced set-ups and codes sent (lost-phone resets left out)."""
    f0, mix, days, start_day = params["share_set_up_before"], params["method_mix"], params["days"], params["enforcement_starts_day"]
    groups = {"agents": params["agents"], "users": params["users"]}
    allowed = {"agents": True, "users": params["allow_for_users"]}
    enforced = {"agents": params["enforce_for_agents"], "users": params["enforce_for_users"]}
    per_login_confusion = 1 + params["confused_share"]  # a confused login is tried again after its lock
    rows = []
    not_forced_yet = {g: 1.0 for g in groups}
    for day in range(days):
        weekday = (rules.START + day * DAY).weekday() < 5
        row = collections.Counter()
        for group, n in groups.items():
            if group == "agents":
                logins = n * params["agent_login_chance_per_workday"] * (1 + params["agent_extra_logins_per_workday"]) if weekday else 0.0
                no_login_today = 1 - params["agent_login_chance_per_workday"] if weekday else 1.0
            else:
                rate = params["user_logins_per_month"] / 30.0
                logins, no_login_today = n * rate, math.exp(-rate)
            enrolled = f0 if allowed[group] else 0.0
            forced_today = 0.0
            if allowed[group] and enforced[group] and day >= start_day:
                enrolled = 1 - (1 - f0) * not_forced_yet[group]
                forced_today = n * (1 - f0) * not_forced_yet[group] * (1 - no_login_today)
                not_forced_yet[group] *= no_login_today
            # Logins by people with a method today (those forced today set up instead of a code).
            with_method = max(0.0, logins * enrolled)
            row["logins"] += logins
            row["forced set-ups"] += forced_today
            row["texts"] += with_method * mix["sms"] * per_login_confusion + forced_today * mix["sms"]
            row["email: sign-in codes"] += with_method * mix["email"] * per_login_confusion
            row["email: set-up codes"] += forced_today * mix["email"]
            row["wrong-code locks"] += with_method * (params["confused_share"] + params["typo_rate"] ** 5)
        rows.append(dict(row))
    return {"daily": rows}


KEYS = ["logins", "forced set-ups", "texts", "email: sign-in codes", "email: set-up codes", "email: lock notices",
        "email: other notices", "wrong-code locks", "support tickets (lost phone)", "right code refused (used in this step)"]


def _result(params, seed, tenant: Tenant, expected: dict, speed: dict) -> StudyResult:
    days = params["days"]
    daily = [{k: tenant.daily[d].get(k, 0) for k in KEYS} for d in range(days)]
    totals = {k: sum(row[k] for row in daily) for k in KEYS}
    expected_totals = {k: sum(row.get(k, 0.0) for row in expected["daily"]) for k in KEYS}
    tickets_expected = tenant.phone_person_days * params["lost_phones_per_person_year"] / 365.0
    expected_totals["support tickets (lost phone)"] = tickets_expected
    sms_cost = totals["texts"] * params["sms_cost"]
    before = dict(tenant.daily[-1])
    data = {"study": "cost", "seed": seed, "params": params, "rules": rules.rules_version(),
            "daily": daily, "totals": totals, "closed_form": {"daily": expected["daily"], "totals": expected_totals},
            "sms_cost": sms_cost, "phone_person_days": tenant.phone_person_days, "before_the_month": before,
            "grace_period": {"days": params["grace_period_days"], "in_the_rules": False}}
    currency = params["currency"]
    headline = [
        f"{totals['logins']} logins in {days} days ({params['agents']} agents, {params['users']} users; "
        f"closed form {expected_totals['logins']:.0f})",
        f"texts sent: {totals['texts']} = {sms_cost:.2f} {currency} at {params['sms_cost']:g} {currency} each "
        f"(closed form {expected_totals['texts']:.0f})",
        f"emails sent: {sum(totals[k] for k in KEYS if k.startswith('email'))} "
        f"({totals['email: sign-in codes']} sign-in codes, {totals['email: set-up codes']} set-up codes, "
        f"{totals['email: lock notices']} lock notices, {totals['email: other notices']} other notices)",
        f"people forced into set-up after enforcement on day {params['enforcement_starts_day']}: "
        f"{totals['forced set-ups']} (closed form {expected_totals['forced set-ups']:.1f})",
        f"wrong-code locks: {totals['wrong-code locks']} (closed form {expected_totals['wrong-code locks']:.1f})",
        f"support tickets from lost phones: {totals['support tickets (lost phone)']} "
        f"(Poisson expectation {tickets_expected:.1f})",
        "grace period: not modelled by this study yet; this is the month without one",
    ]
    return StudyResult(
        study="cost", title="The cost of a policy: one tenant's month",
        question=("What does the policy cost a tenant in a month: emails and texts sent (texts cost money), wrong-code "
                  "locks, people forced into set-up when enforcement starts, support tickets from lost phones?"),
        headline=headline, assumptions=_assumptions(params), data=data,
        figures=[_daily_chart(daily, params), _cumulative_chart(daily, expected["daily"], params)],
        tables=[_table(totals, expected_totals, params, sms_cost)], timing={"month": {"logins": speed}})


def _assumptions(params) -> list[str]:
    mix = ", ".join(f"{m} {100 * s:.0f}%" for m, s in params["method_mix"].items())
    return [
        f"A tenant of {params['agents']} agents and {params['users']} users; the month starts on a Monday "
        f"({params['days']} days). Two-factor is allowed for agents{' and users' if params['allow_for_users'] else ''}; "
        f"enforced for {'agents' if params['enforce_for_agents'] else ''}"
        f"{' and ' if params['enforce_for_agents'] and params['enforce_for_users'] else ''}"
        f"{'users' if params['enforce_for_users'] else ''}{'nobody' if not (params['enforce_for_agents'] or params['enforce_for_users']) else ''} "
        f"from day {params['enforcement_starts_day']} at 07:00.",
        f"Before the month, {100 * params['share_set_up_before']:.0f}% of the people allowed two-factor set it up; "
        f"every set-up (before, or forced) picks a method by the mix: {mix}.",
        f"Agents work Monday to Friday: on a workday an agent logs in with probability "
        f"{params['agent_login_chance_per_workday']:g}, first around 08:45 (sd 45 min), then a Poisson number "
        f"(mean {params['agent_extra_logins_per_workday']:g}) of further logins until 18:00. Users log in a Poisson "
        f"{params['user_logins_per_month']:g} times a month, any day, 08:00 to 20:00.",
        f"A code is typed wrong with probability {params['typo_rate']:g} (then typed again); in "
        f"{100 * params['confused_share']:g}% of logins the person types codes of another account until the lock, then "
        "tries again when it ends.",
        f"Phones are lost at {params['lost_phones_per_person_year']:g} a person a year: a person with an authenticator "
        "or SMS then raises a support ticket and an administrator resets their two-factor; under enforcement they "
        "set it up again at their next login.",
        f"A text costs {params['sms_cost']:g} {params['currency']}; emails are counted, not priced. The administrator's "
        "own sign-in emails are left out.",
        "Grace period: the rules have one since issue 10 (days to set up once enforced), but this study does not "
        "model it yet, so every person without a method is forced into the set-up at their first login after "
        "enforcement. The parameter grace_period_days (only 0 is accepted today) is where it will go; the expectation "
        "model then needs each person's days counted from their first login.",
        "One month is one draw. Methods are dealt in the mix's proportions per group (a stratified draw), yet who "
        "gets which still weighs: an agent logs in about 30 times a month, so one agent more on SMS moves the texts by "
        "about 30. Expect the emails and texts of one month to differ from the expectation by a fifth or so; run "
        "other seeds to see the spread.",
        "Closed form: an expectation model day by day (expected logins, the share of each group with each method, "
        "forced set-ups at the first login after enforcement); it leaves out lost-phone resets and assumes the "
        "methods of people set up before are spread as the mix.",
    ]


def _policy(params) -> str:
    """The policy, as a legend entry: who is enforced from when, and today's lock."""
    groups = [g for g in ("agents", "users") if params[f"enforce_for_{g}"]]
    today = rules.today()
    lock = f"lock after {today.max_wrong_codes} wrong codes for {today.lock_minutes:g} min"
    if not groups:
        return f"policy: two-factor allowed, enforced for nobody; {lock}"
    return f"policy: enforced for {' and '.join(groups)} from day {params['enforcement_starts_day']}, no grace period; {lock}"


def _daily_chart(daily, params) -> Figure:
    figure, axes = charts.new("day of the month (day 0 is a Monday)", "messages sent that day (count)",
                              "Emails and texts the app sent, day by day")
    days = list(range(len(daily)))
    bottom = [0.0] * len(days)
    for colour, key in zip(charts.COLOURS, ["email: sign-in codes", "email: set-up codes", "email: other notices",
                                            "email: lock notices", "texts"]):
        values = [row[key] for row in daily]
        axes.bar(days, values, bottom=bottom, color=colour, label=key.replace("email: ", "emails: "))
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.axvline(params["enforcement_starts_day"] - 0.5, color="black", linestyle="--", label=_policy(params))
    charts.legend(axes, 3)
    return Figure("Messages sent per day", charts.svg(figure),
                  "Every email and text counted is one the app sent, during the logins, set-ups, locks and resets of "
                  "the simulated month.")


def _cumulative_chart(daily, expected, params) -> Figure:
    figure, axes = charts.new("days elapsed (counted at each day's end)",
                              "cumulative count (texts; forced set-ups)", "Texts and forced set-ups, cumulative")
    days = list(range(1, len(daily) + 1))
    for colour, key in ((charts.COLOURS[4], "texts"), (charts.COLOURS[2], "forced set-ups")):
        simulated, total = [], 0
        for row in daily:
            total += row[key]
            simulated.append(total)
        analytic, running = [], 0.0
        for row in expected:
            running += row.get(key, 0.0)
            analytic.append(running)
        axes.plot(days, analytic, color=colour, label=f"{key}: closed form (expectation)")
        axes.plot(days, simulated, "o", color=colour, markersize=4, label=f"{key}: simulated through the real rules")
    axes.axvline(params["enforcement_starts_day"] + 0.5, color="black", linestyle="--", label=_policy(params))
    secondary = axes.secondary_yaxis("right", functions=(lambda n: n * params["sms_cost"],
                                                         lambda c: c / params["sms_cost"] if params["sms_cost"] else c))
    secondary.set_ylabel(f"texts' cost ({params['currency']})")
    charts.legend(axes, 2)
    return Figure("Texts (and their cost) and forced set-ups over the month", charts.svg(figure),
                  "Points: counts at the end of each day of the simulated month; lines: the expectation model. The "
                  "right-hand axis reads the texts' line as money.")


def _table(totals, expected, params, sms_cost):
    header = ["over the month", "simulated", "closed form (expectation)"]
    rows = [[k, str(totals[k]), f"{expected[k]:.1f}" if k in expected and expected[k] else "–"] for k in KEYS]
    rows.append([f"texts' cost ({params['currency']})", f"{sms_cost:.2f}",
                 f"{expected['texts'] * params['sms_cost']:.2f}"])
    return "The month in figures", header, rows
