"""Configuration: settings declared as data (key, type, default, help), read from TOML.

`config.example.toml` documents every key; a test checks that the two never drift apart.
Secrets may also come from the environment (BRIEFWATCH_API_ID, BRIEFWATCH_API_HASH,
BRIEFWATCH_BOT_TOKEN, BRIEFWATCH_TIKTOK_CLIENT_KEY, BRIEFWATCH_TIKTOK_CLIENT_SECRET), which wins over the file so a config can be shared without them.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import ConfigError

DEFAULT_BOT_API_URL = "https://api.telegram.org"
DEFAULT_RESEARCH_API_URL = "https://open.tiktokapis.com"


@dataclass(frozen=True)
class Setting:
    key: str  # "section.name"
    kind: type | tuple[type, ...]
    default: Any
    help: str
    env: str | None = None
    item_type: type | tuple[type, ...] | None = None  # for lists
    positive: bool = False  # a size, count or interval: 0 or less is a mistake


SETTINGS: tuple[Setting, ...] = (
    Setting("database.url", str, "sqlite:///briefwatch.db", "SQLAlchemy URL of the archive"),
    Setting("database.query_url", str, None,
            "URL `query` connects with; on PostgreSQL the read-only role `init` creates (briefwatch_reader)"),
    Setting("database.statement_timeout", (int, float), 60, "longest a `query` statement may run (s)",
            positive=True),
    Setting("telegram.api_id", int, None, "Telegram API id from my.telegram.org", env="BRIEFWATCH_API_ID"),
    Setting("telegram.api_hash", str, None, "Telegram API hash", env="BRIEFWATCH_API_HASH"),
    Setting("telegram.session", str, "briefwatch.session", "path of the Telethon SQLite session file"),
    Setting("telegram.channels", list, [], "watched public channels (usernames or t.me links)", item_type=str),
    Setting("telegram.flood_wait_max", (int, float), 60, "longest FLOOD_WAIT slept in place (s); longer ones reschedule"),
    Setting("telegram.backfill_batch", int, 100, "messages per backfill request and transaction", positive=True),
    Setting("telegram.max_channels", int, 500,
            "channels one account may watch (Telegram's own limit is 500, 1000 with Premium)", positive=True),
    Setting("telegram.join_interval_seconds", (int, float), 20,
            "shortest time between two channel joins of one account (a FLOOD_WAIT doubles it)", positive=True),
    Setting("workers.lease_seconds", (int, float), 60,
            "PostgreSQL workers: a channel or leader lease not renewed for this long passes to another worker",
            positive=True),
    Setting("workers.heartbeat_seconds", (int, float), 15,
            "PostgreSQL workers: how often a worker renews its leases and claims free channels", positive=True),
    Setting("telegram.deletion_sweep_depth", int, 200, "how many recent ids the deletion sweep re-checks per channel"),
    Setting("bot.token", str, None, "Bot API token; none: alerts stay in the outbox", env="BRIEFWATCH_BOT_TOKEN"),
    Setting("bot.api_url", str, DEFAULT_BOT_API_URL, "Bot API base URL"),
    Setting("bot.monitor_chats", list, [], "chat and user ids that get alerts and may use commands", item_type=int),
    Setting("bot.timezone", str, "Europe/Moscow", "zone in which alert cards show times"),
    Setting("bot.campaign_videos", int, 10, "alert when a brief's matched videos reach this many", positive=True),
    Setting("bot.campaign_views", int, 1_000_000, "alert when a brief's matched views reach this many", positive=True),
    Setting("parsing.timezone", str, "Europe/Moscow", "zone for post times that name none"),
    Setting("import.max_depth", int, 64, "levels of JSON nesting below one imported message", positive=True),
    Setting("import.max_text_mb", (int, float), 1, "largest single text of an imported message (MB)", positive=True),
    Setting("import.max_message_mb", (int, float), 16, "largest imported message as read from the file (MB)",
            positive=True),
    Setting("matching.threshold", (int, float), 0.5, "lowest match score stored, exported and alerted"),
    Setting("matching.window_tolerance_hours", (int, float), 6, "slack around a brief's post window"),
    Setting("matching.days_without_window", (int, float), 7, "days after a brief a video may answer it when it names no window"),
    Setting("campaigns.window_hours", (int, float), 24, "width of the window in which a burst's accounts post",
            positive=True),
    Setting("campaigns.min_accounts", int, 5, "fewest distinct accounts that make a burst", positive=True),
    Setting("campaigns.significance", float, 1e-6,
            "Poisson tail probability of a window under the sound's own background at or below which it is a burst",
            positive=True),
    Setting("campaigns.alert_days", (int, float), 7,
            "the daemon alerts new bursts ending within this many days; older ones are recorded only", positive=True),
    Setting("schedule.gap_check_requests_per_minute", (int, float), 30,
            "gap-check budget: getChannelDifference requests per minute over all channels", positive=True),
    Setting("schedule.gap_check_min_seconds", (int, float), 60,
            "shortest interval between two gap checks of one channel", positive=True),
    Setting("schedule.gap_check_busy_posts", int, 20,
            "posts in the last 24 h that make a channel busy (checked more often)", positive=True),
    Setting("schedule.gap_check_busy_weight", (int, float), 2,
            "budget weight of a busy channel (a quiet one weighs 1)", positive=True),
    Setting("schedule.gap_check_brief_days", (int, float), 7,
            "a brief posted within this many days makes a channel hot", positive=True),
    Setting("schedule.gap_check_brief_weight", (int, float), 4,
            "budget weight of a hot channel (the larger weight wins)", positive=True),
    Setting("schedule.gap_check_seconds", (int, float), None,
            "fixed gap-check interval for every channel; set, it overrides the budget", positive=True),
    Setting("schedule.deletion_sweep_seconds", int, 900, "interval of the deletion sweep", positive=True),
    Setting("schedule.match_seconds", int, 600, "interval of scheduled matching", positive=True),
    Setting("schedule.campaign_seconds", int, 3600, "interval of the daemon's burst detection (campaigns)",
            positive=True),
    Setting("schedule.alert_seconds", int, 5, "interval of alert delivery", positive=True),
    Setting("schedule.poll_seconds", int, 2, "interval of monitor command polling", positive=True),
    # The media store (bot/media_job.py); its own section so the schedule keys stay about checks.
    Setting("media.path", str, "media", "directory of the content-addressed media store"),
    Setting("media.max_file_mb", (int, float), 50, "largest file downloaded (MB); larger: too_big", positive=True),
    Setting("media.max_total_gb", (int, float), 20, "disk budget of the store (GB); reached: files wait", positive=True),
    Setting("media.audio", bool, True, "download audio files and voice notes"),
    Setting("media.photos", bool, True, "download photos"),
    Setting("media.videos", bool, True, "download videos and round videos"),
    Setting("media.documents", bool, True, "download other documents"),
    Setting("media.download_seconds", int, 5, "interval of the media download job", positive=True),
    # The TikTok Research API collector (bot/collect.py, `briefwatch collect tiktok`).
    Setting("research_api.client_key", str, None, "TikTok Research API client key",
            env="BRIEFWATCH_TIKTOK_CLIENT_KEY"),
    Setting("research_api.client_secret", str, None, "TikTok Research API client secret",
            env="BRIEFWATCH_TIKTOK_CLIENT_SECRET"),
    Setting("research_api.base_url", str, DEFAULT_RESEARCH_API_URL, "Research API base URL (a local server works too)"),
    Setting("research_api.daily_requests", int, 1000, "requests per UTC day the collector may spend", positive=True),
    Setting("schedule.collect_seconds", int, 3600,
            "how often the daemon looks for briefs to collect (closed windows, and two days later)", positive=True),
)

_BY_KEY = {s.key: s for s in SETTINGS}
_ZONE_KEYS = ("parsing.timezone", "bot.timezone")


class Config:
    """Resolved settings; read them as `config["section.name"]`."""

    def __init__(self, values: dict[str, Any], path: Path | None = None) -> None:
        self._values = values
        self.path = path

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def get(self, key: str, default: Any = None) -> Any:
        """A setting's value, or `default` for a key this config does not hold."""
        return self._values.get(key, default)

    def with_overrides(self, **overrides: Any) -> Config:
        values = dict(self._values)
        for dotted, value in overrides.items():
            values[dotted.replace("__", ".")] = value
        return Config(values, self.path)


