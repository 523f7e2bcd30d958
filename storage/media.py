"""The media store: files named by their SHA-256 under `media.path`, indexed by `media_files`.

Layout: `<root>/ab/cdef…` for a file whose SHA-256 is `abcdef…`, so a file attached to many
posts is on disk once. A file only ever enters the store whole: it is written under
`<root>/.partial/`, fsynced, then renamed into place (`put_file`), so a crash or kill -9 at any
point leaves either no file or the complete one, never a partial file under its hash.

The queue is the table itself: `queue_media` adds a `pending` row in the transaction that
archives the post, `due` hands the download job what to fetch next, and `retry_later` backs
off (doubling, at most an hour) until MAX_ATTEMPTS, after which a row is `failed`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.durable import durable_replace
from storage.models import Channel, MediaFile, Message
from storage.records import ChannelRef, RawPost

# What is worth keeping as evidence; stickers, polls, web page previews are not files to keep.
DOWNLOADABLE_KINDS = ("audio_file", "voice_message", "photo", "video_file", "video_message", "document",
                      "animation")
PARTIAL_DIR = ".partial"
MAX_ATTEMPTS = 10  # 30 s doubling to an hour: gives up after about 4 h of failures
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class QueuedFile:
    """A pending download: the row, and where the post is on Telegram."""

    id: int
    kind: str
    channel: ChannelRef
    message_id: int
    attempts: int


# --- the store ------------------------------------------------------------------------------

def store_path(root: str | Path, sha256: str) -> Path:
    """Where the file with this SHA-256 (hex) lives: `<root>/ab/cdef…`."""
    return Path(root) / sha256[:2] / sha256[2:]


def relative_path(sha256: str) -> str:
    """The store path relative to `media.path`, as exports give it."""
    return f"{sha256[:2]}/{sha256[2:]}"


def partial_path(root: str | Path, name: str) -> Path:
    """A temporary file for a download in progress (never inside the hashed tree)."""
    path = Path(root) / PARTIAL_DIR / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def put_file(root: str | Path, temp: Path) -> tuple[str, int]:
    """Move a complete temporary file into the store; returns (sha256, size).

    fsync before the rename and of the directory after it, so after a power loss the store holds
    the whole file or nothing. A file already stored (the same content from another post) is
    kept as it is and the temporary copy removed.
    """
    sha = file_sha256(temp)
    size = temp.stat().st_size
    target = store_path(root, sha)
    if target.exists() and target.stat().st_size == size:
        temp.unlink()
        return sha, size
    target.parent.mkdir(parents=True, exist_ok=True)
    durable_replace(temp, target)
    return sha, size


def clear_partials(root: str | Path) -> int:
    """Remove what interrupted downloads left in `.partial/` (they start again from zero)."""
    folder = Path(root) / PARTIAL_DIR
    removed = 0
    if folder.is_dir():
        for leftover in folder.iterdir():
            if leftover.is_file():
                leftover.unlink()
                removed += 1
    return removed


# --- the queue ------------------------------------------------------------------------------

def queue_media(session: Session, posts: Sequence[RawPost], message_pks: Sequence[int], *, now: datetime) -> int:
    """A `pending` row for each post (message_pks in the same order) with a file not yet queued.

    Only messages as Telegram sent them (Telethon objects, `raw["_"] == "Message"`) are queued:
    the download re-fetches the post, which an export's copy cannot be.
    """
    wanted: dict[int, RawPost] = {}
    for post, pk in zip(posts, message_pks, strict=True):
        if post.media is not None and post.media.type in DOWNLOADABLE_KINDS and post.raw.get("_") == "Message":
            wanted[pk] = post
    if not wanted:
        return 0
    known = set(session.scalars(select(MediaFile.message_pk).where(MediaFile.message_pk.in_(list(wanted)))))
    rows = []
    for pk, post in wanted.items():
        if pk in known:
            continue
        assert post.media is not None
        rows.append(MediaFile(message_pk=pk, kind=post.media.type, performer=post.media.performer,
                              title=post.media.title, file_name=post.media.file, status="pending",
                              attempts=0, queued_at=now, **_described(post.raw)))
    session.add_all(rows)
    return len(rows)


def _described(raw: dict[str, Any]) -> dict[str, Any]:
    """mime, size and duration as far as the message says (the download fills in the rest)."""
    media = raw.get("media") or {}
    doc = media.get("document") if isinstance(media, dict) else None
    if not isinstance(doc, dict):
        return {"mime": None, "size": None, "duration": None}
    duration = next((a.get("duration") for a in doc.get("attributes") or []
                     if isinstance(a, dict) and a.get("duration") is not None), None)
    return {"mime": doc.get("mime_type"), "size": doc.get("size"), "duration": duration}


def due(session: Session, *, now: datetime, limit: int = 100) -> list[QueuedFile]:
    """Pending downloads whose time has come, oldest first."""
    query = (select(MediaFile.id, MediaFile.kind, MediaFile.attempts, Message.message_id, Channel)
             .join(Message, Message.id == MediaFile.message_pk).join(Channel, Channel.id == Message.channel_id)
             .where(MediaFile.status == "pending",
                    (MediaFile.next_attempt_at.is_(None)) | (MediaFile.next_attempt_at <= now))
             .order_by(MediaFile.id).limit(limit))
    return [QueuedFile(id=row_id, kind=kind, attempts=attempts, message_id=message_id,
                       channel=ChannelRef(id=ch.id, username=ch.username, title=ch.title, access_hash=ch.access_hash))
            for row_id, kind, attempts, message_id, ch in session.execute(query)]


def bytes_stored(session: Session) -> int:
    """Bytes the store holds: each distinct file once."""
    files = select(MediaFile.sha256, MediaFile.size).where(MediaFile.status == "done").distinct().subquery()
    return int(session.scalar(select(func.coalesce(func.sum(files.c.size), 0))) or 0)


def mark_done(session: Session, row_id: int, *, sha256: str, size: int, now: datetime,
              mime: str | None = None, duration: float | None = None) -> None:
    row = session.get_one(MediaFile, row_id)
    row.status, row.sha256, row.size, row.downloaded_at, row.reason = "done", sha256, size, now, None
    row.next_attempt_at = None
    if mime:
        row.mime = mime
    if duration is not None:
        row.duration = duration


def mark(session: Session, row_id: int, status: str, reason: str, *, size: int | None = None) -> None:
    """A final status other than done (too_big, missing, failed), with why."""
    row = session.get_one(MediaFile, row_id)
    row.status, row.reason, row.next_attempt_at = status, reason, None
    if size is not None:
        row.size = size


def retry_later(session: Session, row_id: int, reason: str, *, now: datetime,
                after: timedelta | None = None, count: bool = True) -> None:
    """Try again later: after `after` (a FLOOD_WAIT), else with doubling backoff; `failed` at the end.

    A FLOOD_WAIT (`count=False`) is Telegram's pace, not the file's fault: it uses no attempt.
    """
    row = session.get_one(MediaFile, row_id)
    if count:
        row.attempts += 1
    row.reason = reason
    if row.attempts >= MAX_ATTEMPTS:
        row.status, row.next_attempt_at = "failed", None
        return
    wait = after if after is not None else min(MAX_BACKOFF, BASE_BACKOFF * 2 ** (row.attempts - 1))
    row.next_attempt_at = now + wait


# --- verification ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """A stored file that is not what the index says: `missing` or `corrupt` (content hashes otherwise)."""

    kind: str
    sha256: str
    posts: list[str]  # "@channel/42" (or "1734567890/42"), the posts that carry the file


def verify_store(session: Session, root: str | Path) -> tuple[int, list[Problem]]:
    """Re-hash every file the index says is stored; returns (files checked, problems).

    Each distinct file is read once however many posts carry it.
    """
    query = (select(MediaFile.sha256, Channel.username, Channel.id, Message.message_id)
             .join(Message, Message.id == MediaFile.message_pk).join(Channel, Channel.id == Message.channel_id)
             .where(MediaFile.status == "done").order_by(MediaFile.sha256, Channel.id, Message.message_id))
    posts: dict[str, list[str]] = {}
    for sha, username, channel_id, message_id in session.execute(query):
        if sha is not None:
            posts.setdefault(sha, []).append(f"@{username}/{message_id}" if username else f"{channel_id}/{message_id}")
    problems = []
    for sha, where in posts.items():
        path = store_path(root, sha)
        if not path.is_file():
            problems.append(Problem("missing", sha, where))
        elif file_sha256(path) != sha:
            problems.append(Problem("corrupt", sha, where))
    return len(posts), problems


# --- files that come with an import ---------------------------------------------------------

def record_imported(session: Session, message_pk: int, *, kind: str, now: datetime, sha256: str | None = None,
                    size: int | None = None, reason: str | None = None, **described: Any) -> None:
    """The file of an imported post: `done` when it was put in the store (`sha256`), else `missing`
    with `reason`. A row already `done` is kept (a later import without the file loses nothing)."""
    row = session.scalars(select(MediaFile).where(MediaFile.message_pk == message_pk)).first()
    if row is None:
        row = MediaFile(message_pk=message_pk, kind=kind, attempts=0, queued_at=now, status="missing", **described)
        session.add(row)
    elif row.status == "done":
        return
    if sha256 is not None:
        row.status, row.sha256, row.size, row.downloaded_at, row.reason = "done", sha256, size, now, None
    else:
        row.status, row.reason = "missing", reason
        if size is not None:
            row.size = size
