"""The API of administration: the security settings, the password again, the people, the audit trail."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag

from sut.domain.errors import NotFound
from sut.domain.people import MAX_ID

from ..http_errors import client
from .common import BEARER, app, bearer, operation_id, value
from .schemas import (AuditEventOut, AuditOut, AuditQuery, PasswordIn, PeopleOut, PeopleQuery, PersonOut, PersonPath,
                      SettingsIn, SettingsOut, StatusMessageOut, errors)

TAG = Tag(name="Administration", description="Configuration > Advanced Settings > Security, and the people.")
api = APIBlueprint("admin", __name__, abp_tags=[TAG], abp_security=BEARER, operation_id_callback=operation_id)


def person_out(summary) -> dict:
    return PersonOut(id=summary.id, name=summary.name, email=summary.email, role=summary.role.value,
                     is_admin=summary.is_admin, two_factor_method=value(summary.method), locked=summary.locked,
                     locked_until_unlocked=summary.held,
                     last_second_factor_at=summary.last_second_factor_at.isoformat() if summary.last_second_factor_at else None,
                     enforcement=summary.enforcement.value,
                     set_up_by=summary.set_up_by.isoformat() if summary.set_up_by else None).model_dump()


def event_out(entry) -> dict:
    return AuditEventOut(at=entry.at.isoformat(), person_id=entry.person_id, person_email=entry.person_email,
                         event=entry.event, label=entry.label, detail=entry.detail, address=entry.address,
                         user_agent=entry.user_agent).model_dump()


@api.get("/admin/settings", responses={"200": SettingsOut, **errors(401, 403)})
def settings_get():
    """The security settings (administrators only)."""
    return app().admin.settings(bearer()).as_dict()


@api.patch("/admin/settings", responses={"200": SettingsOut, **errors(401, 403, 422)})
def settings_change(body: SettingsIn):
    """Change some security settings at once; contradictory settings are refused whole, with the reason.
    Needs a password entered within 15 minutes (403 reauthentication_required: POST /admin/reauthenticate)."""
    changes = body.model_dump(exclude_none=True)
    return app().admin.change_settings(bearer(), client(), **changes).as_dict()


@api.post("/admin/reauthenticate", responses={"200": StatusMessageOut, **errors(401, 403, 422, 503)})
def reauthenticate(body: PasswordIn):
    """Enter the password again: administrators' changes are allowed for 15 minutes after it."""
    app().admin.confirm_password(bearer(), body.password, client())
    return {"status": "confirmed"}


@api.get("/admin/audit", responses={"200": AuditOut, **errors(401, 403, 404)})
def audit(query: AuditQuery):
    """The audit trail, newest first: sign-ins, wrong codes, replays, locks, refusals while locked, sign-outs,
    changes; each with the client's address and user agent."""
    entries = app().admin.audit_trail(bearer(), query.person_id, query.limit)
    return {"events": [event_out(e) for e in entries]}


@api.get("/admin/people", responses={"200": PeopleOut, **errors(401, 403, 422)})
def people(query: PeopleQuery):
    """The overview of two-factor authentication (administrators only): every agent and user with their method,
    when a second factor last signed them in, their lock, and what enforcement asks of them; narrowed by role and
    by state."""
    return {"people": [person_out(p) for p in app().admin.people(bearer(), query.role, query.state)]}


@api.post("/admin/people/<int:person_id>/reset-two-factor", responses={"200": PersonOut, **errors(401, 403, 404)})
def reset_two_factor(path: PersonPath):
    """The lost-phone reset: the person's method goes and their sessions end, at once (fresh password needed)."""
    token = _person_in_range(path.person_id)
    return person_out(app().admin.reset_two_factor(token, path.person_id, client()))


@api.post("/admin/people/<int:person_id>/unlock", responses={"200": PersonOut, **errors(401, 403, 404)})
def unlock(path: PersonPath):
    """Lift the lock of the person's second step; their method stays (fresh password needed)."""
    token = _person_in_range(path.person_id)
    return person_out(app().admin.unlock(token, path.person_id, client()))


def _person_in_range(person_id: int) -> str:
    token = bearer()
    if not 1 <= person_id <= MAX_ID:  # beyond the store's integers: nobody
        app().admin.people(token)  # the same refusal as for any id when not an administrator
        raise NotFound("No such person.")
    return token
