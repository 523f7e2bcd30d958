"""Alert cards: compact Telegram HTML a monitor can read on a phone.

Every piece of text that came from a channel or an imported video (titles, hashtags, captions,
authors, URLs) goes through `esc` (`html.escape`, quotes too) before it meets markup: channel
admins write `<`, `&` and fake tags, and one unescaped character makes Telegram refuse the whole
alert. Times are shown in the monitors' zone (`bot.timezone`); the post window, pay and audience
read as in the demo and `report` (bot.brief_text, in its TELEGRAM style). Long texts are cut *before*
escaping, so a cut never splits an entity; the whole card is split by `bot.alerts.split`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import brief_text
from bot.brief_text import TELEGRAM as STYLE
from parsers.brief import Pay, PostWindow
from storage.bursts import StoredBurst
from storage.matches import CampaignVideo
from storage.monitor import BriefView

PLATFORM_NAMES: dict[str, str] = {
    "tiktok": "TikTok",
    "instagram": "Instagram",
    "youtube": "YouTube",
    "vk": "VK",
    "telegram": "Telegram",
    "likee": "Likee",
}

# How each kind of alert is headed: (emoji, title).
HEADINGS: dict[str, tuple[str, str]] = {
    "new_brief": ("🆕", "New brief"),
    "brief_edited": ("✏️", "Brief edited"),
    "brief_deleted": ("🗑", "Brief deleted"),
    "brief_withdrawn": ("↩️", "Brief withdrawn"),
    "first_matches": ("🎯", "First videos answering brief"),
    "campaign_videos": ("📈", "Campaign passed {n} videos"),
    "campaign_views": ("📈", "Campaign passed {n} views"),
    "burst": ("🌊", "Burst: {n} accounts"),
    "test": ("🔔", "Test alert"),
    "brief": ("📝", "Brief"),
    "matches": ("🎯", "Matches of brief"),
}

MAX_TAGS = 15
MAX_QUOTE = 300
MAX_URL = 1024  # longer links are shown as text only: an href must fit in one message part


def esc(value: object) -> str:
    """Escape anything for Telegram HTML (text and attribute values)."""
    return html.escape(str(value), quote=True)


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links become hrefs; anything else would be refused or be a trick."""
    url = (url or "").strip()
    if url.lower().startswith(("https://", "http://")) and len(url) <= MAX_URL and not any(c.isspace() for c in url):
        return url
    return None


def link(url: str | None, label: str) -> str:
    """`label` (already escaped) linked to `url` when it is a safe http(s) URL."""
    safe = _safe_url(url)
    return f'<a href="{esc(safe)}">{label}</a>' if safe else label


def post_url(view: BriefView) -> str:
    if view.channel_username:
        return f"https://t.me/{view.channel_username}/{view.message_id}"
    return f"https://t.me/c/{view.channel_id}/{view.message_id}"


def number(n: float) -> str:
    """12 345 (thin-space thousands, as Russian monitors read them)."""
    return brief_text.number(n, STYLE.thousands)


def when(dt: datetime | None, zone: ZoneInfo, *, with_date: bool = True) -> str:
    if dt is None:
        return "?"
    local = dt.astimezone(zone)
    return local.strftime("%d %b %H:%M %Z" if with_date else "%H:%M %Z")


def _window(window: dict[str, Any] | None, zone: ZoneInfo) -> str | None:
    return brief_text.window_text(PostWindow.from_json(window), zone, STYLE)


def _pay(pay: dict[str, Any] | None) -> str | None:
    text = brief_text.pay_text(Pay.from_json(pay), STYLE)
    return esc(text) if text else None


def _audio(audio: dict[str, Any] | None) -> str | None:
    if not audio:
        return None
    title, artist = audio.get("title"), audio.get("artist")
    label = " — ".join(esc(_cut(x, 120)) for x in (title, artist) if x) or "sound"
    text = link(audio.get("url"), label)
    if audio.get("music_id") and not title:
        text += f" (id {esc(audio['music_id'])})"
    return text


def _tags(items: Sequence[str], sign: str) -> str | None:
    if not items:
        return None
    shown = " ".join(esc(sign + _cut(t, 60)) for t in items[:MAX_TAGS])
    more = len(items) - MAX_TAGS
    return shown + (f" +{more} more" if more > 0 else "")


