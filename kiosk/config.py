"""The kiosk's settings: `config/kiosk.toml`, overridden by `SAMBUT_KIOSK_…` environment variables.

Nested keys use a double underscore: `SAMBUT_KIOSK_SERVER__URL=http://…`. Each device's options
are validated by its driver's own options model, so a typo in a device section is caught at load.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from drivers import registry
from kiosk.admin.credentials import Role, check_hash_format

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "config" / "kiosk.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


# The window sizes the guest screens are laid out and checked for (the tour photographs each).
SUPPORTED_SIZES: tuple[tuple[int, int], ...] = (
    (1280, 800),
    (1366, 768),
    (1920, 1080),
    (1080, 1920),
    (800, 1280),
)


class KioskSection(_Section):
    name: str = Field("lobby-1", min_length=1, max_length=64)
    languages: list[Literal["en", "id"]] = Field(default_factory=lambda: ["en", "id"], min_length=1)
    default_language: Literal["en", "id"] = "en"
    fullscreen: bool = False
    show_cursor: bool = True
    rotation: Literal[0, 90, 180, 270] = 0
    window_size: tuple[int, int] = (1280, 800)
    # OpenGL multisampling (smoother edges). 0 by default: with software rendering (Mesa llvmpipe,
    # Xvfb) 2x costs about 2.5x the time per frame; a kiosk with a GPU can afford 2 or 4.
    multisamples: Literal[0, 2, 4, 8] = 0

    @model_validator(mode="after")
    def _default_language_offered(self) -> KioskSection:
        if self.default_language not in self.languages:
            raise ValueError(f"default_language {self.default_language!r} is not in languages")
        return self


class ServerSection(_Section):
    url: HttpUrl = HttpUrl("http://127.0.0.1:8470")
    token_file: Path = Path("var/kiosk.token")
    timeout_s: float = Field(3.0, gt=0, le=60)
    ca_file: Path | None = None


class StoreSection(_Section):
    path: Path = Path("var/kiosk.sqlite3")


class LogSection(_Section):
    """The kiosk's operations log: devices, journey steps, sync; never guest data."""

    path: Path = Path("var/log/kiosk.log")
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    max_bytes: int = Field(5_000_000, ge=10_000)
    backups: int = Field(5, ge=1, le=50)


