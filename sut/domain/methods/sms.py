"""A code by text message, to the mobile number that the set-up proved (a code sent to it came back)."""

from .base import Channel, Kind, Method


class Sms(Method):
    __slots__ = ()
    value = "sms"
    label = "SMS"
    in_a_sentence = "SMS"
    kind = Kind.SENT_CODE
    channel = Channel.SMS
    preference = 2  # never the default: texts can be intercepted or redirected (NIST 63B-4 3.1.3.3)
    asks_for_mobile_number = True
    hint = "A code is sent by text to your mobile. Less secure than an app: texts can be intercepted or redirected."
    allow_label = "Allow SMS codes"
    sent_by = "by SMS"
    confirm_instruction = "Enter it to confirm your mobile number."

    def destination(self, email, mobile_number):
        return mobile_number

    def masked(self, destination):
        number = destination or ""
        return "•" * max(0, len(number) - 3) + number[-3:]


SMS = Sms()
