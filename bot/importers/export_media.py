"""The files of a Telegram Desktop export folder, brought into the media store.

A Desktop export with media beside `result.json` names each file by a path relative to the
folder: `files/…`, `photos/…`, `video_files/…`, `voice_messages/…`, `round_video_messages/…`.
Each one found is copied into the content-addressed store (storage.media.put_file: temp name,
fsync, rename) and its post gets a `done` media row; an export made without media says
"(File not included. Change data exporting settings to download.)" instead of a path, and such a
file, like one named but absent from the folder, is recorded `missing` with why.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from storage import media
from storage.models import Message
from storage.records import RawPost

NOT_INCLUDED = "(File not included"


def _file_of(raw: dict[str, Any]) -> str | None:
    for key in ("file", "photo"):
        value = raw.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def import_export_media(session: Session, posts: Sequence[RawPost], *, folder: Path, root: str | Path,
                        now: datetime) -> int:
    """Store the files the export folder holds for `posts` (already archived in this session);
    returns how many were stored."""
    with_files = [(p, name) for p in posts if p.media is not None and (name := _file_of(p.raw)) is not None]
    if not with_files:
        return 0
    keys = {(p.channel.id, p.message_id) for p, _ in with_files}
    pks = {(c, m): pk for pk, c, m in session.execute(
        select(Message.id, Message.channel_id, Message.message_id)
        .where(tuple_(Message.channel_id, Message.message_id).in_(list(keys))))}
    stored = 0
    for post, name in with_files:
        assert post.media is not None
        pk = pks[(post.channel.id, post.message_id)]
        described = _described(post)
        if name.startswith(NOT_INCLUDED):
            media.record_imported(session, pk, kind=post.media.type, now=now, reason="not included in the export",
                                  **described)
            continue
        source = (folder / name).resolve()
        if not source.is_relative_to(folder.resolve()) or not source.is_file():
            media.record_imported(session, pk, kind=post.media.type, now=now,
                                  reason=f"{name} is not in the export folder", **described)
            continue
        temp = media.partial_path(root, f"import-{pk}")
        shutil.copyfile(source, temp)
        sha, size = media.put_file(root, temp)
        media.record_imported(session, pk, kind=post.media.type, now=now, sha256=sha, size=size, **described)
        stored += 1
    return stored


def _described(post: RawPost) -> dict[str, Any]:
    raw, summary = post.raw, post.media
    assert summary is not None
    duration = raw.get("duration_seconds")
    return {"mime": raw.get("mime_type") if isinstance(raw.get("mime_type"), str) else None,
            "duration": duration if isinstance(duration, (int, float)) else None,
            "performer": summary.performer, "title": summary.title,
            "file_name": raw.get("file_name") if isinstance(raw.get("file_name"), str) else None}