class CheckinSection(_Section):
    """How the guest journey behaves at this property."""

    # Seconds without a touch before "Are you still there?", then seconds before the session is wiped.
    inactivity_s: float = Field(45.0, gt=0, le=600)
    still_there_s: float = Field(15.0, gt=0, le=120)
    # Seconds the finish screen stays before the kiosk returns to its welcome screen.
    finish_s: float = Field(20.0, gt=0, le=300)
    # Identity check against the booking: required, optional (the guest may skip), or off.
    identity: Literal["required", "optional", "off"] = "required"
    # An ID document without a machine-readable zone (an Indonesian KTP): a photo for the desk to
    # check later, or ask for staff.
    id_without_mrz: Literal["photo", "staff"] = "photo"
    # A walk-in (no booking yet) shows a passport or ID card: required (a card without lines of
    # letters is photographed for the desk, then the name typed from it), optional (the guest may
    # type their name instead), or off (the name is typed).
    walkin_identity: Literal["required", "optional", "off"] = "required"
    # The version of the house terms and privacy notice the guest accepts (stored with the check-in).
    terms_version: str = Field("2026-01", min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")
    # Their texts, readable on screen before accepting: <terms_dir>/<terms_version>/house-rules.<lang>.txt
    # and privacy.<lang>.txt (a new version is a new folder, so what was accepted stays on record).
    terms_dir: Path = Path("config/terms")


class BrandingSection(_Section):
    """The property's look on the kiosk; paths are relative to the project folder."""

    logo: Path | None = None
    hero_image: Path | None = None
    # Colours as #rrggbb: the main action, the headings, the background.
    primary: str = Field("#0f6e6e", pattern=r"^#[0-9a-fA-F]{6}$")
    ink: str = Field("#1d2b36", pattern=r"^#[0-9a-fA-F]{6}$")
    background: str = Field("#f7f4ee", pattern=r"^#[0-9a-fA-F]{6}$")
    # The welcome line per language; empty: the built-in translated welcome.
    welcome: dict[Literal["en", "id"], str] = Field(default_factory=dict)


class SyncSection(_Section):
    batch_size: int = Field(200, ge=1, le=500)
    pull_interval_s: float = Field(15.0, gt=0, le=3600)
    heartbeat_interval_s: float = Field(60.0, gt=0, le=3600)
    backoff_max_s: float = Field(15.0, gt=0, le=600)
    refused_recheck_s: float = Field(60.0, gt=0, le=3600)


ScryptHash = Annotated[str, AfterValidator(check_hash_format)]


class BadgeEntry(_Section):
    name: str = Field(min_length=1, max_length=64)
    role: Role
    uid_hash: ScryptHash


class AdminSection(_Section):
    """Staff and technician mode. PINs and badges are scrypt hashes: `python main.py admin --help`."""

    gesture_corner: Literal["top-left", "top-right", "bottom-left", "bottom-right"] = "top-left"
    gesture_hold_s: float = Field(3.0, ge=1, le=30)
    gesture_size: float = Field(0.1, gt=0, le=0.5)  # the corner square, as a share of the shorter side
    idle_timeout_s: float = Field(120.0, ge=15, le=3600)
    max_failures: int = Field(5, ge=1, le=20)
    lockout_s: float = Field(300.0, ge=10, le=3600)
    badge_needs_pin: bool = True
    pins: dict[Role, list[ScryptHash]] = Field(default_factory=dict)
    badge_salt: str = ""
    badges: list[BadgeEntry] = Field(default_factory=list)
    audit_path: Path = Path("var/admin-audit.jsonl")
    state_path: Path = Path("var/admin-state.json")
    # Where the technician's diagnostics bundle goes unless a USB stick is chosen.
    diagnostics_dir: Path = Path("var/diagnostics")

    @model_validator(mode="after")
    def _badges_need_salt(self) -> AdminSection:
        if self.badges and not self.badge_salt:
            raise ValueError("badges need badge_salt")
        return self


class DeviceSection(_Section):
    kind: str
    driver: str
    enabled: bool = True
    options: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _driver_options(self) -> DeviceSection:
        registry.load_builtin_drivers()
        try:
            registry.validate_options(self.kind, self.driver, self.options)
        except registry.UnknownDriverError as exc:
            raise ValueError(str(exc)) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            key = ".".join(str(p) for p in first["loc"])
            msg = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
            raise ValueError(f"options.{key}: {msg}") from None
        return self


class KioskSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAMBUT_KIOSK_", env_nested_delimiter="__", extra="forbid")

    kiosk: KioskSection = Field(default_factory=KioskSection)
    server: ServerSection = Field(default_factory=ServerSection)
    store: StoreSection = Field(default_factory=StoreSection)
    log: LogSection = Field(default_factory=LogSection)
    checkin: CheckinSection = Field(default_factory=CheckinSection)
    branding: BrandingSection = Field(default_factory=BrandingSection)

    sync: SyncSection = Field(default_factory=SyncSection)
    admin: AdminSection = Field(default_factory=AdminSection)
    devices: dict[str, DeviceSection] = Field(default_factory=dict)

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

    def resolve(self, path: Path) -> Path:
        """Relative paths in the config are relative to the project root."""
        return path if path.is_absolute() else ROOT / path


def config_path(default: Path = DEFAULT_PATH) -> Path:
    """The kiosk.toml in use: SAMBUT_KIOSK_CONFIG when set (admin mode saves to this one too)."""
    return Path(os.environ.get("SAMBUT_KIOSK_CONFIG", default))


def load_settings(path: Path = DEFAULT_PATH) -> KioskSettings:
    """Load and validate; on a bad file raises with the path attached as a note."""
    path = config_path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return KioskSettings(**data)
    except (ValidationError, tomllib.TOMLDecodeError) as exc:
        exc.add_note(str(path))
        raise
