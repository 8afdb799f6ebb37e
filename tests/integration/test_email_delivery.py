"""One message, two carriers: what the app sends over SMTP (the api and ui drivers, a deployed
app) and what it hands to the harness's mailbox in-process (the domain driver) are composed by
the same code and read into the inbox by the same code, so they read the same."""

from __future__ import annotations

import email
import email.charset

import pytest

from sut.adapters.email import MailboxEmailSender, SmtpEmailSender, compose
from sut.adapters.local_smtp import LocalSmtpServer, ReceivedEmail

# Not ASCII in the subject nor the body: the encoding is exercised too.
SUBJECT = "Your sign-in code – HaloPSA"
BODY = "Hello Zoë,\n\nYour code is 123456. It expires in 10 minutes.\n"


@pytest.fixture(scope="module")
def server():
    with LocalSmtpServer() as running:
        yield running


def _send_over_smtp(server) -> None:
    sender = SmtpEmailSender(server.host, server.port)
    try:
        sender.send("Zoe.Smith@Example.test", SUBJECT, BODY)
    finally:
        sender.close()


def test_over_smtp_a_message_arrives_in_the_recipients_inbox_as_written(server):
    server.clear()
    _send_over_smtp(server)
    assert server.inbox("zoe.smith@example.test") == [ReceivedEmail(("zoe.smith@example.test",), SUBJECT, BODY)]
    assert server.inbox("someone.else@example.test") == []


def test_handed_over_in_process_a_message_reads_as_it_does_over_smtp(server):
    server.clear()
    _send_over_smtp(server)
    MailboxEmailSender(server).send("Zoe.Smith@Example.test", SUBJECT, BODY)
    over_smtp, in_process = server.inbox("zoe.smith@example.test")
    assert in_process == over_smtp == ReceivedEmail(("zoe.smith@example.test",), SUBJECT, BODY)


def test_the_message_is_from_halopsa_to_the_person_in_utf_8():
    written = compose("no-reply@halo.example", "zoe.smith@example.test", SUBJECT, BODY).as_string()
    read = email.message_from_string(written)
    assert (read["From"], read["To"]) == ("HaloPSA <no-reply@halo.example>", "zoe.smith@example.test")
    assert read.get_content_type() == "text/plain" and read.get_content_charset() == "utf-8"
    assert written.isascii(), "the message must be 7-bit clean to go over SMTP as smtplib sends text"
    assert read.get_payload(decode=True).decode("utf-8") == BODY


def test_the_message_stays_7_bit_when_another_library_changed_the_utf_8_defaults(monkeypatch):
    # Flask-Mail, imported with the Flask-Security target, makes UTF-8 bodies 8-bit for the process.
    monkeypatch.setitem(email.charset.CHARSETS, "utf-8", (email.charset.SHORTEST, None, "utf-8"))
    written = compose("no-reply@halo.example", "zoe.smith@example.test", SUBJECT, BODY).as_string()
    assert written.isascii()
    assert email.message_from_string(written).get_payload(decode=True).decode("utf-8") == BODY
