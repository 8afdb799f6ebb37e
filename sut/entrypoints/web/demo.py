"""The demo outbox: what the local SMTP server received and what the simulated SMS gateway
delivered, newest first, the way Mailpit or MailHog show a developer's mail. Not part of the
product; registered only when ``create_web_app(..., demo=...)`` is given the SMTP server."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

demo = Blueprint("demo", __name__, url_prefix="/demo")


@demo.get("/outbox")
def outbox():
    state = current_app.extensions["twofa"]
    source = state.demo
    emails = list(reversed(source.inbox())) if hasattr(source, "inbox") else []
    sms = getattr(state.app, "sms", None)
    texts = list(reversed(sms.messages())) if hasattr(sms, "messages") else []
    return render_template("outbox.html", emails=emails, texts=texts)
