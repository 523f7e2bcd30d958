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
line, and the warnings say exactly which). Each file is streamed into the archive in one
transaction (JSON lines and CSV line by line, so a million-line collection never sits in memory
whole), so a failure anywhere leaves the archive as it was.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine

from bot.app import App
from bot.errors import ImportFormatError
from bot.importers import video_formats as vf
from bot.importers.storable import text_problem, time_problem, value_problem
from bot.progress import Progress, progress_bar
from bot.redaction import redact
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

_HEAD_BYTES = 1 << 16
# Levels of JSON nesting a video record may have; real ones have under 10 (yt-dlp's formats list).
MAX_RECORD_DEPTH = 64
# Largest CSV cell, in characters: Python's csv refuses cells over 128 KiB by default, which failed
# a whole file for one long description that JSON lines take (a 10 MB caption imports either way).
CSV_FIELD_CHARS = 64 << 20


class VideoFile:
    """One input file, its format detected from the first bytes, its records streamed.

    Iterate `observations()` once; `problems` and `format` fill in as it goes. JSON lines and CSV
    are read line by line (a million-line Zeeschuimer collection never sits in memory whole);
    a JSON document (Research API pages, tiktok-scraper lists) is parsed at once. When the file
    ends without one record recognised, `observations()` raises ImportFormatError.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.problems: list[Problem] = []
        self.seen: Counter[str] = Counter()
        self.empty_list = False  # "[]": a valid answer with no videos (an empty export)
        self.bytes_read = 0  # how far reading has got, for progress bars
        self.kind = self._detect_kind()

    @property
    def format(self) -> str:
        if self.kind == "csv":
            return "csv"
        if self.empty_list:
            return "empty list"
        return "+".join(fmt for fmt, _n in self.seen.most_common()) or "unknown"

    def _open_text(self) -> io.TextIOWrapper:
        try:
            return open(self.path, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise ImportFormatError(self.name, None, f"cannot read file: {exc.strerror or exc}") from exc

    def _open_binary(self) -> IO[bytes]:
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise ImportFormatError(self.name, None, f"cannot read file: {exc.strerror or exc}") from exc

    def _detect_kind(self) -> str:
        try:
            with open(self.path, "rb") as raw:
                head_bytes = raw.read(_HEAD_BYTES)
        except OSError as exc:
            raise ImportFormatError(self.name, None, f"cannot read file: {exc.strerror or exc}") from exc
        try:
            head = codecs.getincrementaldecoder("utf-8-sig")().decode(head_bytes, final=False)
        except UnicodeDecodeError as exc:
            raise ImportFormatError(self.name, f"byte {exc.start}", "expected UTF-8 text, got binary data") from exc
        stripped = head.lstrip()
        if not stripped:
            raise ImportFormatError(self.name, None, "empty file; " + EXPECTED)
        if stripped[0] not in "{[":
            header = next(csv.reader([head.splitlines()[0] if head.splitlines() else ""]), [])
            if not vf.csv_header_ok(header):
                raise ImportFormatError(self.name, "line 1", EXPECTED)
            return "csv"
        first_line = stripped.split("\n", 1)[0]
        try:
            first = json.loads(first_line)
        except (json.JSONDecodeError, RecursionError):
            return "json"  # a pretty-printed document, JSON lines whose first line is broken, or too deep
        return "jsonl" if isinstance(first, dict) else "json"

    def observations(self) -> Iterator[Observation]:
        if self.kind == "csv":
            yield from self._csv()
        elif self.kind == "jsonl":
            yield from self._json_lines()
        else:
            yield from self._document()
        if self.kind != "csv" and not self.seen and not self.empty_list:
            position = self.problems[0].position if self.problems else None
            reason = self.problems[0].reason if self.problems else "no records"
            raise ImportFormatError(self.name, position, f"{EXPECTED} ({reason})")

    def _document(self) -> Iterator[Observation]:
        with self._open_text() as f:
            try:
                text = f.read()
            except UnicodeDecodeError as exc:
                raise ImportFormatError(self.name, None, "expected UTF-8 text, found binary data inside") from exc
            size = _bytes_read(f)
        try:
            document = json.loads(text)
        except RecursionError:
            raise ImportFormatError(self.name, None, "JSON nested too deep to be a video file") from None
        except json.JSONDecodeError as exc:
            lines = list(self._parsed_lines(io.StringIO(text)))
            if not any(ok for _pos, _rec, ok in lines):
                if exc.lineno == 1 and exc.colno <= 2:
                    raise ImportFormatError(self.name, None, f"{EXPECTED} (not JSON either)") from exc
                raise ImportFormatError(self.name, f"line {exc.lineno}, column {exc.colno}",
                                        f"broken JSON: {exc.msg}") from exc
            self.bytes_read = size
            for position, record, ok in lines:
                if ok:
                    yield from self._records(position, record)
            return
        if isinstance(document, list):
            if not document:
                self.empty_list = True
                return
            for i, record in enumerate(document, 1):
                self.bytes_read = size * i // len(document)  # a list in memory: its share of the file
                yield from self._records(f"item {i}", record)
        else:
            self.bytes_read = size
            yield from self._records("document", document)

    def _parsed_lines(self, f: Iterable[str | bytes]) -> Iterator[tuple[str, Any, bool]]:
        for number, line in enumerate(f, 1):
            if isinstance(line, bytes):
                try:
                    line = line.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError:
                    self.problems.append(Problem(f"line {number}", "not UTF-8 text"))
                    yield f"line {number}", None, False
                    continue
            if not line.strip():
                continue
            try:
                yield f"line {number}", json.loads(line), True
            except json.JSONDecodeError as exc:
                self.problems.append(Problem(f"line {number}", f"broken JSON: {exc.msg} at column {exc.colno}"))
                yield f"line {number}", None, False
            except RecursionError:
                self.problems.append(Problem(f"line {number}", f"nested deeper than {MAX_RECORD_DEPTH} levels"))
                yield f"line {number}", None, False

    def _json_lines(self) -> Iterator[Observation]:
        # Read as bytes and decoded line by line, so invalid UTF-8 costs its line, not the file.
        with self._open_binary() as raw:
            for position, record, ok in self._parsed_lines(raw):
                self.bytes_read = raw.tell()
                if ok:
                    yield from self._records(position, record)

    def _csv(self) -> Iterator[Observation]:
        source = _source("csv", self.path.name)
        if csv.field_size_limit() < CSV_FIELD_CHARS:
            csv.field_size_limit(CSV_FIELD_CHARS)
        with self._open_text() as f:
            reader = csv.DictReader(f)
            try:
                for row in reader:
                    self.bytes_read = _bytes_read(f)
                    position = f"line {reader.line_num}"
                    if None in row:
                        self.problems.append(Problem(position, f"{len(row[None])} more fields than the header"))  # type: ignore[index]
                        continue
                    yield from self._one(position, row, vf.from_csv_row, source)
            except csv.Error as exc:
                raise ImportFormatError(self.name, f"line {reader.line_num}", f"broken CSV: {exc}") from exc
            except UnicodeDecodeError as exc:
                raise ImportFormatError(self.name, f"line {reader.line_num}", "expected UTF-8 text") from exc

    def _records(self, position: str, record: Any) -> Iterator[Observation]:
        """Observations of one JSON value of any known kind (a record, a page, a playlist)."""
        file_name = self.path.name
        if vf.is_research_page(record):
            self.seen["tiktok-research-api"] += 1
            try:
                videos = vf.research_videos(record)
            except vf.RecordError as exc:
                self.problems.append(Problem(position, str(exc)))
                return
            for i, item in enumerate(videos, 1):
                yield from self._one(f"{position}, video {i}", item, vf.from_research,
                                     _source("tiktok-research-api", file_name))
            return
        if isinstance(record, dict) and record.get("_type") == "playlist" and isinstance(record.get("entries"), list):
            self.seen["yt-dlp"] += 1
            for i, item in enumerate(record["entries"], 1):
                yield from self._one(f"{position}, entry {i}", item, vf.from_ytdlp, _source("yt-dlp", file_name))
            return
        kind = _detect(record)
        if kind is None:
            self.problems.append(Problem(position, _unknown_record(record)))
            return
        fmt, reader = kind
        self.seen[fmt] += 1
        yield from self._one(position, record, reader, _source(fmt, file_name))

    def _one(self, position: str, record: Any, reader: Reader, source: str) -> Iterator[Observation]:
        problem = value_problem(record, max_depth=MAX_RECORD_DEPTH)
        if problem is None:
            try:
                observation = reader(record, source)
            except vf.RecordError as exc:
                problem = str(exc)
            else:
                problem = _unstorable(observation)
        if problem is not None:
            self.problems.append(Problem(position, problem))
            return
        yield observation


def _unstorable(observation: Observation) -> str | None:
    """Why a read video could not be written (checked here so one record, not the file, fails)."""
    video, collected_at = observation
    for name in ("platform", "video_id", "description", "author", "author_id", "url", "music_id",
                 "music_title", "music_artist", "transcript"):
        value = getattr(video, name)
        if isinstance(value, str) and (problem := text_problem(value)):
            return f"{name} {problem}"
    for group in (video.hashtags, video.effects):
        for value in group:
            if problem := text_problem(value):
                return f"a tag or effect {problem}"
    return time_problem(video.posted_at) or time_problem(collected_at)


def _bytes_read(f: io.TextIOWrapper) -> int:
    """Bytes of the file the text reader has consumed (its own tell() is off while iterating)."""
    buffer: Any = f.buffer
    return int(buffer.tell())


def read_video_file(path: str | os.PathLike[str]) -> ReadResult:
    """Detect the format of `path` and read every video record in it into memory (no database)."""
    video_file = VideoFile(path)
    observations = list(video_file.observations())
    return ReadResult(video_file.name, video_file.format, observations, video_file.problems)


def _source(fmt: str, file_name: str) -> str:
    return f"{fmt}:{file_name}"[:255]


def _detect(record: Any) -> tuple[str, Reader] | None:
    for fmt, recognise, reader in _RECORD_KINDS:
        if recognise(record):
            return fmt, reader
    return None


def _unknown_record(record: Any) -> str:
    if isinstance(record, dict):
        error = record.get("error")
        if isinstance(error, dict) and error.get("code") not in (None, "ok"):
            return f"an API error response: {str(error.get('code'))[:40]}: {str(error.get('message', ''))[:200]}".strip()
        keys = ", ".join(key[:40] for key in sorted(map(str, record))[:6])
        return f"not a known video record (keys: {keys})"
    return f"not a known video record (a JSON {type(record).__name__})"


# --- importing ----------------------------------------------------------------------------------

def import_video_file(engine: Engine, path: str | os.PathLike[str], *, now: datetime,
                      on_bytes: Callable[[int], None] | None = None) -> FileImport:
    """Stream `path` into the archive in one transaction (any error: nothing of it is kept).

    `on_bytes(n)` hears how many bytes of the file have been read, after each video.
    """
    video_file = VideoFile(path)  # format errors in the first bytes: before any transaction
    read = 0

    def counted() -> Iterator[Observation]:
        nonlocal read
        for observation in video_file.observations():
            read += 1
            if on_bytes is not None:
                on_bytes(video_file.bytes_read)
            yield observation

    with transaction(engine) as session:
        counts = upsert_videos(session, counted(), now=now)
    return FileImport(video_file.name, video_file.format, read, counts, tuple(video_file.problems))


def import_video_files(engine: Engine, paths: Sequence[str | os.PathLike[str]], *, now: datetime,
                       on_error: Callable[[ImportFormatError], None] | None = None,
                       progress: bool = False) -> list[FileImport]:
    """Import each file in its own transaction; a bad file raises, or goes to `on_error` if given.

    `progress` draws one bar over all the files, in bytes (their sizes are the total), when
    stderr is a terminal.
    """
    done = []
    sizes = [_size(path) for path in paths]
    with progress_bar("import videos", total=sum(sizes), in_bytes=True, enabled=progress) as bar:
        start = 0  # bytes of the files before this one
        for path, size in zip(paths, sizes):
            bar.describe(Path(path).name)
            try:
                done.append(import_video_file(engine, path, now=now, on_bytes=partial(_advance, bar, start)))
            except ImportFormatError as exc:
                if on_error is None:
                    raise
                with bar.paused():
                    on_error(exc)
            start += size
            bar.advance_to(start)
    return done


def _advance(bar: Progress, start: int, n: int) -> None:
    bar.advance_to(start + n)


def _size(path: str | os.PathLike[str]) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # VideoFile names the problem


def _one_line(text: str) -> str:
    """A message on one line whatever the file held: a key or a name may carry a line break
    (or \x1e, \u2028: any character str.splitlines() breaks at), which would split a warning."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def run_import(app: App, args: argparse.Namespace) -> int:
    """The `import videos` handler: one summary line per file on stdout, problems on stderr."""
    failed: list[ImportFormatError] = []

    def on_error(exc: ImportFormatError) -> None:
        failed.append(exc)
        print(f"briefwatch: error: {_one_line(redact(str(exc)))}", file=sys.stderr)

    done = import_video_files(app.engine(), args.files, now=datetime.now(timezone.utc), on_error=on_error,
                              progress=True)
    for item in done:
        for problem in item.problems:
            print(_one_line(f"briefwatch: warning: {item.path}: {problem.position}: {problem.reason}"),
                  file=sys.stderr)
        c = item.counts
        skipped = f", {len(item.problems)} skipped" if item.problems else ""
        print(f"{item.path}: {item.format}: {item.read} videos read, {c.inserted} new, {c.updated} updated, "
              f"{c.unchanged} unchanged{skipped}")
    return 1 if failed else 0