# Settings whose values are secrets: an error about them names the key and type, never the value.
SECRET_KEYS = ("bot.token", "telegram.api_hash", "research_api.client_secret")


# Not secrets themselves, but they carry one (a database password): their values are not shown either.
_CARRY_SECRETS = ("database.url", "database.query_url")


def _shown(setting: Setting, value: Any) -> str:
    hidden = setting.key in SECRET_KEYS or setting.key in _CARRY_SECRETS
    return "a value (not shown: it may hold a secret)" if hidden else repr(value)


def _check_type(setting: Setting, value: Any) -> Any:
    expected = setting.kind
    allowed = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(value, bool) and bool not in allowed:  # TOML true is not a number here
        raise ConfigError(setting.key, f"expected {_type_name(expected)}, got a boolean")
    if not isinstance(value, expected):
        raise ConfigError(setting.key, f"expected {_type_name(expected)}, got {type(value).__name__} {_shown(setting, value)}")
    if setting.positive and isinstance(value, (int, float)) and value <= 0:
        raise ConfigError(setting.key, f"must be positive, got {_shown(setting, value)}")
    if setting.item_type is not None and isinstance(value, list):
        for item in value:
            if isinstance(item, bool) or not isinstance(item, setting.item_type):
                raise ConfigError(setting.key, f"expected a list of {_type_name(setting.item_type)}, found {item!r}")
    return value


