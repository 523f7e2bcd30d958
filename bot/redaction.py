"""One redaction for every line we print, log or store: secrets never leave the process.

A Bot API server (self-hosted, or a proxy at `bot.api_url`) may echo the request path, which
holds the token, in its error description; a database URL carries its password; an exception
may quote any of them. `redact` removes the configured secrets wherever they appear and, for
secrets we were not told about, anything shaped like a Bot API token or a URL's password.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from bot.config import SECRET_KEYS, Config

MASK = "<redacted>"

URL_KEYS = ("database.url", "database.query_url")

# `123456789:AA…`: Telegram's token shape (bot id, colon, 30+ URL-safe characters).
_TOKEN_SHAPE = re.compile(r"(?<![0-9])\d{3,}:[A-Za-z0-9_-]{30,}")
# `scheme://user:password@host`: the password part of any URL.
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:)(?P<pw>[^@\s/]+)(?=@)")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every secret, token-shaped string and URL password replaced by `MASK`."""
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _URL_PASSWORD.sub(lambda m: m.group("head") + MASK, text)
    return _TOKEN_SHAPE.sub(MASK, text)


def config_secrets(config: Config) -> list[str]:
    """The secret values a config holds: tokens, hashes and the passwords inside database URLs."""
    found: list[str] = []
    for key in SECRET_KEYS:
        value = config.get(key)
        if isinstance(value, str):
            found.append(value)
    for key in URL_KEYS:
        value = config.get(key)
        if isinstance(value, str):
            m = _URL_PASSWORD.search(value)
            if m:
                found.append(m.group("pw"))
    return found


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites each record's final message through `redact`."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = list(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = redact(message, self.secrets), None
        return True


def install_log_redaction(secrets: Iterable[str] = ()) -> None:
    """Redact every line any handler of the root logger writes (call after handlers exist)."""
    flt = RedactingFilter(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(flt)
