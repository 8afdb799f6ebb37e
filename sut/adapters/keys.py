"""The app's secret key, kept in a file apart from the database, and what is derived from it.

One random master key; HKDF derives a Fernet key that encrypts authenticator secrets at
rest (ASVS 4 2.8.2) and an HMAC key that hashes email and SMS codes. A stolen database
alone yields neither secrets nor codes.
"""

from __future__ import annotations

import base64
import os
import pathlib
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32


def load_or_create_master_key(path: pathlib.Path) -> bytes:
    path = pathlib.Path(path)
    if path.exists():
        _tighten(path)
        raw = base64.urlsafe_b64decode(path.read_bytes().strip())
        if len(raw) != KEY_BYTES:
            raise ValueError(f"The key file {path} does not hold a {KEY_BYTES}-byte key.")
        return raw
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = secrets.token_bytes(KEY_BYTES)
    # Created readable by the owner only, before anything is written into it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(base64.urlsafe_b64encode(raw))
    return raw


def _tighten(path: pathlib.Path) -> None:
    """A key file that others can read is made the owner's alone, as an older database is
    (sut.adapters.sqlite_store): a key copied in with a loose umask must not stay readable."""
    if os.name == "posix" and path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


class Keys:
    def __init__(self, master: bytes):
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(master, b"twofa totp secrets")))
        self.code_hmac_key = _derive(master, b"twofa code digests")

    def encrypt(self, secret: str) -> bytes:
        return self._fernet.encrypt(secret.encode())

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken:
            raise RuntimeError("An authenticator secret cannot be decrypted: the key file does not match this database.") from None