def heading(kind: str, *, n: int | None = None) -> tuple[str, str]:
    emoji, title = HEADINGS.get(kind, ("🔔", kind.replace("_", " ")))
    return emoji, title.format(n=number(n) if n is not None else "")


def brief_lines(view: BriefView, zone: ZoneInfo, *, full: bool = True) -> list[str]:
    """The body of a brief card, one self-contained (balanced-markup) line each."""
    data = view.data
    lines: list[str] = []
    channel = esc(view.channel_title or view.channel_username or view.channel_id)
    handle = f" @{esc(view.channel_username)}" if view.channel_username and view.channel_title else ""
    lines.append(f"📣 <b>{channel}</b>{handle}")
    stamp = f"🕒 {when(view.posted_at, zone)}"
    if view.edited_at:
        stamp += f" · edited {when(view.edited_at, zone)}"
    if view.deleted_at:
        stamp += f" · <b>deleted {when(view.deleted_at, zone)}</b>"
    if view.status == "withdrawn":
        stamp += " · <b>withdrawn</b>"
    lines.append(stamp)
    platforms = [PLATFORM_NAMES.get(p, p) for p in data.get("platforms") or []]
    if platforms:
        lines.append("📱 " + esc(", ".join(platforms)))
    attached = _attachment(view)
    if attached:
        lines.append(attached)
    for prefix, value in (
        ("🎵 ", _audio(data.get("audio"))),
        ("#️⃣ ", _tags(data.get("hashtags") or [], "#")),
        ("👤 ", _tags(data.get("mentions") or [], "@") if full else None),
        ("⏰ ", _window(data.get("post_window"), zone)),
        ("💰 ", _pay(data.get("pay"))),
    ):
        if value:
            lines.append(prefix + value)
    audience = brief_text.audience_text(data.get("min_followers"), data.get("min_views"), STYLE)
    if audience:
        lines.append("👥 " + esc(audience))
    if full:
        if data.get("delete_after"):
            lines.append("🧹 must delete the video afterwards")
        if data.get("caption"):
            lines.append(f"💬 <i>{esc(_cut(data['caption'], MAX_QUOTE))}</i>")
        if data.get("script"):
            lines.append(f"🎤 <i>{esc(_cut(data['script'], MAX_QUOTE))}</i>")
    lines.append("🔗 " + link(post_url(view), esc(post_url(view))))
    return lines


ATTACHMENT_NAMES: dict[str, str] = {"audio_file": "audio file", "voice_message": "voice message"}
ATTACHMENT_STATES: dict[str, str] = {
    "done": "kept in the media store", "pending": "not downloaded yet", "too_big": "too big to keep",
    "missing": "file not available", "failed": "download failed",
}


def _attachment(view: BriefView) -> str | None:
    """An attached audio file or voice note is often the sound creators must use: say so, and
    whether the file itself is kept in the media store."""
    media = view.attachment
    if media is None or media.kind not in ATTACHMENT_NAMES:
        return None
    name = " — ".join(esc(_cut(x, 120)) for x in (media.performer, media.title) if x)
    kept = ATTACHMENT_STATES.get(media.status or "pending", media.status or "")
    return f"📎 attached {ATTACHMENT_NAMES[media.kind]}{': ' + name if name else ''} ({kept})"


def brief_card(kind: str, view: BriefView, zone: ZoneInfo, *, changed: Sequence[str] = (),
               before: str | None = None) -> str:
    """New / edited / withdrawn / deleted brief alerts, and /brief ID; `before`: the post's previous text."""
    emoji, title = heading(kind)
    lines = [f"{emoji} <b>{esc(title)}</b> #{view.brief_id}"]
    if changed:
        lines.append("changed: " + esc(", ".join(changed)))
    if before is not None:
        lines.append(f"was: <i>{esc(_cut(before, MAX_QUOTE))}</i>")
    if kind == "brief_deleted":
        lines.append(f"The post was deleted; its text and brief stay archived (/brief {view.brief_id}).")
    if kind == "brief_withdrawn":
        lines.append("The post was edited and no longer reads as a brief; the brief it was stays "
                     f"archived (/brief {view.brief_id}).")
    lines.extend(brief_lines(view, zone))
    return "\n".join(lines)


