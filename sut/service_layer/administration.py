"""The administrator's side: the security settings, the people, and the lost-phone reset."""

from __future__ import annotations

import dataclasses

from sut.domain.errors import InvalidInput, NotAllowed, NotFound
from sut.domain.methods import Method
from sut.domain.people import Person, Role
from sut.domain.settings import SecuritySettings

from .common import UseCases


@dataclasses.dataclass(frozen=True)
class PersonSummary:
    id: int
    name: str
    email: str
    role: Role
    is_admin: bool
    method: Method | None
    locked: bool


class Administration(UseCases):
    def register_person(self, email: str, name: str, role: Role | str, password: str,
                        is_admin: bool = False, mobile_number: str | None = None) -> PersonSummary:
        """Create an account (the directory import, the demo data, the test harness)."""
        role = Role(role)
        if is_admin and role is not Role.AGENT:
            raise InvalidInput("Only an agent can be an administrator.")
        email = str(email or "").strip()
        if "@" not in email or not password:
            raise InvalidInput("A person needs an email address and a password.")
        with self.deps.store.transaction() as repo:
            if repo.person_by_email(email):
                raise InvalidInput(f"An account with the email address {email} already exists.")
            person = repo.add_person(Person(
                id=None, email=email, name=name, role=role, password_hash=self.deps.passwords.hash(password),
                is_admin=is_admin, mobile_number=mobile_number,
            ))
            return self._summary(person)

    def settings(self, session_token: str) -> SecuritySettings:
        with self.deps.store.transaction() as repo:
            self._admin(repo, session_token)
            return repo.settings()

    def change_settings(self, session_token: str, **changes: bool) -> SecuritySettings:
        """Apply changes as one; contradictory settings are refused whole, with the reason."""
        with self.deps.store.transaction() as repo:
            admin = self._admin(repo, session_token)
            settings = repo.settings().changed(**changes)
            repo.save_settings(settings)
            repo.audit(self.now(), admin.id, "settings_changed", ", ".join(f"{k}={v}" for k, v in sorted(changes.items())))
            # Enforcement off, or a method disallowed, removes nobody's two-factor: the
            # person's method stays, and login decides what they must do next.
            return settings

    def people(self, session_token: str) -> list[PersonSummary]:
        with self.deps.store.transaction() as repo:
            self._admin(repo, session_token)
            now = self.now()
            return [self._summary(p, now) for p in repo.people()]

    def reset_two_factor(self, session_token: str, person_id: int) -> PersonSummary:
        """The lost-phone case: the person's method goes, at once, and their sessions end."""
        with self.deps.store.transaction() as repo:
            admin = self._admin(repo, session_token)
            try:
                person = repo.person(int(person_id))
            except (TypeError, ValueError):
                person = None
            if person is None:
                raise NotFound("No such person.")
            old = person.method
            person.method, person.totp_secret_encrypted, person.totp_last_step = None, None, None
            person.failed_codes, person.locked_until = 0, None
            repo.save_person(person)
            repo.void_open_challenges(person.id)
            repo.end_sessions_of(person.id)
            repo.audit(self.now(), person.id, "two_factor_reset", f"by admin {admin.id}, was {old.value if old else 'off'}")
            self._notify(person, "two-factor authentication was reset",
                         "An administrator reset two-factor authentication on your account. "
                         "Sign in again; you may be asked to set it up.")
            return self._summary(person)

    def _admin(self, repo, session_token: str) -> Person:
        person = self._signed_in(repo, session_token)
        if not person.is_admin:
            raise NotAllowed("Only an administrator can do this.")
        return person

    def _summary(self, person: Person, now=None) -> PersonSummary:
        return PersonSummary(person.id, person.name, person.email, person.role, person.is_admin, person.method,
                             person.is_locked(now or self.now()))
