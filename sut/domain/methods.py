"""The three second factors the product offers."""

import enum


class Method(str, enum.Enum):
    EMAIL = "email"
    SMS = "sms"
    AUTHENTICATOR = "authenticator"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def sends_codes(self) -> bool:
        """Email and SMS codes are sent at the moment they are needed; an app computes its own."""
        return self is not Method.AUTHENTICATOR

    @classmethod
    def parse(cls, text: str) -> "Method":
        from .errors import InvalidInput

        try:
            return cls(str(text).strip().lower())
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise InvalidInput(f"Unknown two-factor method {text!r}; choose one of: {names}.") from None


_LABELS = {
    Method.EMAIL: "Email",
    Method.SMS: "SMS",
    Method.AUTHENTICATOR: "Authenticator app",
}