def _video_url(match: CampaignVideo) -> str | None:
    if _safe_url(match.url):
        return match.url
    if match.platform == "youtube":
        return f"https://www.youtube.com/watch?v={match.video_id}"
    if match.platform == "tiktok" and match.author:
        return f"https://www.tiktok.com/@{match.author}/video/{match.video_id}"
    return None


def why(evidence: dict[str, Any]) -> str:
    """The evidence components, strongest first: "audio 1.00, time 1.00, hashtags 0.50"."""
    numeric = [(k, float(v)) for k, v in evidence.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    shown = [f"{esc(k)} {v:.2f}" for k, v in sorted(numeric, key=lambda kv: -kv[1]) if v > 0]
    shown += [esc(k) for k, v in evidence.items() if v is True]
    return ", ".join(shown) or "—"


def match_lines(matches: Sequence[CampaignVideo], zone: ZoneInfo, *, scores: bool = True) -> list[str]:
    """One numbered line per video (platform, author, views, time), and its score and evidence
    below it when `scores` (a burst's videos have none of their own)."""
    lines = []
    for n, m in enumerate(matches, 1):
        who = f" · @{esc(_cut(m.author, 40))}" if m.author else ""
        label = f"{esc(PLATFORM_NAMES.get(m.platform, m.platform))}{who}"
        views = f" · {number(m.views)} views" if m.views is not None else ""
        posted = f" · {when(m.posted_at, zone)}" if m.posted_at else ""
        lines.append(f"{n}. {link(_video_url(m), label)}{views}{posted}")
        if scores:
            lines.append(f"    score {m.score:.2f}: {why(m.evidence)}")
    return lines


def match_card(kind: str, view: BriefView, matches: Sequence[CampaignVideo], zone: ZoneInfo, *,
               total: int, views: int, threshold: int | None = None) -> str:
    """First-matches and campaign alerts, and /matches ID."""
    emoji, title = heading(kind, n=threshold)
    lines = [f"{emoji} <b>{esc(title)}</b> #{view.brief_id}"]
    lines.append(f"{number(total)} matched videos, {number(views)} views in all")
    lines.extend(brief_lines(view, zone, full=False))
    if matches:
        lines.append(f"<b>Top {len(matches)}:</b>")
        lines.extend(match_lines(matches, zone))
    return "\n".join(lines)


def burst_card(burst: StoredBurst, top: Sequence[CampaignVideo], zone: ZoneInfo, *,
               brief: BriefView | None = None) -> str:
    """A new burst (`campaigns`, found by the daemon): what it shares, when, how big, and the brief
    behind it, or the plain statement that none explains it: that is the lead worth a look."""
    emoji, title = heading("burst", n=burst.accounts)
    lines = [f"{emoji} <b>{esc(title)}</b>"]
    if burst.sound:
        sound = esc(_cut(burst.sound, 120))
        lines.append("🎵 " + sound + (f" (id {esc(burst.music_id)})" if burst.music_id else ""))
    tags = _tags(list(burst.hashtags), "#")
    if tags:
        lines.append("#️⃣ " + tags)
    hours = (burst.end - burst.start).total_seconds() / 3600
    lines.append(f"🕒 {when(burst.start, zone)} → {when(burst.end, zone)} ({hours:.1f} h)")
    reach = f"{number(burst.views)} views" if burst.views is not None else "views unknown"
    lines.append(f"👥 {number(burst.accounts)} accounts, {number(burst.videos)} videos, {reach} · "
                 f"score {burst.score:.1f}")
    if brief is not None:
        lines.append(f"🧩 explained by brief #{brief.brief_id}: " + link(post_url(brief), esc(post_url(brief))))
    elif burst.channel_id is not None:
        lines.append(f"🧩 explained by post {burst.channel_id}/{burst.message_id}")
    else:
        lines.append("❓ no archived brief explains it: a lead to a channel not watched")
    if top:
        lines.append(f"<b>Top {len(top)}:</b>")
        lines.extend(match_lines(top, zone, scores=False))
    lines.append(f"(burst {burst.id}: SELECT * FROM bursts WHERE id = {burst.id})")
    return "\n".join(lines)


def test_card(now: datetime, zone: ZoneInfo, chats: Sequence[int]) -> str:
    emoji, title = heading("test")
    return (f"{emoji} <b>{esc(title)}</b> from briefwatch\n"
            f"🕒 {when(now, zone)}\nMonitors: {esc(', '.join(str(c) for c in chats))}")
