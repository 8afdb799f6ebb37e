"""Flask-Security's own SQLAlchemy models (fsqla version 3), as its quick start declares them.

One module-level ``db`` and model classes, bound to each app by ``db.init_app`` (the
Flask-SQLAlchemy pattern), so that many apps (one per scenario) share the classes.
"""

from flask_security.models import fsqla_v3 as fsqla
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
fsqla.FsModels.set_db_info(db)


class Role(db.Model, fsqla.FsRoleMixin):
    pass


class User(db.Model, fsqla.FsUserMixin):
    pass


class WebAuthn(db.Model, fsqla.FsWebAuthnMixin):
    pass
