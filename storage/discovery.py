"""Channels the watched ones name: candidates for `briefwatch channels discover`.

Recruitment channels come in clusters that point at each other, so the next channels to watch are
named inside the archived posts of the ones we watch, three ways:

- **forwards**: a post forwarded from a channel (`messages.forwarded_from` is `channel<ID>`);
- **@mentions**: `@username` in the text (Telegram usernames: a letter first, 5 to 32 letters,
  digits and underscores), bots (`…bot`) left out;
- **t.me links**: in the text or behind a text link (`entities[].href`): `t.me/<username>`
  (and `/<post>`), `t.me/s/<username>`, `t.me/c/<ID>/<post>` (a channel known by id only), and
  private invite links (`t.me/+HASH`, `t.me/joinchat/HASH`), which are listed and never joined.

A channel naming itself does not count. The candidates are read in one pass over the watched
channels' posts (streamed, so a big archive is never loaded whole).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Channel, Message

_USERNAME = r"[A-Za-z][A-Za-z0-9_]{3,31}"
_MENTION = re.compile(rf"(?<![\w@/.])@({_USERNAME})(?![\w@])")
_LINK = re.compile(
    rf"(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)/"
    rf"(?:(?:joinchat/|\+)(?P<invite>[\w-]{{8,}})|c/(?P<cid>\d{{5,}})|s/(?P<s>{_USERNAME})|(?P<user>{_USERNAME}))"
    r"(?![\w-])", re.IGNORECASE)
# t.me paths that are not channels.
_RESERVED = frozenset({"addstickers", "addemoji", "addlist", "addtheme", "share", "proxy", "socks", "iv",
                       "login", "setlanguage", "confirmphone", "bg", "invoice", "boost", "giftcode", "contact"})
_FORWARD = re.compile(r"^channel(\d+)$")

FORWARD, MENTION, LINK = "forward", "mention", "link"


@dataclass(frozen=True)
class Named:
    """One naming of a channel in a post: by username, by id, or by a private invite hash."""

    how: str  # FORWARD, MENTION or LINK
    username: str | None = None
    channel_id: int | None = None
    invite: str | None = None

    @property
    def key(self) -> str:
        if self.invite is not None:
            return f"+{self.invite}"
        if self.username is not None:
            return self.username.casefold()
        return f"id:{self.channel_id}"


def named_in(text: str | None, entities: Iterable[dict[str, Any]] | None, forwarded_from: str | None) -> list[Named]:
    """Every channel one post names (pure: the post's text, entities and forward header)."""
    out: list[Named] = []
    if forwarded_from and (m := _FORWARD.match(forwarded_from)):
        out.append(Named(FORWARD, channel_id=int(m.group(1))))
    body = text or ""
    for m in _MENTION.finditer(body):
        if not m.group(1).casefold().endswith("bot"):
            out.append(Named(MENTION, username=m.group(1)))
    hrefs = [e["href"] for e in entities or () if isinstance(e, dict) and isinstance(e.get("href"), str)]
    for source in (body, *hrefs):
        for m in _LINK.finditer(source):
            if m.group("invite"):
                out.append(Named(LINK, invite=m.group("invite")))
            elif m.group("cid"):
                out.append(Named(LINK, channel_id=int(m.group("cid"))))
            else:
                name = m.group("s") or m.group("user")
                if name.casefold() not in _RESERVED and not name.casefold().endswith("bot"):
                    out.append(Named(LINK, username=name))
    return out


@dataclass
class Candidate:
    """A channel the watched ones name, with how often and since when."""

    key: str
    username: str | None = None
    channel_id: int | None = None
    invite: str | None = None
    title: str | None = None
    access_hash: int | None = None
    watched: bool = False
    counts: dict[str, int] = field(default_factory=lambda: {FORWARD: 0, MENTION: 0, LINK: 0})
    named_by: set[int] = field(default_factory=set)  # watched channels naming it
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    @property
    def mentions(self) -> int:
        return sum(self.counts.values())


def _posts(session: Session) -> Iterator[tuple[int, datetime, str | None, Any, str | None]]:
    query = (select(Message.channel_id, Message.posted_at, Message.text, Message.entities, Message.forwarded_from)
             .join(Channel, Channel.id == Message.channel_id).where(Channel.watched.is_(True))
             .execution_options(yield_per=1000))
    for row in session.execute(query):
        yield row.channel_id, row.posted_at, row.text, row.entities, row.forwarded_from


def candidates(session: Session, *, min_mentions: int = 1, include_watched: bool = True) -> list[Candidate]:
    """The channels named in watched channels' posts, most named first."""
    channels = list(session.scalars(select(Channel)))
    by_id = {c.id: c for c in channels}
    by_name = {c.username.casefold(): c for c in channels if c.username}
    found: dict[str, Candidate] = {}
    for channel_id, posted_at, text, entities, forwarded_from in _posts(session):
        own = by_id.get(channel_id)
        for named in named_in(text, entities if isinstance(entities, list) else None, forwarded_from):
            known = (by_name.get(named.username.casefold()) if named.username is not None
                     else by_id.get(named.channel_id) if named.channel_id is not None else None)
            if known is not None and known.id == channel_id or (own is not None and own.username and
                                                                named.key == own.username.casefold()):
                continue  # a channel naming itself
            key = f"id:{known.id}" if known is not None else named.key
            cand = found.get(key)
            if cand is None:
                cand = found[key] = Candidate(key=key, username=named.username, channel_id=named.channel_id,
                                              invite=named.invite)
                if known is not None:
                    cand.username, cand.channel_id = known.username or named.username, known.id
                    cand.title, cand.access_hash, cand.watched = known.title, known.access_hash, known.watched
            cand.counts[named.how] += 1
            cand.named_by.add(channel_id)
            cand.first_seen = posted_at if cand.first_seen is None else min(cand.first_seen, posted_at)
            cand.last_seen = posted_at if cand.last_seen is None else max(cand.last_seen, posted_at)
    out = [c for c in found.values() if c.mentions >= min_mentions and (include_watched or not c.watched)]
    return sorted(out, key=lambda c: (-c.mentions, -len(c.named_by), c.key))


__all__ = ["FORWARD", "LINK", "MENTION", "Candidate", "Named", "candidates", "named_in"]
