"""Flask-Security (pallets-eco, formerly Flask-Security-Too) as a target of the features."""

from targets.flask_security.app import ISSUER, METHODS, ROLES, SystemClock, create_app
from targets.flask_security.outbox import Email, Outbox, Text, code_in
from targets.flask_security.world import (
    authenticator_code,
    create_person,
    give_two_factor,
    last_code_mailed,
    last_code_texted,
    outbox,
    set_two_factor_required,
    two_factor_of,
)

__all__ = [
    "ISSUER", "METHODS", "ROLES", "SystemClock", "create_app",
    "Email", "Outbox", "Text", "code_in",
    "authenticator_code", "create_person", "give_two_factor", "last_code_mailed",
    "last_code_texted", "outbox", "set_two_factor_required", "two_factor_of",
]
