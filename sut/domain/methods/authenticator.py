"""An authenticator app (RFC 6238): set up by QR code or typed key, nothing is ever sent."""

from .base import Kind, Method


class Authenticator(Method):
    __slots__ = ()
    value = "authenticator"
    label = "Authenticator app"
    in_a_sentence = "authenticator app"
    kind = Kind.TIME_BASED
    preference = 0  # offered first
    hint = "Google Authenticator, Microsoft Authenticator or another app: scan a QR code, or enter a key."
    allow_label = "Allow authenticator apps"
    confirm_instruction = "Then enter the code your app shows."
    shown_by = "your authenticator app"
    scan_instruction = "Scan this QR code with your authenticator app (Google Authenticator, Microsoft Authenticator), or enter the key."

    def masked(self, destination):
        return self.shown_by


AUTHENTICATOR = Authenticator()
