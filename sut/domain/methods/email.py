"""A code by email, to the address the person signs in with."""

from .base import Channel, Kind, Method


class Email(Method):
    __slots__ = ()
    value = "email"
    label = "Email"
    in_a_sentence = "email"
    kind = Kind.SENT_CODE
    channel = Channel.EMAIL
    preference = 1
    hint = "A code is sent to your email address each time you log in."
    allow_label = "Allow email codes"
    sent_by = "by email"
    confirm_instruction = "Enter it to confirm."

    def destination(self, email, mobile_number):
        return email

    def masked(self, destination):
        local, _, domain = (destination or "").partition("@")
        return f"{local[:1]}•••@{domain}"


EMAIL = Email()
