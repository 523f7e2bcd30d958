"""Monitor commands over long polling (`getUpdates`), answered only to the monitors.

Who gets an answer: a chat whose id is in `bot.monitor_chats`, or a private chat with a user
whose id is. A monitor writing in some other group gets nothing there (the answer would show the
data to that group). Everyone else gets no reply at all, not even "forbidden": the bot should not
confirm it holds anything; each such attempt is logged with the chat and user id.

The `getUpdates` offset lives in `sync_state` under `bot.updates_offset` and is stored after
each update is handled, so a restart resumes where it stopped. A crash between answering and
storing the offset answers that one command again (at-least-once); every command is idempotent.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from bot.alerts import cards
from bot.alerts.botapi import BotApi, BotApiError
from bot.alerts.delivery import Clock, db, utcnow
from bot.alerts.split import split_html
from bot.config import Config
from storage import archive, monitor, outbox
from storage.monitor import BriefView
from storage.outbox import Engine, Session

log = logging.getLogger(__name__)

OFFSET_KEY = "bot.updates_offset"
INT64_MAX = 2**63 - 1
DEFAULT_BRIEFS = 5
MAX_BRIEFS = 20
MATCHES_SHOWN = 10

HELP = (
    "<b>briefwatch</b> commands\n"
    "/status — channels watched, last post seen, lag, pending alerts\n"
    "/briefs [N] — the newest N briefs (default 5)\n"
    "/brief ID — one brief in full\n"
    "/matches ID — videos matched to a brief\n"
    "/mute ID — no more alerts for a brief\n"
    "/unmute ID — alerts for it again"
)

_COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@(\w+))?(?:\s+(.*))?$", re.DOTALL)


def _strict_id(value: Any) -> int | None:
    """An id only if it is a JSON integer: `111.0` and `true` compare equal to 111 and 1 in
    Python, and the allowlist must not be passed by a value that merely compares equal."""
    return value if type(value) is int else None


def _field(message: dict[str, Any], key: str) -> dict[str, Any]:
    value = message.get(key)
    return value if isinstance(value, dict) else {}


def is_monitor(config: Config, message: dict[str, Any]) -> bool:
    allowed = {c for c in config["bot.monitor_chats"] if type(c) is int}
    chat, sender = _field(message, "chat"), _field(message, "from")
    chat_id, sender_id = _strict_id(chat.get("id")), _strict_id(sender.get("id"))
    if chat_id is not None and chat_id in allowed:
        return True
    return chat.get("type") == "private" and sender_id is not None and sender_id in allowed


async def poll_once(engine: Engine, config: Config, client: BotApi, *, long_poll: int = 0,
                    clock: Clock = utcnow) -> int:
    """One getUpdates call (waiting up to `long_poll` s) and every update in it; returns how many."""
    offset = await db(engine, lambda s: archive.get_state(s, OFFSET_KEY))
    updates = await client.get_updates(offset, timeout=long_poll)
    numbered = [u for u in updates if _strict_id(u.get("update_id")) is not None]
    if len(numbered) < len(updates):
        log.warning("ignored %d update(s) without an integer update_id", len(updates) - len(numbered))
    for update in sorted(numbered, key=lambda u: int(u["update_id"])):
        try:
            await _handle_update(engine, config, client, update, clock)
        except Exception:  # one malformed update must not stop polling for good: log, move on
            log.exception("update %s could not be handled; skipped", update["update_id"])
        next_offset = int(update["update_id"]) + 1
        await db(engine, partial(archive.set_state, key=OFFSET_KEY, value=next_offset, now=clock()))
    return len(updates)


async def _handle_update(engine: Engine, config: Config, client: BotApi, update: dict[str, Any],
                         clock: Clock) -> None:
    message = update.get("message")
    if not isinstance(message, dict):
        return
    chat_id = _strict_id(_field(message, "chat").get("id"))
    sender = _strict_id(_field(message, "from").get("id"))
    raw_text = message.get("text")
    text = raw_text if isinstance(raw_text, str) else ""
    m = _COMMAND.match(text.strip())
    name, arg = (m.group(1).lower(), (m.group(3) or "").strip()) if m else ("", "")
    if m is not None and m.group(2) is not None and m.group(2).lower() != (await client.username() or "").lower():
        return  # `/briefs@some_other_bot`: addressed to another bot in the group
    if chat_id is None or not is_monitor(config, message):
        log.warning("ignored %s from user %s in chat %s: not in bot.monitor_chats",
                    f"/{name}" if name else "a message", sender, chat_id)
        return
    if m is None:
        return  # a monitor's chatter in their group: not for the bot
    handler = _HANDLERS.get(name)
    if handler is None:
        reply = HELP
    else:
        zone = ZoneInfo(config["bot.timezone"])
        now = clock()
        try:
            reply = await db(engine, lambda s: handler(s, arg, config, zone, now, sender))
        except Exception:
            log.exception("/%s failed", name)
            reply = f"/{cards.esc(name)} failed; the error is in the bot's log."
    for part in split_html(reply):
        try:
            await client.send_message(chat_id, part)
        except BotApiError as exc:  # an answer is not an alert: log it, don't retry forever
            log.warning("answer to /%s in chat %s not sent: %s", name, chat_id, exc)
            return


# --- the commands (run in a worker thread, inside one transaction) --------------------------

Handler = Callable[[Session, str, Config, ZoneInfo, datetime, "int | None"], str]


def _number(arg: str) -> int | None:
    """A count or id typed after a command: ASCII digits within 64 bits ("²" and "١" are digits
    to str.isdigit, and 10^20 no database column holds), else None."""
    arg = arg.strip()
    if not (arg.isascii() and arg.isdigit()) or len(arg) > len(str(INT64_MAX)):
        return None
    value = int(arg)
    return value if value <= INT64_MAX else None


def _brief_id(arg: str) -> int | None:
    return _number(arg.strip().lstrip("#"))


def _known_brief(s: Session, arg: str, command: str) -> BriefView | str:
    """The brief a command names, or the one-line answer saying why there is none."""
    brief_id = _brief_id(arg)
    if brief_id is None:
        return f"Usage: /{command} ID"
    view = monitor.brief_view(s, brief_id)
    return view if view is not None else f"No brief #{brief_id}."


def _ago(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 0:
        return "in the future?"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return f"{seconds} s ago"


def cmd_status(s: Session, arg: str, config: Config, zone: ZoneInfo, now: datetime, sender: int | None) -> str:
    channels = monitor.watch_status(s)
    counts = outbox.outbox_counts(s, now=now)
    lines = [f"👁 <b>Watching {len(channels)} channel{'s' if len(channels) != 1 else ''}</b>"]
    for c in channels:
        name = f"@{cards.esc(c.username)}" if c.username else cards.esc(c.title or c.channel_id)
        if c.last_posted_at is None:
            lines.append(f"• {name}: nothing archived yet")
            continue
        lag = ""
        if c.last_collected_at is not None:
            lag = f", collected {int((c.last_collected_at - c.last_posted_at).total_seconds())} s after posting"
        lines.append(f"• {name}: last post {c.last_message_id} at {cards.when(c.last_posted_at, zone)} "
                     f"({_ago(now - c.last_posted_at)}{lag})")
    lines.append(f"📬 Alerts: {counts.pending} pending ({counts.due} due), {counts.failed} failed, "
                 f"{counts.held} held, {counts.sent} sent")
    return "\n".join(lines)


def cmd_briefs(s: Session, arg: str, config: Config, zone: ZoneInfo, now: datetime, sender: int | None) -> str:
    digits = arg.strip()
    if digits.isascii() and digits.isdigit():  # "/briefs 10^30" is the most there are to show
        n = MAX_BRIEFS if len(digits) > 3 else max(1, min(int(digits), MAX_BRIEFS))
    else:
        n = DEFAULT_BRIEFS
    views = monitor.recent_briefs(s, n)
    if not views:
        return "No briefs yet."
    lines = [f"📝 <b>Newest {len(views)} briefs</b>"]
    for v in views:
        where = (f"@{cards.esc(v.channel_username)}" if v.channel_username
                 else cards.esc(v.channel_title or v.channel_id))
        platforms = ", ".join(cards.PLATFORM_NAMES.get(p, p) for p in v.data.get("platforms") or [])
        audio = (v.data.get("audio") or {}).get("title")
        bits = [f"<b>#{v.brief_id}</b> {where} {cards.when(v.posted_at, zone)}"]
        if platforms:
            bits.append(cards.esc(platforms))
        if audio:
            bits.append("🎵 " + cards.esc(audio[:60]))
        if v.deleted_at:
            bits.append("deleted")
        lines.append(" · ".join(bits) + f" — /brief {v.brief_id}")
    return "\n".join(lines)


def cmd_brief(s: Session, arg: str, config: Config, zone: ZoneInfo, now: datetime, sender: int | None) -> str:
    view = _known_brief(s, arg, "brief")
    if isinstance(view, str):
        return view
    brief_id = view.brief_id
    text = cards.brief_card("brief", view, zone)
    if outbox.is_muted(s, brief_id):
        text += "\n🔕 muted (/unmute " + str(brief_id) + ")"
    return text


def cmd_matches(s: Session, arg: str, config: Config, zone: ZoneInfo, now: datetime, sender: int | None) -> str:
    view = _known_brief(s, arg, "matches")
    if isinstance(view, str):
        return view
    brief_id = view.brief_id
    threshold = float(config["matching.threshold"])
    total, views = monitor.match_totals(s, brief_id, threshold=threshold)
    top = monitor.top_matches(s, brief_id, threshold=threshold, limit=MATCHES_SHOWN)
    return cards.match_card("matches", view, top, zone, total=total, views=views)


def cmd_mute(s: Session, arg: str, config: Config, zone: ZoneInfo, now: datetime, sender: int | None) -> str:
    view = _known_brief(s, arg, "mute")
    if isinstance(view, str):
        return view
    brief_id = view.brief_id
    dropped = outbox.mute_brief(s, brief_id, by=sender, now=now)
    return f"🔕 Brief #{brief_id} muted; {dropped} pending alert{'s' if dropped != 1 else ''} dropped."


def cmd_unmute(s: Session, arg: str, config: Config, zone: ZoneInfo, now: datetime, sender: int | None) -> str:
    brief_id = _brief_id(arg)
    if brief_id is None:
        return "Usage: /unmute ID"
    if outbox.unmute_brief(s, brief_id):
        return f"🔔 Brief #{brief_id} unmuted."
    return f"Brief #{brief_id} was not muted."


_HANDLERS: dict[str, Handler] = {
    "status": cmd_status,
    "briefs": cmd_briefs,
    "brief": cmd_brief,
    "matches": cmd_matches,
    "mute": cmd_mute,
    "unmute": cmd_unmute,
}
