"""A brief's parts as short text for people: the post window, the pay, the audience, the sound.

The demo, `briefwatch report` and the alert cards all show these parts and take them from here,
so no view prints `None` for a part the post left open, nor a range whose two ends read the
same ("3000–3000 RUB", "21:00 – 21:00"): ends that print alike are shown once. Each function
returns None when the brief says nothing about its part, and the caller leaves the line out.

A `Style` holds what differs between views: the thousands separator, the date and time
formats, the arrow of a window and whether the zone's name follows the last time shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from parsers.brief import Audio, Pay, PostWindow


@dataclass(frozen=True)
class Style:
    thousands: str = ","  # 2,000
    date: str = "%Y-%m-%d"
    time: str = "%H:%M"
    arrow: str = " → "
    zone_name: bool = False  # "… 21:00 MSK"


# The terminal (demo, report): 2026-02-22 18:00 → 21:00, 2,000–20,000 RUB; the zone is in the heading.
TERMINAL = Style()
# Alert cards on a phone: 22 Feb 18:00 – 21:00 MSK, 2 000–20 000 RUB (narrow no-break space).
TELEGRAM = Style(thousands="\u202f", date="%d %b", arrow=" – ", zone_name=True)


def number(value: float, thousands: str = ",") -> str:
    """2,000 or 0.5: thousands grouped with `thousands`, decimals only when the value has them."""
    shown = int(value) if float(value).is_integer() else value
    return f"{shown:,}".replace(",", thousands)


def moment(value: datetime, zone: ZoneInfo, style: Style = TERMINAL) -> str:
    """One point in time in `zone`: "2026-02-22 18:00" (TERMINAL), "22 Feb 18:00 MSK" (TELEGRAM)."""
    local = value.astimezone(zone)
    text = local.strftime(f"{style.date} {style.time}")
    return f"{text} {local:%Z}" if style.zone_name else text


def window_text(window: PostWindow | None, zone: ZoneInfo, style: Style = TERMINAL) -> str | None:
    """"from X", "until Y", "X → Y" (the day shown once when both ends fall on it), "at X"."""
    if window is None:
        return None
    if window.start is None:
        return f"until {moment(window.end, zone, style)}" if window.end is not None else None
    if window.end is None:
        return f"from {moment(window.start, zone, style)}"
    first, last = moment(window.start, zone, style), moment(window.end, zone, style)
    if first == last:  # "ровно в 21:00": one moment, start = end
        return f"at {first}"
    start, end = window.start.astimezone(zone), window.end.astimezone(zone)
    shown_start = start.strftime(f"{style.date} {style.time}")
    if start.date() == end.date():
        last = end.strftime(style.time) + (f" {end:%Z}" if style.zone_name else "")
    return f"{shown_start}{style.arrow}{last}"


def pay_text(pay: Pay | None, style: Style = TERMINAL) -> str | None:
    """"3000 RUB", "2000–20000 RUB", "from 2000 RUB", "up to 500 USD", "name your price"."""
    if pay is None:
        return None
    low = number(pay.min, style.thousands) if pay.min is not None else None
    high = number(pay.max, style.thousands) if pay.max is not None else None
    if low is not None and high is not None:
        amount = low if low == high else f"{low}–{high}"
    elif low is not None:
        amount = f"from {low}"  # "от 3000", or a bonus with no amount on top
    elif high is not None:
        amount = f"up to {high}"
    else:
        amount = None
    if amount is not None and pay.currency:
        amount = f"{amount} {pay.currency}"
    if pay.negotiable:
        return f"{amount} (negotiable)" if amount else "name your price"
    if amount is None:  # the post speaks of pay but names no amount
        return f"amount not stated ({pay.currency})" if pay.currency else "amount not stated"
    return amount


def audience_text(min_followers: int | None, min_views: int | None, style: Style = TERMINAL) -> str | None:
    """"≥100,000 followers · ≥10,000 views": the lowest audience that qualifies."""
    parts = []
    if min_followers:
        parts.append(f"≥{number(min_followers, style.thousands)} followers")
    if min_views:
        parts.append(f"≥{number(min_views, style.thousands)} views")
    return " · ".join(parts) or None


def sound_text(audio: Audio | None) -> str | None:
    """"Title — Artist (music id N)"; a required sound the post only points at says so."""
    if audio is None:
        return None
    name = " — ".join(part for part in (audio.title, audio.artist) if part)
    if name:
        return f"{name} (music id {audio.music_id})" if audio.music_id else name
    if audio.music_id:
        return f"music id {audio.music_id}"
    return audio.url or "a required sound the post does not name"
