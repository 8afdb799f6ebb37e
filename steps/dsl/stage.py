"""The stage: the people of one scenario, made on demand by Faker and found by name.

A step names a person as the feature does ("the agent", "the other agent", "the
administrator"); the grammar (``steps/step_defs/_grammar.py``) turns that into the name the
stage knows them by, and ``stage.actor(name)`` hands the actor over. "Someone" is a stranger
on a device of their own. The stage also remembers who acted last, for the Then steps that
say "they" ("they are told ...", "the code is refused").
"""

from __future__ import annotations

import re

from .actors import Actor, Identity

STRANGER = "someone"


class Stage:
    def __init__(self, faker, driver, system, smtp, target=None):
        self._faker, self.driver, self.system, self.smtp = faker, driver, system, smtp
        self.target = target  # None: the reference app
        self.actors: dict[str, Actor] = {}
        self.last: Actor | None = None  # who acted last
        self._acting = False  # within a run of When steps

    def identity(self) -> Identity:
        f = self._faker
        first, last = f.first_name(), f.last_name()
        return Identity(
            name=f"{first} {last}",
            email=re.sub(r"[^a-z0-9.@-]", "", f"{first}.{last}.{f.unique.random_int(100, 999_999)}@{f.domain_name()}".lower()),
            password=f.password(length=16),
            mobile_number=self._mobile("+447" + f.numerify("#########")),
        )

    def _mobile(self, number: str) -> str:
        """A number the product takes (some check that it could be a real one)."""
        return self.target.mobile_number(number) if self.target is not None else number

    def _person(self, handle: str) -> Actor:
        topics = self.target.topics if self.target is not None else None
        return Actor(handle, self.identity(), self.driver, self.smtp, self.system.sms, topics=topics)

    def add(self, name: str) -> Actor:
        """A person the scenario introduces ("Given an agent who ..."), registered in the app."""
        assert name not in self.actors, f"There is already {name!r} in this scenario."
        actor = self._person(name)
        self.actors[name] = actor
        self.system.register(actor)
        return actor

    def actor(self, name: str) -> Actor:
        """The person a step names; "someone" is the stranger."""
        if name == STRANGER:
            return self.stranger()
        assert name in self.actors, f"This scenario has no {name}; a Given step must introduce them."
        self.last = self.actors[name]
        return self.last

    def step_begins(self, kind: str) -> None:
        """A step of ``kind`` ("given", "when", "then") begins. A When after a Given or a Then
        begins an action: each person's mailbox marks what it holds, so that a Then reads the
        emails the action brought, not those of the scenario's earlier steps."""
        if kind == "when" and not self._acting:
            for actor in self.actors.values():
                actor.mailbox.mark()
        self._acting = kind == "when"

    def has(self, name: str) -> bool:
        return name in self.actors

    def stranger(self) -> Actor:
        """'Someone': a person on a device of their own who knows what they were given."""
        if STRANGER not in self.actors:
            self.actors[STRANGER] = self._person("agent")
            self.actors[STRANGER].handle = STRANGER
        self.last = self.actors[STRANGER]
        return self.last
