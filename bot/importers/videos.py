"""`briefwatch import videos FILE...`: observed video metadata into the archive.

The format is recognised from the content, never the file name:

- yt-dlp `.info.json`: one object, a playlist object with `entries`, or JSON lines of objects;
- TikTok Research API video query responses: one page `{"data": {"videos": [...]}}`, a JSON
  list of pages, or pages as JSON lines;
- Zeeschuimer NDJSON: one `{item_id, timestamp_collected, source_platform, data}` per line
  (TikTok and Instagram items);
- tiktok-scraper JSON: a list of `{id, text, createTime, authorMeta, musicMeta, ...}`;
- CSV with a header row naming at least `video_id`. Columns (names case-insensitive, any order,
  unknown columns ignored, empty cells mean unknown):

      platform        tiktok, instagram, youtube, vk, telegram or likee (default: from url, else tiktok)
      video_id        required (alias: id)
      posted_at       ISO 8601 (a time with no offset is UTC) or Unix epoch seconds (aliases:
                      create_time, timestamp); a video with none is stored but never matched
      author          creator's username (alias: username)
      author_id       creator's platform id
      url             link to the video
      description     caption as posted; hashtags in it are picked up
      hashtags        more hashtags, separated by spaces, commas, ';' or '|', '#' optional
      music_id        the platform's sound id (TikTok music id)
      music_title     sound title (alias: music); "original sound - …" counts as no title
      music_artist    sound author
      music_original  true/false/1/0/yes/no: the sound is the creator's own upload
      effects         effect names, separated by ';' or '|'
      transcript      speech in the video (voice to text)
      views, likes, comments, shares   counts (aliases: view_count, like_count, ...)
      collected_at    when the counts were seen (ISO 8601 or epoch); default: the import time

A file that is none of these is refused with one line naming what was expected. Inside a file
that is one of them, a record that cannot be read (a broken JSON line, an item with no id) is
reported with its line or item number and skipped; the rest imports and the command still exits 0,
printing how many were skipped (a collection of a million lines should not be lost to one bad
line, and the warnings say exactly which). Each file is read completely before the archive is
touched and then stored in one transaction, so a failure leaves the archive as it was.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from bot.app import App
from bot.errors import ImportFormatError
from bot.importers import video_formats as vf
from matching.video import Video
from storage.db import transaction
from storage.videos import UpsertCounts, upsert_videos

EXPECTED = ("unknown format: expected a yt-dlp .info.json (object or JSON lines), a TikTok Research "
            "API video query response, Zeeschuimer NDJSON, tiktok-scraper JSON, or a CSV whose header "
            "names video_id")

Observation = tuple[Video, datetime | None]
Reader = Callable[[Any, str], Observation]

# (format name, recogniser, reader) for single JSON records, tried in this order.
_RECORD_KINDS: tuple[tuple[str, Callable[[Any], bool], Reader], ...] = (
    ("zeeschuimer", vf.is_zeeschuimer, vf.from_zeeschuimer),
    ("tiktok-scraper", vf.is_tiktok_scraper, vf.from_tiktok_scraper),
    ("yt-dlp", vf.is_ytdlp, vf.from_ytdlp),
)


@dataclass(frozen=True)
class Problem:
    """A record skipped: `position` like "line 7" or "item 3"."""

    position: str
    reason: str


@dataclass
class ReadResult:
    path: str
    format: str
    observations: list[Observation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class FileImport:
    """What importing one file did."""

    path: str
    format: str
    read: int
    counts: UpsertCounts
    problems: tuple[Problem, ...]


# --- reading ------------------------------------------------------------------------------------

def read_video_file(path: str | os.PathLike[str]) -> ReadResult:
    """Detect the format of `path` and read every video record in it (no database)."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFormatError(name, None, f"cannot read file: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(name, f"byte {exc.start}", "expected UTF-8 text, got binary data") from exc
    stripped = text.lstrip()
    if not stripped:
        raise ImportFormatError(name, None, "empty file; " + EXPECTED)
    source_name = Path(path).name
    if stripped[0] in "{[":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            return _read_json_lines(name, source_name, text, exc)
        return _read_document(name, source_name, document)
    return _read_csv(name, source_name, text)


def _source(fmt: str, file_name: str) -> str:
    return f"{fmt}:{file_name}"[:255]


def _detect(record: Any) -> tuple[str, Reader] | None:
    for fmt, recognise, reader in _RECORD_KINDS:
        if recognise(record):
            return fmt, reader
    return None


def _read_records(result: ReadResult, file_name: str, records: Iterable[tuple[str, Any]]) -> Counter[str]:
    """Read (position, record) pairs of any known kind into `result`; returns formats seen."""
    seen: Counter[str] = Counter()
    for position, record in records:
        if vf.is_research_page(record):
            seen["tiktok-research-api"] += 1
            try:
                videos = vf.research_videos(record)
            except vf.RecordError as exc:
                result.problems.append(Problem(position, str(exc)))
                continue
            for i, item in enumerate(videos, 1):
                _read_one(result, f"{position}, video {i}", item, vf.from_research,
                          _source("tiktok-research-api", file_name))
            continue
        if isinstance(record, dict) and record.get("_type") == "playlist" and isinstance(record.get("entries"), list):
            seen["yt-dlp"] += 1
            for i, item in enumerate(record["entries"], 1):
                _read_one(result, f"{position}, entry {i}", item, vf.from_ytdlp, _source("yt-dlp", file_name))
            continue
        kind = _detect(record)
        if kind is None:
            result.problems.append(Problem(position, _unknown_record(record)))
            continue
        fmt, reader = kind
        seen[fmt] += 1
        _read_one(result, position, record, reader, _source(fmt, file_name))
    return seen


