"""The reference app: two-factor authentication as a PSA product offers it.

Layered as in "Architecture Patterns with Python": ``domain`` (rules, no I/O),
``service_layer`` (use cases), ``adapters`` (SQLite, SMTP, SMS, clock, crypto) and
``entrypoints`` (web pages, JSON API, CLI). ``bootstrap.build`` wires them.
"""
