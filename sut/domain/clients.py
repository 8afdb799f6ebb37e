"""Where a request came from, as the audit trail and the password throttle need it."""

from __future__ import annotations

import dataclasses

MAX_USER_AGENT = 300  # kept, not trusted: a header anyone can write


@dataclasses.dataclass(frozen=True)
class Client:
    address: str = ""
    user_agent: str = ""

    @classmethod
    def of(cls, address: str | None, user_agent: str | None) -> "Client":
        return cls(str(address or "")[:64], str(user_agent or "")[:MAX_USER_AGENT])


UNKNOWN = Client()
