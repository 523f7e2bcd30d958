"""Channel names as users write them (@name, t.me links) -> the bare username Telegram resolves.

Pure and Telethon-free, so the CLI and the daemon can validate names before any network call.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.errors import TelegramError


def parse_channel_name(text: str) -> str:
    """'@name', 'name', 't.me/name', 'https://t.me/s/name/42' -> 'name'; private links refused."""
    s = text.strip()
    for prefix in ("https://", "http://"):
        s = s.removeprefix(prefix)
    for host in ("www.t.me/", "t.me/", "telegram.me/", "telegram.dog/"):
        if s.startswith(host):
            parts = [p for p in s[len(host):].split("/") if p]
            if parts and parts[0] == "s":
                parts = parts[1:]
            if not parts or parts[0].startswith("+") or parts[0] == "joinchat":
                raise TelegramError(f"{text}: only public channels (t.me/<username>) can be watched")
            s = parts[0]
            break
    s = s.split("?")[0].lstrip("@")
    if not s or not all(c.isalnum() or c == "_" for c in s) or len(s) < 4 or len(s) > 32:
        raise TelegramError(f"{text!r} is not a channel username or t.me link")
    return s


def names(items: Iterable[str]) -> list[str]:
    """Channel usernames from config entries, deduplicated case-insensitively, order kept."""
    seen: dict[str, str] = {}
    for item in items:
        name = parse_channel_name(item)
        seen.setdefault(name.casefold(), name)
    return list(seen.values())
