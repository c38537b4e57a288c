"""The server's settings: `config/server.toml`, overridden by `SAMBUT_SERVER_…` environment variables."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "config" / "server.toml"


class ServerSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(8470, ge=1, le=65535)
    database_url: str = "sqlite:///var/frontoffice.sqlite3"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    pull_page_size: int = Field(500, ge=1, le=5000)

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, url: str) -> str:
        if not url.startswith(("sqlite:///", "postgresql+psycopg://")):
            raise ValueError("must start with sqlite:/// or postgresql+psycopg://")
        return url


class SmtpSection(BaseModel):
    """The mail server the front office sends guests' receipts and invoices through (off by default:
    then nothing is queued and the kiosks promise no e-mail)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    host: str = ""
    port: int = Field(587, ge=1, le=65535)
    # starttls (submission, 587), ssl (implicit TLS, 465) or none (a relay on the local network).
    security: Literal["starttls", "ssl", "none"] = "starttls"
    # A private CA's certificate (PEM) for a relay on the local network; else the system's CAs.
    ca_file: Path | None = None
    user: str = ""
    password: SecretStr = SecretStr("")  # shown and logged as **********
    from_address: str = Field("", pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
    from_name: str = ""
    timeout_s: float = Field(20.0, gt=0, le=300)
    # A mail the server could not hand over is tried again after retry_s, then twice as long each
    # time (at most an hour), up to max_attempts; a refusal of the address itself is not retried.
    retry_s: float = Field(60.0, gt=0, le=3600)
    max_attempts: int = Field(12, ge=1, le=100)

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> SmtpSection:
        if self.enabled and not (self.host and self.from_address):
            raise ValueError("an enabled [smtp] needs host and from_address")
        return self


class ServerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAMBUT_SERVER_", env_nested_delimiter="__", extra="forbid")

    server: ServerSection = Field(default_factory=ServerSection)
    smtp: SmtpSection = Field(default_factory=SmtpSection)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment over file: the file's values arrive as init arguments.
        return (env_settings, init_settings)


def resolve_database_url(url: str) -> str:
    """A relative SQLite path is relative to the project root, whatever the working directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
        return prefix + str(ROOT / url[len(prefix) :])
    return url


def load_settings(path: Path = DEFAULT_PATH) -> ServerSettings:
    """Load and validate; on a bad file raises with the path attached as a note."""
    path = Path(os.environ.get("SAMBUT_SERVER_CONFIG", path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return ServerSettings(**data)
    except (ValidationError, tomllib.TOMLDecodeError) as exc:
        exc.add_note(str(path))
        raise
