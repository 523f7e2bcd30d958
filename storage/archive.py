"""Repository API of the archive: channels, posts with their versions, deletions, briefs, cursors.

Every function works inside the caller's session and transaction (`storage.db.transaction`), so
an importer or the watcher can archive a post, store its brief and queue alerts atomically.
The rule everywhere: archive first, never lose anything. An edit adds a version; a deletion
only sets `deleted_at`; an older copy of a post (an old export) never overwrites a newer text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from parsers.brief import Brief
from parsers.keys import audio_key, hashtag_key
from storage.media import queue_media
from storage.models import (
    BriefAudioKey,
    BriefHashtag,
    BriefRow,
    BriefVersion,
    Channel,
    Message,
    MessageVersion,
    SyncState,
)
from storage.records import ChannelRef, RawPost


@dataclass(frozen=True)
class ArchiveResult:
    """What archiving one post did: `text_changed` is True for a new post, or when the newest
    text differs from the one stored (a new text, or an edit back to an earlier one); an older
    copy, e.g. from an old export, only adds a version."""

    message_pk: int
    created: bool
    text_changed: bool


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# --- channels -----------------------------------------------------------------------------


def upsert_channel(session: Session, ref: ChannelRef, *, now: datetime, watched: bool | None = None) -> Channel:
    """Insert or refresh a channel; known fields are never blanked by a source that lacks them."""
    channel = session.get(Channel, ref.id)
    if channel is None:
        channel = Channel(id=ref.id, username=ref.username, title=ref.title, access_hash=ref.access_hash,
                          watched=bool(watched), added_at=now)
        session.add(channel)
        session.flush()
        return channel
    if ref.username:
        channel.username = ref.username
    if ref.title:
        channel.title = ref.title
    if ref.access_hash is not None:
        channel.access_hash = ref.access_hash
    if watched is not None:
        channel.watched = watched
    return channel


def watched_channels(session: Session) -> list[Channel]:
    return list(session.scalars(select(Channel).where(Channel.watched.is_(True)).order_by(Channel.id)))


def list_channels(session: Session, *, watched_only: bool) -> list[Channel]:
    """Channels for people: watched first, then by username."""
    query = select(Channel).order_by(Channel.watched.desc(), Channel.username)
    if watched_only:
        query = query.where(Channel.watched.is_(True))
    return list(session.scalars(query))


def post_counts(session: Session) -> dict[int, int]:
    """Archived messages per channel id."""
    query = select(Message.channel_id, func.count()).group_by(Message.channel_id)
    return {channel_id: int(n) for channel_id, n in session.execute(query)}


def find_channel(session: Session, name_or_id: str | int) -> Channel | None:
    """A channel by bare id or by username (case-insensitive, with or without '@')."""
    if isinstance(name_or_id, int) or str(name_or_id).lstrip("-").isdigit():
        return session.get(Channel, abs(int(name_or_id)))
    name = str(name_or_id).lstrip("@").lower()
    return session.scalars(select(Channel).where(func.lower(Channel.username) == name)).first()


# --- posts ----------------------------------------------------------------------------------


def _media_columns(post: RawPost) -> dict[str, Any]:
    m = post.media
    return {
        "media_type": m.type if m else None,
        "media_performer": m.performer if m else None,
        "media_title": m.title if m else None,
        "media_file": m.file if m else None,
    }


def _version_time(post: RawPost) -> datetime:
    return post.edited_at or post.posted_at


def archive_posts(session: Session, posts: Sequence[RawPost], *, now: datetime) -> list[ArchiveResult]:
    """Archive a batch of posts; results in the order given.

    Built for bulk imports: one SELECT finds the posts already archived, new posts and their
    first versions go in with one multi-row INSERT each, and only posts seen before are
    touched one by one. Channels are upserted from the posts' `ChannelRef`s.
    """
    if not posts:
        return []
    for ref in {p.channel.id: p.channel for p in posts}.values():
        upsert_channel(session, ref, now=now)
    existing = _load_existing(session, {(p.channel.id, p.message_id) for p in posts})
    shas = _load_version_shas(session, [m.id for m in existing.values()])
    results: list[ArchiveResult | None] = [None] * len(posts)
    pending: dict[tuple[int, int], int] = {}  # new post key -> index in `posts`
    for i, post in enumerate(posts):
        key = (post.channel.id, post.message_id)
        if key in pending:  # the same post twice in one batch: insert the first, then update
            _insert_new(session, posts, pending, results, existing, shas, now, reload=True)
        message = existing.get(key)
        if message is None:
            pending[key] = i
        else:
            results[i] = _update_existing(session, message, post, shas.setdefault(message.id, set()), now)
    _insert_new(session, posts, pending, results, existing, shas, now)
    session.flush()
    done = [r for r in results if r is not None]
    queue_media(session, posts, [r.message_pk for r in done], now=now)  # downloaded later, never here
    return done


def _load_existing(session: Session, keys: set[tuple[int, int]]) -> dict[tuple[int, int], Message]:
    found: dict[tuple[int, int], Message] = {}
    for chunk in _chunks(sorted(keys), 400):
        rows = session.scalars(select(Message).where(tuple_(Message.channel_id, Message.message_id).in_(chunk)))
        found.update({(m.channel_id, m.message_id): m for m in rows})
    return found


def _load_version_shas(session: Session, message_pks: Sequence[int]) -> dict[int, set[str]]:
    shas: dict[int, set[str]] = {}
    for chunk in _chunks(message_pks, 400):
        query = select(MessageVersion.message_pk, MessageVersion.text_sha256).where(MessageVersion.message_pk.in_(chunk))
        for pk, sha in session.execute(query):
            shas.setdefault(pk, set()).add(sha)
    return shas


def _insert_new(session: Session, posts: Sequence[RawPost], pending: dict[tuple[int, int], int],
                results: list[ArchiveResult | None], existing: dict[tuple[int, int], Message],
                shas: dict[int, set[str]], now: datetime, *, reload: bool = False) -> None:
    """Multi-row INSERT of the pending new posts (their one text is the message row's)."""
    if not pending:
        return
    order = list(pending.items())
    rows = []
    for _key, i in order:
        post = posts[i]
        rows.append({
            "channel_id": post.channel.id, "message_id": post.message_id, "posted_at": post.posted_at,
            "text": post.text, "entities": post.entities, "raw": post.raw, "is_service": post.is_service,
            "forwarded_from": post.forwarded_from, "reply_to": post.reply_to, "views": post.views,
            "edited_at": post.edited_at, "collected_at": now, "source": post.source, **_media_columns(post),
        })
    pks = session.scalars(insert(Message).returning(Message.id, sort_by_parameter_order=True), rows).all()
    for (_key, i), pk in zip(order, pks):
        shas[pk] = set()  # no version rows until a second text comes (see _update_existing)
        results[i] = ArchiveResult(pk, created=True, text_changed=True)
    pending.clear()
    if reload:  # a post repeated later in the batch needs the ORM object of the row just inserted
        loaded = session.scalars(select(Message).where(Message.id.in_(list(pks))))
        existing.update({(m.channel_id, m.message_id): m for m in loaded})


def _update_existing(session: Session, message: Message, post: RawPost, stored: set[str],
                     now: datetime) -> ArchiveResult:
    """A post seen before: a new distinct text adds a version; only a newer copy updates the row.

    `message_versions` holds the texts of posts that have had more than one: a post with one
    text has no row there (its text and raw object are the message row's), which keeps an
    archive from holding every post twice. The second text adds both: the first one, dated when
    it was collected, and the new one. A version's `raw` is NULL while it is the current text.
    """
    sha = text_sha256(post.text)
    current_sha = text_sha256(message.text)
    new_text = sha not in stored and sha != current_sha
    is_newest = _version_time(post) >= (message.edited_at or message.posted_at)
    # An edit back to an earlier text adds no version but changes the post: it must be parsed.
    text_changed = is_newest and message.text != post.text
    if new_text and not stored:
        _add_first_version(session, message, current_sha, superseded=is_newest)
        stored.add(current_sha)
    elif text_changed:
        # The version that was current keeps the raw object it was received with.
        session.execute(update(MessageVersion)
                        .where(MessageVersion.message_pk == message.id, MessageVersion.raw.is_(None))
                        .values(raw=message.raw))
    if new_text:
        session.add(MessageVersion(message_pk=message.id, text=post.text, text_sha256=sha,
                                   raw=None if is_newest else post.raw,
                                   edited_at=post.edited_at, first_seen_at=now))
        stored.add(sha)
    if is_newest:
        if message.text != post.text:
            message.text = post.text
            message.entities = post.entities
            message.raw = post.raw
            for column, value in _media_columns(post).items():
                setattr(message, column, value)
        if post.edited_at and post.edited_at != message.edited_at:
            message.edited_at = post.edited_at
        if post.views is not None and post.views != message.views:
            message.views = post.views
        if message.deleted_at is not None and post.source in ("live", "backfill"):
            message.deleted_at = None  # seen again: the deletion sweep was wrong
            set_brief_deleted(session, [message.id], deleted=False, now=now)
    return ArchiveResult(message.id, created=False, text_changed=text_changed)


def _add_first_version(session: Session, message: Message, sha: str, *, superseded: bool) -> None:
    """The post's first text as a version row, now that it has a second; briefs parsed from it
    get their link to it."""
    version = MessageVersion(message_pk=message.id, text=message.text, text_sha256=sha,
                             raw=message.raw if superseded else None, edited_at=message.edited_at,
                             first_seen_at=message.collected_at)
    session.add(version)
    session.flush()
    briefs = select(BriefRow.id).where(BriefRow.message_pk == message.id).scalar_subquery()
    session.execute(update(BriefVersion)
                    .where(BriefVersion.brief_id == briefs, BriefVersion.message_version_pk.is_(None))
                    .values(message_version_pk=version.id))


def archive_post(session: Session, post: RawPost, *, now: datetime) -> ArchiveResult:
    return archive_posts(session, [post], now=now)[0]


def mark_deleted(session: Session, channel_id: int, message_ids: Iterable[int], *, now: datetime) -> list[int]:
    """Set deleted_at on these posts (content kept); returns the message pks newly marked."""
    ids = sorted(set(message_ids))
    marked: list[int] = []
    for chunk in _chunks(ids, 400):
        rows = session.scalars(
            select(Message).where(Message.channel_id == channel_id, Message.message_id.in_(chunk),
                                  Message.deleted_at.is_(None))
        )
        for message in rows:
            message.deleted_at = now
            marked.append(message.id)
    session.flush()
    set_brief_deleted(session, marked, deleted=True, now=now)
    return marked


def last_message_id(session: Session, channel_id: int) -> int | None:
    return session.scalar(select(func.max(Message.message_id)).where(Message.channel_id == channel_id))


def recent_message_ids(session: Session, channel_id: int, limit: int) -> list[int]:
    """Ids of the newest `limit` posts not yet known deleted, newest first (for the deletion sweep)."""
    return list(session.scalars(
        select(Message.message_id)
        .where(Message.channel_id == channel_id, Message.deleted_at.is_(None))
        .order_by(Message.message_id.desc()).limit(limit)
    ))


# --- briefs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefChange:
    """What storing a parse result did to the post's brief.

    `brief_id` is the post's brief (None when it never was one); `status` its status after this
    parse; `created`: the first time this post reads as a brief; `changed`: an existing brief got
    new content or came back from `withdrawn`; `removed`: this parse withdrew it (the post no
    longer reads as a brief; the row, its versions and matches stay).
    """

    brief_id: int | None
    created: bool
    changed: bool
    removed: bool
    status: str | None = None
    fields: tuple[str, ...] = ()


NO_BRIEF = BriefChange(None, created=False, changed=False, removed=False)


@dataclass(frozen=True)
class _Post:
    """What deciding a brief's status needs of its post: deleted or not, the text version parsed."""

    deleted: bool
    version_pk: int | None


def save_brief(session: Session, message_pk: int, brief: Brief, *, parser_version: str, now: datetime) -> BriefChange:
    """Store the parse result of one message (see save_briefs)."""
    return save_briefs(session, [(message_pk, brief)], parser_version=parser_version, now=now)[0]


def save_briefs(session: Session, items: Sequence[tuple[int, Brief]], *, parser_version: str, now: datetime,
                new_messages: frozenset[int] = frozenset()) -> list[BriefChange]:
    """Store parse results: mark each message parsed, create or update its brief, keep history.

    A brief row is never deleted: a parse that finds no brief withdraws it. `new_messages` are
    pks just archived, known to have no brief yet (saves a lookup per post).
    """
    pks = [pk for pk, _ in items]
    for chunk in _chunks(pks, 400):
        session.execute(update(Message).where(Message.id.in_(chunk)).values(parsed_with=parser_version))
    rows: dict[int, BriefRow] = {}
    lookup = [pk for pk in pks if pk not in new_messages]
    for chunk in _chunks(lookup, 400):
        rows.update({r.message_pk: r for r in session.scalars(select(BriefRow).where(BriefRow.message_pk.in_(chunk)))})
    wanted = [pk for pk, brief in items if brief.is_brief or pk in rows]
    posts = _posts(session, wanted)
    changes = []
    for message_pk, brief in items:
        row = rows.get(message_pk)
        if row is None and not brief.is_brief:
            changes.append(NO_BRIEF)
            continue
        changes.append(_store_brief(session, message_pk, row, brief, parser_version, now, posts[message_pk]))
    session.flush()
    return changes


def _posts(session: Session, message_pks: Sequence[int]) -> dict[int, _Post]:
    """Per message: deleted or not, and the newest version whose text is the message's text."""
    found: dict[int, _Post] = {}
    for chunk in _chunks(message_pks, 400):
        query = (
            select(Message.id, Message.deleted_at, func.max(MessageVersion.id))
            .outerjoin(MessageVersion, (MessageVersion.message_pk == Message.id) & (MessageVersion.text == Message.text))
            .where(Message.id.in_(chunk))
            .group_by(Message.id, Message.deleted_at)
        )
        for pk, deleted_at, version_pk in session.execute(query):
            found[pk] = _Post(deleted=deleted_at is not None, version_pk=version_pk)
    return found


def _store_brief(session: Session, message_pk: int, row: BriefRow | None, brief: Brief, parser_version: str,
                 now: datetime, post: _Post) -> BriefChange:
    data = brief.to_json() if brief.is_brief else None
    status = "deleted" if post.deleted else ("active" if data is not None else "withdrawn")
    if row is None:
        assert data is not None
        row = BriefRow(message_pk=message_pk, version=1, status=status)
        session.add(row)
        _fill(session, row, brief, data, parser_version, now, fresh=True)
        _add_version(session, row, [], data, parser_version, post, now)
        return BriefChange(row.id, created=True, changed=False, removed=False, status=status)
    fields = _changed_fields(row.data, data, row.status, status)
    if data is None:  # the post no longer reads as a brief: keep the last brief, record why
        if not fields:  # still deleted (or still withdrawn): is that news to the history?
            last = _last_version(session, row)
            if last is None or last.data is None:
                return _unchanged(row)
            fields = ["is_brief"]  # a deleted post the current parser no longer reads as a brief
        row.status = status
        _add_version(session, row, fields, None, parser_version, post, now)
        return BriefChange(row.id, created=False, changed=False, removed=True, status=status,
                           fields=tuple(fields))
    if not fields:
        if row.parser_version != parser_version:  # same brief from a newer parser
            row.parser_version = parser_version
            row.parsed_at = now
        return _unchanged(row)
    row.status = status
    _fill(session, row, brief, data, parser_version, now, fresh=False)
    _add_version(session, row, fields, data, parser_version, post, now)
    return BriefChange(row.id, created=False, changed=True, removed=False, status=status, fields=tuple(fields))


def _unchanged(row: BriefRow) -> BriefChange:
    return BriefChange(row.id, created=False, changed=False, removed=False, status=row.status)


def _changed_fields(old: dict[str, Any] | None, new: dict[str, Any] | None, old_status: str,
                    new_status: str) -> list[str]:
    """The top-level brief fields that differ (none when the new parse has no brief), plus
    `status` when it moved; a withdrawn brief that reads as one again differs in status."""
    fields = ["status"] if old_status != new_status else []
    if new is not None and old is not None:
        fields += sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    return fields


def _last_version(session: Session, row: BriefRow) -> BriefVersion | None:
    return session.scalar(select(BriefVersion).where(BriefVersion.brief_id == row.id,
                                                     BriefVersion.version == row.version))


def _add_version(session: Session, row: BriefRow, fields: list[str], data: dict[str, Any] | None,
                 parser_version: str | None, post: _Post | None, now: datetime) -> None:
    if fields:
        row.version += 1
    session.add(BriefVersion(brief_id=row.id, version=row.version, status=row.status, changed=fields, data=data,
                             parser_version=parser_version, message_version_pk=post.version_pk if post else None,
                             recorded_at=now))


def _fill(session: Session, row: BriefRow, brief: Brief, data: dict[str, Any], parser_version: str,
          now: datetime, *, fresh: bool) -> None:
    """Copy a brief into its row: flat columns, JSON, hashtag and sound keys."""
    if not fresh:
        session.execute(delete(BriefHashtag).where(BriefHashtag.brief_id == row.id))
        session.execute(delete(BriefAudioKey).where(BriefAudioKey.brief_id == row.id))
        session.expire(row, ["hashtag_keys", "audio_keys"])
    audio, window, pay = brief.audio, brief.post_window, brief.pay
    row.parser_version = parser_version
    row.parsed_at = now
    row.confidence = brief.confidence
    row.language = brief.language
    row.platforms = list(brief.platforms)
    row.audio_title = audio.title if audio else None
    row.audio_artist = audio.artist if audio else None
    row.audio_url = audio.url if audio else None
    row.audio_music_id = audio.music_id if audio else None
    row.hashtags = list(brief.hashtags)
    row.mentions = list(brief.mentions)
    row.emojis = list(brief.emojis)
    row.caption = brief.caption
    row.script = brief.script
    row.effects = list(brief.effects)
    row.window_start = window.start if window else None
    row.window_end = window.end if window else None
    row.pay_min = pay.min if pay else None
    row.pay_max = pay.max if pay else None
    row.pay_currency = pay.currency if pay else None
    row.pay_negotiable = pay.negotiable if pay else None
    row.min_followers = brief.min_followers
    row.min_views = brief.min_views
    row.delete_after = brief.delete_after
    row.data = data
    session.flush()
    for tag_key, tag in {hashtag_key(t): t for t in brief.hashtags if hashtag_key(t)}.items():
        session.add(BriefHashtag(brief_id=row.id, key=tag_key[:255], tag=tag))
    for kind, key in brief_audio_keys(brief):
        session.add(BriefAudioKey(brief_id=row.id, kind=kind, key=key[:255]))


def set_brief_deleted(session: Session, message_pks: Sequence[int], *, deleted: bool, now: datetime) -> list[int]:
    """A post was deleted (or seen again after a wrong deletion): its brief's status follows,
    with a version recording it. Returns the ids of the briefs that changed status."""
    changed: list[int] = []
    for chunk in _chunks(list(message_pks), 400):
        for row in session.scalars(select(BriefRow).where(BriefRow.message_pk.in_(chunk))):
            last = _last_version(session, row)
            had_brief = last is None or last.data is not None
            status = "deleted" if deleted else ("active" if had_brief else "withdrawn")
            if row.status == status:
                continue
            row.status = status
            _add_version(session, row, ["status"], row.data if had_brief else None,
                         last.parser_version if last else row.parser_version,
                         _Post(deleted, last.message_version_pk if last else None), now)
            changed.append(row.id)
    session.flush()
    return changed


def brief_versions(session: Session, brief_id: int) -> list[BriefVersion]:
    """A brief's history, oldest first."""
    return list(session.scalars(select(BriefVersion).where(BriefVersion.brief_id == brief_id)
                                .order_by(BriefVersion.version)))


def brief_audio_keys(brief: Brief) -> list[tuple[str, str]]:
    """The (kind, key) pairs a brief's sound is found by: its TikTok music id and its title."""
    keys: set[tuple[str, str]] = set()
    if brief.audio:
        if brief.audio.music_id:
            keys.add(("music_id", brief.audio.music_id))
        if brief.audio.title and audio_key(brief.audio.title):
            keys.add(("title", audio_key(brief.audio.title)))
    return sorted(keys)


def brief_for_message(session: Session, message_pk: int) -> BriefRow | None:
    return session.scalars(select(BriefRow).where(BriefRow.message_pk == message_pk)).first()


def messages_to_parse(session: Session, *, parser_version: str | None, since: datetime | None,
                      batch: int = 500, after_pk: int = 0) -> list[Message]:
    """The next batch of non-service posts (pk order) to (re)parse: all, or not yet at this version."""
    query = select(Message).where(*_to_parse(parser_version, since), Message.id > after_pk)
    return list(session.scalars(query.order_by(Message.id).limit(batch)))


def count_messages_to_parse(session: Session, *, parser_version: str | None, since: datetime | None) -> int:
    """How many posts `messages_to_parse` will hand out in all (the total of reparse's progress bar)."""
    query = select(func.count()).select_from(Message).where(*_to_parse(parser_version, since))
    return int(session.scalar(query) or 0)


def _to_parse(parser_version: str | None, since: datetime | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Message.is_service.is_(False)]
    if parser_version is not None:
        conditions.append((Message.parsed_with.is_(None)) | (Message.parsed_with != parser_version))
    if since is not None:
        conditions.append(Message.posted_at >= since)
    return conditions


# --- cursors --------------------------------------------------------------------------------


def get_state(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(SyncState, key)
    return default if row is None else row.value


def set_state(session: Session, key: str, value: Any, *, now: datetime) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value, updated_at=now))
    else:
        row.value = value
        row.updated_at = now
    session.flush()


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


__all__ = [
    "NO_BRIEF",
    "ArchiveResult",
    "BriefChange",
    "archive_post",
    "archive_posts",
    "brief_audio_keys",
    "brief_for_message",
    "brief_versions",
    "count_messages_to_parse",
    "find_channel",
    "get_state",
    "last_message_id",
    "list_channels",
    "mark_deleted",
    "messages_to_parse",
    "post_counts",
    "recent_message_ids",
    "save_brief",
    "save_briefs",
    "set_brief_deleted",
    "set_state",
    "text_sha256",
    "upsert_channel",
    "watched_channels",
]
