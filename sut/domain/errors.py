"""What can go wrong, each with the message a person is shown.

Messages are written for the person at the keyboard: they say what happened and what
to do, and never which factor was wrong or whether an account exists (ASVS 5 6.3.8).
"""


class TwoFactorError(Exception):
    """Base of every refusal; ``message`` is safe to show to the person."""

    code = "refused"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidCredentials(TwoFactorError):
    code = "invalid_credentials"

    def __init__(self, message: str = "The email address or password is incorrect."):
        super().__init__(message)


class InvalidCode(TwoFactorError):
    code = "invalid_code"

    def __init__(self, message: str = "That code is not valid. Check it, or ask for a new one."):
        super().__init__(message)


class MalformedCode(TwoFactorError):
    code = "malformed_code"

    def __init__(self, message: str = "Enter the 6-digit code."):
        super().__init__(message)


class Locked(TwoFactorError):
    code = "locked"

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after  # seconds until the lock ends; None while an administrator must unlock


class RateLimited(TwoFactorError):
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after  # seconds, when known


class NotAllowed(TwoFactorError):
    code = "not_allowed"


class PasswordRequired(TwoFactorError):
    code = "password_required"

    def __init__(self, message: str = "Enter your password to change two-factor authentication."):
        super().__init__(message)


class NotFound(TwoFactorError):
    code = "not_found"


class InvalidSettings(TwoFactorError):
    code = "invalid_settings"


class InvalidInput(TwoFactorError):
    code = "invalid_input"


class SetupRequired(TwoFactorError):
    """The person must set up (another) method before anything else; ``methods_offered`` to choose from."""

    code = "setup_required"

    def __init__(self, message: str, methods_offered: tuple = ()):
        super().__init__(message)
        self.methods_offered = tuple(methods_offered)


class AlreadySignedIn(TwoFactorError):
    """The code that just completed this sign-in, sent again (a double click): not a guess."""

    code = "already_signed_in"

    def __init__(self, message: str = "This sign-in is already complete."):
        super().__init__(message)


class ReauthenticationRequired(TwoFactorError):
    code = "reauthentication_required"

    def __init__(self, message: str = "For your security, enter your password again to continue."):
        super().__init__(message)


class Busy(TwoFactorError):
    """Too many passwords are being checked at once: refused at once rather than queued."""

    code = "busy"

    def __init__(self, message: str = "Too many sign-ins are being checked right now. Try again in a few seconds."):
        super().__init__(message)


class InvalidAssertion(TwoFactorError):
    """An identity provider's sign-in that this site cannot accept (forged, for another site, expired, used)."""

    code = "invalid_assertion"

    def __init__(self, message: str = "The sign-in from your identity provider could not be verified. Sign in there again."):
        super().__init__(message)
