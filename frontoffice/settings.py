"""The server's settings: `config/server.toml`, overridden by `SAMBUT_SERVER_…` environment variables."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
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


class ServerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAMBUT_SERVER_", env_nested_delimiter="__", extra="forbid")

    server: ServerSection = Field(default_factory=ServerSection)

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
