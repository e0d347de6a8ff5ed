"""Settings: one validated place, read from the environment (``RAPPORT_*``).

Every setting has a default, a type and a help line; ``docs/settings.md`` and a test
check that each is documented. Settings are created by :func:`get_settings`, never at
import time, so tests and the CLI can change the environment first.

>>> import os
>>> os.environ["RAPPORT_PRESET"] = "fast"
>>> get_settings().preset
'fast'
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from platformdirs import user_data_dir
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rapport.errors import RapportInputError

Preset = Literal["fast", "accurate"]
Paper = Literal["auto", "a4", "letter"]


def _default_home() -> Path:
    return Path(user_data_dir("rapport", appauthor=False))


class Settings(BaseSettings):
    """Rapport's settings. Environment variables are the field names prefixed ``RAPPORT_``."""

    model_config = SettingsConfigDict(env_prefix="RAPPORT_", extra="ignore", frozen=True)

    home: Path = Field(default_factory=_default_home,
                       description="Data folder: database, keys, backups.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the record; default: a SQLite file in RAPPORT_HOME.")
    key_file: Path | None = Field(
        default=None, description="File holding the encryption key (base64, 32 bytes).")
    key: str | None = Field(
        default=None, repr=False,
        description="The encryption key itself (base64); prefer RAPPORT_KEY_FILE.")
    user: str | None = Field(default=None, description="Who the CLI acts as (a username).")
    preset: Preset = Field(default="fast", description="Coder preset: fast or accurate.")
    paper: Paper = Field(default="auto", description="Paper size of PDF reports: a4, letter, "
                         "or auto (from the locale: letter in the Americas' letter countries).")
    max_file_bytes: int = Field(default=50_000_000, gt=0,
                                description="Largest transcript file accepted, in bytes.")
    max_media_bytes: int = Field(default=300_000_000, gt=0,
                                 description="Largest recording accepted by the web upload, "
                                 "in bytes (compress long WAV files to M4A or MP3).")
    max_line_chars: int = Field(default=100_000, gt=0,
                                description="Longest line accepted in a transcript.")
    max_turns: int = Field(default=50_000, gt=0,
                           description="Most turns accepted in one session.")
    web_idle_minutes: int = Field(default=30, gt=0, le=24 * 60,
                                  description="Web sign-in ends after this many idle minutes.")
    web_absolute_hours: int = Field(default=12, gt=0, le=24 * 7,
                                    description="Web sign-in ends this many hours after login.")
    login_max_failures: int = Field(default=5, gt=0, le=100,
                                    description="Failed logins (per user, per address) "
                                    "within the lockout window before a temporary lockout.")
    login_lockout_minutes: int = Field(default=15, gt=0, le=24 * 60,
                                       description="Length of a login lockout, and of the "
                                       "window in which failures are counted.")
    web_max_concurrent: int = Field(default=8, ge=1, le=30,
                                    description="Requests the web app works on at once; "
                                    "more wait their turn.")
    public_url: str | None = Field(
        default=None, description="The address clients' phones use to reach this server "
        "(e.g. https://rapport.clinic.example), for feedback links and QR codes.")
    web_max_body_bytes: int = Field(default=1_000_000, ge=10_000,
                                    description="Largest request body accepted, in bytes, "
                                    "except uploads (RAPPORT_MAX_FILE_BYTES plus 1 MB).")
    web_header_seconds: float = Field(default=10, gt=0, le=600,
                                      description="A request's headers must arrive within "
                                      "this many seconds (408 otherwise).")
    web_body_seconds: float = Field(default=120, gt=0, le=3600,
                                    description="A request's body must arrive within this "
                                    "many seconds (408 otherwise).")
    web_max_receiving_per_address: int = Field(
        default=4, ge=1, le=1000,
        description="Requests from one address whose body may still be arriving at once "
        "(429 otherwise); bodies that arrive in one piece never count.")
    research_min_clients: int = Field(
        default=5, ge=1, le=10_000,
        description="Research aggregates (web research page, /api/v1/stats/metrics) over "
        "fewer clients than this are withheld: 'too few clients to show'.")
    feedback_form_minutes: int = Field(default=120, gt=0, le=14 * 24 * 60,
                                       description="A client feedback link expires after "
                                       "this many minutes.")

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
                or parts.fragment:
            msg = "must be an http(s) address such as https://rapport.clinic.example"
            raise ValueError(msg)
        return value.strip().rstrip("/")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'rapport.sqlite3'}"


def get_settings(**overrides: object) -> Settings:
    """Read the settings from the environment, with explicit overrides on top."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "RAPPORT_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise RapportInputError(f"invalid setting: {first['msg']}", where=name,
                                fix="see docs/settings.md for allowed values",
                                code="bad_setting") from None
