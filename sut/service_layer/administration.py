"""The administrator's side: the security settings, the people, the lost-phone reset, lifting a
lock, and the audit trail.

Changes (settings, reset, unlock) need the password entered within the last 15 minutes
(ASVS 4.0.3 3.7.1; ``sut.domain.sessions``): a session left open on a desk does not let a
passer-by switch two-factor off for everyone. Reading needs only an administrator's session.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sut.domain import lockout, overview, sessions, throttling
from sut.domain.audit import AuditEntry
from sut.domain.clients import UNKNOWN, Client
from sut.domain.errors import InvalidInput, NotAllowed, NotFound, PasswordRequired, ReauthenticationRequired
from sut.domain.methods import Method
from sut.domain.people import Person, Role
from sut.domain.settings import SecuritySettings

from . import settings_form
from .common import UseCases, token_digest
from .settings_form import SettingsForm

MAX_AUDIT_ENTRIES = 500


@dataclasses.dataclass(frozen=True)
class PersonSummary:
    id: int
    name: str
    email: str
    role: Role
    is_admin: bool
    method: Method | None
    locked: bool
    held: bool = False  # locked until an administrator unlocks
    last_second_factor_at: dt.datetime | None = None  # the last sign-in whose second step passed
    enforcement: overview.Enforcement = overview.Enforcement.NOT_ENFORCED
    set_up_by: dt.datetime | None = None  # within their days to set up: when those end (None: not started)


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
        password_hash = self.deps.passwords.hash(password)  # before the transaction: it is slow
        with self.deps.store.transaction() as repo:
            if repo.person_by_email(email):
                raise InvalidInput(f"An account with the email address {email} already exists.")
            person = repo.add_person(Person(
                id=None, email=email, name=name, role=role, password_hash=password_hash,
                is_admin=is_admin, mobile_number=mobile_number,
            ))
            return self._summary(person, repo.settings())

    # reading
    def settings(self, session_token: str) -> SettingsForm:
        def read(repo):
            self._admin(repo, session_token)
            return SettingsForm.of(repo.settings())
        return self._read(session_token, read)

    def people(self, session_token: str, role: str | None = None, state: str | None = None) -> list[PersonSummary]:
        """The overview: every agent and user (or those of ``role``, "agent" or "user", in ``state``:
        "on", "off", "locked" or "pending"), with their method, its last use, lock and enforcement."""
        wanted_role, wanted_state = overview.parse_filter(role, state)

        def read(repo):
            self._admin(repo, session_token)
            now, settings = self.now(), repo.settings()
            return [self._summary(p, settings, now) for p in repo.people()
                    if (wanted_role is None or p.role is wanted_role)
                    and (wanted_state is None or overview.in_state(wanted_state, p, settings, now))]
        return self._read(session_token, read)

    def audit_trail(self, session_token: str, person_id: int | None = None, limit: int = 100) -> list[AuditEntry]:
        """What happened, newest first; of one person when ``person_id`` is given."""
        limit = max(1, min(int(limit), MAX_AUDIT_ENTRIES))

        def read(repo):
            self._admin(repo, session_token)
            if person_id is not None and repo.person(person_id) is None:
                raise NotFound("No such person.")
            return repo.audit_events(person_id, limit)
        return self._read(session_token, read)

    # the password again
    def confirm_password(self, session_token: str, password: str, client: Client = UNKNOWN) -> None:
        with self.deps.store.reading() as repo:
            admin = self._admin(repo, session_token)
        if not self._password_again(admin, password, client, "to confirm an administrator's change"):
            raise PasswordRequired("Your password is not correct.")
        with self.deps.store.transaction() as repo:
            admin = self._admin(repo, session_token)
            repo.record_password_entry(token_digest(session_token), self.now())
            repo.audit(self.now(), admin.id, "password_confirmed", "", client)

    # changes
    def change_settings(self, session_token: str, client: Client = UNKNOWN, **changes: bool | int) -> SettingsForm:
        """Apply changes (fields of ``settings_form``) as one; contradictory settings are refused
        whole, with the reason."""
        with self.deps.store.transaction() as repo:
            admin = self._admin_with_fresh_password(repo, session_token)
            before = repo.settings()
            settings = settings_form.changed(before, changes)
            repo.save_settings(settings)
            self._restart_grace_periods(repo, settings.enforced_for - before.enforced_for)
            repo.audit(self.now(), admin.id, "settings_changed", ", ".join(f"{k}={v}" for k, v in sorted(changes.items())), client)
            # Enforcement off, or a method disallowed, removes nobody's two-factor: the
            # person's method stays, and login decides what they must do next.
            return SettingsForm.of(settings)

    def reset_two_factor(self, session_token: str, person_id: int, client: Client = UNKNOWN) -> PersonSummary:
        """The lost-phone case: the person's method goes, at once, and their sessions end."""
        with self.deps.store.transaction() as repo:
            admin = self._admin_with_fresh_password(repo, session_token)
            person = self._person(repo, person_id)
            old = person.method
            person.forget_factor()
            lockout.unlock(person)
            repo.save_person(person)
            repo.void_recovery_codes(person.id)
            repo.void_open_challenges(person.id)
            repo.end_sessions_of(person.id, keep=token_digest(session_token) if person.id == admin.id else None)
            repo.audit(self.now(), person.id, "two_factor_reset", f"by admin {admin.id}, was {old.value if old else 'off'}", client)
            self._notify(person, "two-factor authentication was reset",
                         "An administrator reset two-factor authentication on your account. "
                         "Sign in again; you may be asked to set it up.")
            return self._summary(person, repo.settings())

    def unlock(self, session_token: str, person_id: int, client: Client = UNKNOWN) -> PersonSummary:
        """Lift a lock of the second step (and the password step's wait); the factor stays."""
        with self.deps.store.transaction() as repo:
            admin = self._admin_with_fresh_password(repo, session_token)
            person = self._person(repo, person_id)
            lockout.unlock(person)
            repo.save_person(person)
            repo.clear_password_failures(throttling.account_key(person.email))
            repo.audit(self.now(), person.id, "unlocked", f"by admin {admin.id}", client)
            self._notify(person, "two-factor sign-in was unlocked",
                         "An administrator unlocked two-factor sign-in on your account. Your method is unchanged.")
            return self._summary(person, repo.settings())

    # helpers
    @staticmethod
    def _restart_grace_periods(repo, newly_enforced) -> None:
        """Enforcement switched on anew gives everyone it applies to the whole grace period
        again, from their next sign-in: an old period's end must not force them at once."""
        for person in repo.people():
            if person.role in newly_enforced and person.grace_started_at is not None:
                person.grace_started_at = None
                repo.save_person(person)

    def _admin(self, repo, session_token: str) -> Person:
        person = self._signed_in(repo, session_token)
        if not person.is_admin:
            raise NotAllowed("Only an administrator can do this.")
        return person

    def _admin_with_fresh_password(self, repo, session_token: str) -> Person:
        admin = self._admin(repo, session_token)
        session = repo.session(token_digest(session_token))
        if not sessions.password_is_fresh(session, self.now(), self.deps.sessions):
            raise ReauthenticationRequired()
        self._touch(repo, session_token)
        return admin

    @staticmethod
    def _person(repo, person_id) -> Person:
        try:
            person = repo.person(int(person_id))
        except (TypeError, ValueError, OverflowError):
            person = None
        if person is None:
            raise NotFound("No such person.")
        return person

    def _summary(self, person: Person, settings: SecuritySettings, now: dt.datetime | None = None) -> PersonSummary:
        now = now or self.now()
        enforcement = overview.enforcement(person, settings, now)
        return PersonSummary(person.id, person.name, person.email, person.role, person.is_admin, person.method,
                             person.is_locked(now), person.held, person.second_factor_used_at, enforcement,
                             settings.grace_ends(person) if enforcement is overview.Enforcement.GRACE else None)
