"""Archive first, then derive: the one path every post takes into briefwatch.

Importers and the watcher hand posts to `ingest_posts` inside their transaction; it archives
them, parses every new or changed text into a brief, and (for live posts) queues the alerts, so
that a post, its brief and its alerts are committed together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.config import Config
from bot.entities import parser_entities
from parsers import PARSER_VERSION, parse_post
from parsers.brief import Brief, MediaHint
from storage.archive import (
    NO_BRIEF,
    BriefChange,
    archive_posts,
    brief_for_message,
    mark_deleted,
    save_brief,
    save_briefs,
)
from storage.models import Message
from storage.records import Media, RawPost

log = logging.getLogger(__name__)


@dataclass
class IngestStats:
    """Counts of one ingest call, added up by importers for their summary line."""

    posts: int = 0
    new: int = 0
    new_versions: int = 0
    parsed: int = 0
    briefs: int = 0
    deleted: int = 0
    brief_ids: list[int] = field(default_factory=list)

    def add(self, other: IngestStats) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass(frozen=True)
class Archived:
    """What became of one post in the archive, for the daemon's per-post log line."""

    channel_id: int
    message_id: int
    change: str  # "new", "edited", "unchanged" (seen before with the same text) or "deleted"
    brief_id: int | None  # the post's brief, None when it is not one


OnArchived = Callable[[Archived], None]


def _parse(text: str, entities: list[Any] | None, posted_at: datetime, media: Media | None, tz: str) -> Brief:
    """The one call into the parser: the post's own date anchors relative times, and its
    entities and attached file travel with the text."""
    hint = MediaHint(media.type, media.performer, media.title, media.file) if media else None
    return parse_post(text, posted_at=posted_at, tz=tz, media=hint, entities=parser_entities(text, entities))


def parse_post_of(post: RawPost, tz: str) -> Brief:
    """Parse a post as received (the importers' and the watcher's `RawPost`)."""
    return _parse(post.text, post.entities, post.posted_at, post.media, tz)


def parse_message(message: Message, tz: str) -> Brief:
    """Parse an archived message with the current parser."""
    media = None
    if message.media_type:
        media = Media(message.media_type, message.media_performer, message.media_title, message.media_file)
    return _parse(message.text or "", message.entities, message.posted_at, media, tz)


def reparse_message(session: Session, message: Message, *, config: Config, now: datetime,
                    alerts: bool) -> BriefChange:
    """Parse one archived message and store the result; queue alerts for live changes."""
    brief = parse_message(message, config["parsing.timezone"])
    if _parser_failed(brief, message.id):
        return NO_BRIEF
    change = save_brief(session, message.id, brief, parser_version=PARSER_VERSION, now=now)
    if alerts:
        _queue_brief_alerts(session, message.id, change, config)
    return change


def ingest_posts(session: Session, posts: Sequence[RawPost], *, config: Config, now: datetime,
                 alerts: bool, on_archived: OnArchived | None = None) -> IngestStats:
    """Archive `posts`, parse each new or changed text, store briefs; all in the caller's transaction.

    `on_archived` hears what became of each post (the daemon logs live posts with it).
    """
    stats = IngestStats(posts=len(posts))
    results = archive_posts(session, posts, now=now)
    tz = config["parsing.timezone"]
    parsed: list[tuple[int, Brief]] = []
    created: set[int] = set()
    for post, result in zip(posts, results):
        stats.new += result.created
        stats.new_versions += result.text_changed and not result.created
        if post.is_service or not result.text_changed:
            continue
        brief = parse_post_of(post, tz)
        if _parser_failed(brief, result.message_pk):
            continue
        parsed.append((result.message_pk, brief))
        if result.created:
            created.add(result.message_pk)
    changes = save_briefs(session, parsed, parser_version=PARSER_VERSION, now=now, new_messages=frozenset(created))
    for (message_pk, _brief), change in zip(parsed, changes):
        stats.parsed += 1
        stats.briefs += change.created
        if change.brief_id is not None:
            stats.brief_ids.append(change.brief_id)
        if alerts:
            _queue_brief_alerts(session, message_pk, change, config)
    if on_archived is not None:
        brief_ids = {pk: change.brief_id for (pk, _brief), change in zip(parsed, changes)}
        for post, result in zip(posts, results):
            pk = result.message_pk
            change_name = "new" if result.created else "edited" if result.text_changed else "unchanged"
            brief_id = brief_ids[pk] if pk in brief_ids else _brief_id(session, pk)
            on_archived(Archived(post.channel.id, post.message_id, change_name, brief_id))
    return stats


def ingest_deletions(session: Session, channel_id: int, message_ids: Sequence[int], *, config: Config,
                     now: datetime, alerts: bool = True, on_archived: OnArchived | None = None) -> IngestStats:
    """Mark posts deleted (content kept) and alert monitors about deleted briefs.

    `on_archived` hears of each post newly marked deleted.
    """
    marked = mark_deleted(session, channel_id, message_ids, now=now)
    if alerts or on_archived is not None:
        for message_pk in marked:
            brief = brief_for_message(session, message_pk)
            if alerts and brief is not None:
                _alert_hook("on_brief_deleted", session, message_pk, brief.id, config)
            if on_archived is not None:
                message = session.get(Message, message_pk)
                assert message is not None  # just marked
                on_archived(Archived(channel_id, message.message_id, "deleted", brief.id if brief else None))
    return IngestStats(deleted=len(marked))


def _brief_id(session: Session, message_pk: int) -> int | None:
    brief = brief_for_message(session, message_pk)
    return brief.id if brief is not None else None


def _parser_failed(brief: Brief, message_pk: int) -> bool:
    """A parser bug is logged and the post left unparsed (`reparse --outdated` retries it),
    never recorded as "not a brief"; the post itself is archived either way."""
    error = brief.extra.get("error")
    if error:
        log.warning("parser failed on message pk %s, left unparsed: %s", message_pk, error)
    return bool(error)


def _queue_brief_alerts(session: Session, message_pk: int, change: BriefChange, config: Config) -> None:
    if change.brief_id is None or change.status == "deleted":
        return
    if change.created:
        _alert_hook("on_new_brief", session, message_pk, change.brief_id, config)
    elif change.removed:
        _alert_hook("on_brief_withdrawn", session, message_pk, change.brief_id, config)
    elif change.changed:
        shown = [f for f in change.fields if f != "confidence"]  # what a monitor should look at
        _alert_hook("on_brief_edited", session, message_pk, change.brief_id, config, changed=shown)


def _alert_hook(name: str, *args: Any, **kwargs: Any) -> None:
    """Call bot.alerts.events.<name>; the outbox write joins the caller's transaction."""
    from bot.alerts import events  # local: alerts import ingest's callers' modules

    getattr(events, name)(*args, **kwargs)
