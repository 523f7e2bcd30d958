"""One redaction for every line we print, log or store: secrets never leave the process.

A Bot API server (self-hosted, or a proxy at `bot.api_url`) may echo the request path, which
holds the token, in its error description; a database URL carries its password; an exception
may quote any of them. `redact` removes the configured secrets wherever they appear and, for
secrets we were not told about, anything shaped like a Bot API token or a URL's password.

Where it applies: the CLI's error lines (bot/cli.py), every log record (`install_log_redaction`
puts `RedactingFilter` in front of every record at creation, so lastResort, basicConfig's
handler and pytest's all see the redacted text), stored errors (`alerts.last_error`, written
by bot/alerts/delivery.py) and their listing.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

from bot.config import SECRET_KEYS, Config

MASK = "<redacted>"
ALREADY_MASKED = "***"  # storage.db.mask_password's mask

URL_KEYS = ("database.url", "database.query_url")
# Secrets the environment may hold for keys this config does not declare (the collector's).
SECRET_ENV = ("BRIEFWATCH_BOT_TOKEN", "BRIEFWATCH_API_HASH", "BRIEFWATCH_TIKTOK_CLIENT_SECRET")

# `123456789:AA…`: Telegram's token shape (bot id, colon, 30+ URL-safe characters).
_TOKEN_SHAPE = re.compile(r"(?<![0-9])\d{3,}:[A-Za-z0-9_-]{30,}")
# `scheme://user:password@host`: the password runs to the LAST `@` of the word (an unescaped
# `@` in a password must not leave its tail behind).
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:)(?P<pw>\S+)(?=@)")
_SHORTEST = 4  # a shorter "secret" would mask ordinary words and digits everywhere


# The secrets of the running command (bot/cli.py installs them): what `redact` masks when not told.
_active: list[str] = []


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    """`text` with every secret (by default the running command's), token-shaped string and URL
    password replaced by `MASK`."""
    for secret in sorted({s for s in (_active if secrets is None else secrets) if s and len(s) >= _SHORTEST}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _URL_PASSWORD.sub(_mask_url_password, text)
    return _TOKEN_SHAPE.sub(MASK, text)


def _mask_url_password(m: re.Match[str]) -> str:
    # storage/db.py already writes `user:***@host`; that stays as it is.
    return m.group(0) if m.group("pw") in (ALREADY_MASKED, MASK) else m.group("head") + MASK


def url_password(url: str | None) -> list[str]:
    """The password inside a database URL, as written and percent-decoded (drivers print either)."""
    if not url:
        return []
    m = _URL_PASSWORD.search(url)
    return [m.group("pw"), unquote(m.group("pw"))] if m else []


def config_secrets(config: Config, *, urls: Iterable[str | None] = ()) -> list[str]:
    """The secret values in play: the config's tokens, hashes and client secrets, the same from
    the environment, and the passwords of its database URLs and of `urls` (e.g. `--db`)."""
    found: list[str] = []
    for key in SECRET_KEYS:
        value = config.get(key)
        if isinstance(value, str):
            found.append(value)
    found += [os.environ[name] for name in SECRET_ENV if os.environ.get(name)]
    for url in [*(config.get(key) for key in URL_KEYS), *urls]:
        found += url_password(url if isinstance(url, str) else None)
    return found


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites a record's message, traceback and stack through `redact`.

    With no `secrets` of its own it uses those `install_log_redaction` was last given.
    """

    def __init__(self, secrets: Iterable[str] | None = None) -> None:
        super().__init__()
        self.secrets = list(secrets) if secrets is not None else None

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = self.secrets
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the line or leak args
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = redact(message, secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        return True


_FILTER = RedactingFilter()
_base_factory = logging.getLogRecordFactory()


def _redacted_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    _FILTER.filter(record)
    return record


def install_log_redaction(secrets: Iterable[str] = ()) -> None:
    """Redact every log record from now on, whatever handler writes it; replaces earlier secrets."""
    _active[:] = list(secrets)
    if logging.getLogRecordFactory() is not _redacted_record:
        logging.setLogRecordFactory(_redacted_record)