def _read_one(result: ReadResult, position: str, record: Any, reader: Reader, source: str) -> None:
    try:
        result.observations.append(reader(record, source))
    except vf.RecordError as exc:
        result.problems.append(Problem(position, str(exc)))


def _unknown_record(record: Any) -> str:
    if isinstance(record, dict):
        error = record.get("error")
        if isinstance(error, dict) and error.get("code") not in (None, "ok"):
            return f"an API error response: {error.get('code')}: {error.get('message', '')}".strip()
        keys = ", ".join(sorted(map(str, record))[:6])
        return f"not a known video record (keys: {keys})"
    return f"not a known video record (a JSON {type(record).__name__})"


def _finish(name: str, result: ReadResult, seen: Counter[str], position: str) -> ReadResult:
    if not seen:
        reason = result.problems[0].reason if result.problems else "no records"
        raise ImportFormatError(name, position, f"{EXPECTED} ({reason})")
    result.format = "+".join(fmt for fmt, _n in seen.most_common())
    return result


def _read_document(name: str, file_name: str, document: Any) -> ReadResult:
    result = ReadResult(name, "")
    if isinstance(document, list):
        if not document:
            result.format = "empty list"
            return result
        seen = _read_records(result, file_name, ((f"item {i}", r) for i, r in enumerate(document, 1)))
        return _finish(name, result, seen, "item 1")
    seen = _read_records(result, file_name, [("document", document)])
    return _finish(name, result, seen, None)  # type: ignore[arg-type]


def _read_json_lines(name: str, file_name: str, text: str, whole_error: json.JSONDecodeError) -> ReadResult:
    result = ReadResult(name, "")
    good: list[tuple[str, Any]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            good.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            result.problems.append(Problem(f"line {number}", f"broken JSON: {exc.msg} at column {exc.colno}"))
    if not good:
        if whole_error.lineno == 1 and whole_error.colno <= 2:
            raise ImportFormatError(name, None, f"{EXPECTED} (not JSON either)")
        raise ImportFormatError(name, f"line {whole_error.lineno}, column {whole_error.colno}",
                                f"broken JSON: {whole_error.msg}")
    seen = _read_records(result, file_name, good)
    result.problems.sort(key=lambda p: _line_of(p.position))
    return _finish(name, result, seen, good[0][0])


def _line_of(position: str) -> int:
    digits = "".join(ch for ch in position.split(",")[0] if ch.isdigit())
    return int(digits or 0)


def _read_csv(name: str, file_name: str, text: str) -> ReadResult:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if not vf.csv_header_ok(header):
        raise ImportFormatError(name, "line 1", EXPECTED)
    result = ReadResult(name, "csv")
    source = _source("csv", file_name)
    try:
        for row in reader:
            position = f"line {reader.line_num}"
            if None in row:
                result.problems.append(Problem(position, f"{len(row[None])} more fields than the header"))  # type: ignore[index]
                continue
            _read_one(result, position, row, vf.from_csv_row, source)
    except csv.Error as exc:
        raise ImportFormatError(name, f"line {reader.line_num}", f"broken CSV: {exc}") from exc
    return result


# --- importing ----------------------------------------------------------------------------------

def import_video_file(engine: Engine, path: str | os.PathLike[str], *, now: datetime) -> FileImport:
    """Read `path` completely, then upsert its videos in one transaction."""
    result = read_video_file(path)
    with transaction(engine) as session:
        counts = upsert_videos(session, result.observations, now=now)
    return FileImport(str(path), result.format, len(result.observations), counts, tuple(result.problems))


def import_video_files(engine: Engine, paths: Sequence[str | os.PathLike[str]], *, now: datetime,
                       on_error: Callable[[ImportFormatError], None] | None = None) -> list[FileImport]:
    """Import each file in its own transaction; a bad file raises, or goes to `on_error` if given."""
    done = []
    for path in paths:
        try:
            done.append(import_video_file(engine, path, now=now))
        except ImportFormatError as exc:
            if on_error is None:
                raise
            on_error(exc)
    return done


def run_import(app: App, args: argparse.Namespace) -> int:
    """The `import videos` handler: one summary line per file on stdout, problems on stderr."""
    failed: list[ImportFormatError] = []

    def on_error(exc: ImportFormatError) -> None:
        failed.append(exc)
        print(f"briefwatch: error: {exc}", file=sys.stderr)

    done = import_video_files(app.engine(), args.files, now=datetime.now(timezone.utc), on_error=on_error)
    for item in done:
        for problem in item.problems:
            print(f"briefwatch: warning: {item.path}: {problem.position}: {problem.reason}", file=sys.stderr)
        c = item.counts
        skipped = f", {len(item.problems)} skipped" if item.problems else ""
        print(f"{item.path}: {item.format}: {item.read} videos read, {c.inserted} new, {c.updated} updated, "
              f"{c.unchanged} unchanged{skipped}")
    return 1 if failed else 0