def _type_name(t: type | tuple[type, ...]) -> str:
    names = {"str": "a string", "int": "an integer", "float": "a number", "list": "a list", "bool": "true or false"}
    if isinstance(t, tuple):
        return " or ".join(names.get(x.__name__, x.__name__) for x in t)
    return names.get(t.__name__, t.__name__)


def _flatten(data: dict[str, Any], path: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for section, body in data.items():
        if not isinstance(body, dict):
            raise ConfigError(section, f"expected a [{section}] table in {path}")
        for name, value in body.items():
            flat[f"{section}.{name}"] = value
    return flat


def load_config(path: str | Path | None = None, env: dict[str, str] | None = None) -> Config:
    """Defaults, then the TOML file (if given or `config.toml` exists), then the environment."""
    env = dict(os.environ) if env is None else env
    values = {s.key: s.default for s in SETTINGS}
    source: Path | None = None
    if path is None and Path("config.toml").is_file():
        path = "config.toml"
    if path is not None:
        source = Path(path)
        try:
            data = tomllib.loads(source.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError("--config", f"no such file {source}") from exc
        except OSError as exc:  # a directory, an unreadable file
            raise ConfigError("--config", f"cannot read {source}: {exc.strerror or exc}") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError("--config", f"{source} is not valid TOML: {exc}") from exc
        for key, value in _flatten(data, source).items():
            setting = _BY_KEY.get(key)
            if setting is None:
                raise ConfigError(key, f"unknown key in {source}")
            values[key] = _check_type(setting, value)
    for setting in SETTINGS:
        if setting.env and env.get(setting.env):
            raw = env[setting.env]
            if setting.kind is int:
                try:
                    values[setting.key] = int(raw)
                except ValueError as exc:
                    raise ConfigError(setting.key, f"{setting.env} must be an integer") from exc
            else:
                values[setting.key] = raw
    if values["workers.heartbeat_seconds"] * 2 > values["workers.lease_seconds"]:
        raise ConfigError("workers.heartbeat_seconds", "must be at most half of workers.lease_seconds, so one "
                          "late heartbeat does not lose the leases")
    for key in _ZONE_KEYS:
        try:
            ZoneInfo(values[key])
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(key, f"unknown time zone {values[key]!r}") from exc
    return Config(values, source)
