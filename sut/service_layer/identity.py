"""Who holds a session token: the name, role and admin flag the pages need.

Built on the same session check as every use case, so an ended or expired session
(sign-out, an administrator's reset, idleness) is refused at once; a read, so it never
waits behind logins.
"""

from __future__ import annotations

import dataclasses

from sut.domain.people import Role
from .common import UseCases


@dataclasses.dataclass(frozen=True)
class Identity:
    id: int
    name: str
    email: str
    role: Role
    is_admin: bool

    @property
    def is_agent(self) -> bool:
        return self.role is Role.AGENT

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p]
        return ("".join(p[0] for p in parts[:2]) or self.email[:1]).upper()


class WhoAmI(UseCases):
    def who(self, session_token: str) -> Identity:
        def read(repo):
            person = self._signed_in(repo, session_token)
            return Identity(person.id, person.name, person.email, person.role, person.is_admin)
        return self._read(session_token, read)
