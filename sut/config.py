"""How the app is set up: where its data lives, how it sends mail, how costly its hashes are."""

from __future__ import annotations

import dataclasses
import pathlib

from sut.adapters.passwords import PRODUCTION, PasswordCost


@dataclasses.dataclass(frozen=True)
class Config:
    database: pathlib.Path = pathlib.Path("twofa.sqlite3")
    # Kept apart from the database: a copy of the database alone decrypts nothing.
    key_file: pathlib.Path | None = None  # default: beside the database, "<database>.key"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    password_cost: PasswordCost = PRODUCTION

    @property
    def key_path(self) -> pathlib.Path:
        return self.key_file or pathlib.Path(str(self.database) + ".key")
