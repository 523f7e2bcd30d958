"""One small reader per video-metadata format researchers bring; each turns one record into a
`matching.video.Video`. Detection (which reader) lives in bot/importers/videos.py.

Every reader takes the decoded JSON record (or CSV row) and returns a Video, or raises
`RecordError` with a short reason; the caller names the file and line. Nothing here touches the
database.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from matching.audio import is_generic_sound_title
from matching.video import Video

# yt-dlp extractor keys to briefwatch platform names ("TikTok" -> "tiktok").
YTDLP_PLATFORMS: dict[str, str] = {
    "tiktok": "tiktok", "tiktokuser": "tiktok", "instagram": "instagram", "youtube": "youtube",
    "vk": "vk", "vkontakte": "vk", "likee": "likee", "telegram": "telegram",
}
# Zeeschuimer `source_platform` values ("tiktok.com") to platform names.
ZEESCHUIMER_PLATFORMS: dict[str, str] = {"tiktok.com": "tiktok", "instagram.com": "instagram"}
# Hosts in a URL, for CSV rows with no platform column.
URL_PLATFORMS: tuple[tuple[str, str], ...] = (
    ("tiktok.com", "tiktok"), ("instagram.com", "instagram"), ("youtube.com", "youtube"),
    ("youtu.be", "youtube"), ("vk.com", "vk"), ("likee.video", "likee"), ("t.me", "telegram"),
)
# "#СвоихНеБросаем" in a description; not "&#39;" entities, not "C#".
_HASHTAG = re.compile(r"(?<![\w&#])[#＃](\w[\w.]*\w|\w)", re.UNICODE)
_LIST_SPLIT = re.compile(r"[\s,;|]+")


class RecordError(ValueError):
    """One record cannot be read; the message says what is missing or wrong."""


# --- small helpers ------------------------------------------------------------------------------

def hashtags_in_text(text: str | None) -> tuple[str, ...]:
    """Hashtags as written in a description, without '#', first occurrence order, no repeats."""
    if not text:
        return ()
    return tuple(dict.fromkeys(m.group(1).rstrip(".") for m in _HASHTAG.finditer(text)))


def _merge_tags(*groups: Iterable[str | None]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for group in groups:
        for tag in group:
            if tag and str(tag).strip().lstrip("#"):
                clean = str(tag).strip().lstrip("#＃")
                seen.setdefault(clean.casefold(), clean)
    return tuple(seen.values())


def parse_time(value: Any, what: str = "time") -> datetime | None:
    """Epoch seconds (int, float or digits; milliseconds from 10^12 on) or ISO 8601 → aware UTC.

    A naive ISO time is taken as UTC: every tool here writes UTC. Eight digits are a date
    (yt-dlp's upload_date "20220228"), never 20,220,228 seconds into 1970. Milliseconds start
    at 10^12 (September 2001 in milliseconds): a number between 10^11 and 10^12 is no time
    either way, and read as seconds it is refused as out of range instead of landing in the 1970s.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordError(f"{what}: not a time: {value!r}")
    if isinstance(value, str) and re.fullmatch(r"\d{8}", value.strip()):
        text = value.strip()
        value = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value.strip())):
        seconds = float(value)
        if abs(seconds) >= _MILLISECONDS_FROM:  # milliseconds (Zeeschuimer's timestamp_collected)
            seconds /= 1000.0
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError) as exc:
            raise RecordError(f"{what}: out of range: {str(value)[:40]!r}") from exc
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise RecordError(f"{what}: not an ISO 8601 time or epoch: {value[:40]!r}") from exc
        try:
            return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)
        except OverflowError:  # 0001-01-01 east of UTC, 9999-12-31 west of it
            raise RecordError(f"{what}: out of range: {value[:40]!r}") from None
    raise RecordError(f"{what}: not a time: {str(value)[:40]!r}")


_MILLISECONDS_FROM = 1e12


# Counts are stored as 64-bit integers (BIGINT on PostgreSQL): anything wider cannot be written.
INT64_MAX = 2**63 - 1


def _int(value: Any) -> int | None:
    """A count: junk reads as unknown, but a number no column can hold makes the record bad.

    `inf`, `nan` and 99999999999999999999 would fail the write (and with it the file's
    transaction), so they are refused here, per record.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        try:
            as_float = float(value)
        except (TypeError, ValueError):
            return None
        if not math.isfinite(as_float):
            raise RecordError(f"count out of range: {str(value)[:40]!r}")
        number = int(as_float)
    if not -INT64_MAX <= number <= INT64_MAX:
        raise RecordError(f"count out of range: {str(number)[:40]}")
    return number


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _required_id(record: Mapping[str, Any], *keys: str) -> str:
    """A video id is a string or an integer; True, 1.5 or [] is no id (str() would invent one)."""
    for key in keys:
        raw = record.get(key)
        if raw is None or raw == "":
            continue
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            raise RecordError(f"video id {key!r}: expected a string or an integer, got {type(raw).__name__}")
        value = _str(raw)
        if value:
            return value
    raise RecordError(f"no video id ({' or '.join(keys)})")


def _obj(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _require_mapping(record: Any) -> Mapping[str, Any]:
    if not isinstance(record, Mapping):
        raise RecordError(f"expected a JSON object, got {type(record).__name__}")
    return record


# --- yt-dlp ---------------------------------------------------------------------------------------

def is_ytdlp(obj: Any) -> bool:
    return isinstance(obj, Mapping) and "id" in obj and (
        "extractor" in obj or "extractor_key" in obj or ("webpage_url" in obj and "_type" in obj))


def from_ytdlp(record: Any, source: str) -> tuple[Video, datetime | None]:
    """A yt-dlp `.info.json` object; hashtags come from the description (yt-dlp lists none)."""
    record = _require_mapping(record)
    extractor = str(record.get("extractor_key") or record.get("extractor") or "").split(":")[0].casefold()
    platform = YTDLP_PLATFORMS.get(extractor, extractor or "unknown")
    posted = parse_time(record.get("timestamp"), "timestamp") or parse_time(record.get("upload_date"), "upload_date")
    artists = record.get("artists")
    artist = ", ".join(str(a) for a in artists) if isinstance(artists, list) and artists else _str(record.get("artist"))
    track = _str(record.get("track"))
    description = _str(record.get("description"))
    video = Video(
        platform=platform,
        video_id=_required_id(record, "id"),
        posted_at=posted,
        description=description,
        author=_str(record.get("uploader")) or _str(record.get("channel")),
        author_id=_str(record.get("uploader_id")) or _str(record.get("channel_id")),
        url=_str(record.get("webpage_url")),
        hashtags=_merge_tags(hashtags_in_text(description), _list(record.get("tags"))),
        music_title=track,
        music_artist=artist,
        music_original=is_generic_sound_title(track) if track else False,
        views=_int(record.get("view_count")),
        likes=_int(record.get("like_count")),
        comments=_int(record.get("comment_count")),
        shares=_int(record.get("repost_count")),
        source=source,
        raw=dict(record),
    )
    return video, parse_time(record.get("epoch"), "epoch")


# --- TikTok Research API ------------------------------------------------------------------------

def is_research_page(obj: Any) -> bool:
    return isinstance(obj, Mapping) and isinstance(obj.get("data"), Mapping) and "videos" in obj["data"]


def research_videos(page: Mapping[str, Any]) -> list[Any]:
    videos = page["data"].get("videos")
    if not isinstance(videos, list):
        raise RecordError("data.videos is not a list")
    return videos


def from_research(record: Any, source: str) -> tuple[Video, datetime | None]:
    """One `data.videos[]` item of a Research API video query response."""
    record = _require_mapping(record)
    video_id = _required_id(record, "id")
    username = _str(record.get("username"))
    favourites = record.get("favorites_count", record.get("favourites_count"))
    description = _str(record.get("video_description"))
    video = Video(
        platform="tiktok",
        video_id=video_id,
        posted_at=parse_time(record.get("create_time"), "create_time"),
        description=description,
        author=username,
        author_id=username,
        url=f"https://www.tiktok.com/@{username}/video/{video_id}" if username else None,
        hashtags=_merge_tags(_list(record.get("hashtag_names")), hashtags_in_text(description)),
        music_id=_str(record.get("music_id")),
        effects=tuple(str(e) for e in _list(record.get("effect_ids")) if _str(e)),
        transcript=_str(record.get("voice_to_text")),
        views=_int(record.get("view_count")),
        likes=_int(record.get("like_count")),
        comments=_int(record.get("comment_count")),
        shares=_int(record.get("share_count")),
        source=source,
        raw={**record, "favorites_count": favourites} if favourites is not None else dict(record),
    )
    return video, None


# --- Zeeschuimer --------------------------------------------------------------------------------

def is_zeeschuimer(obj: Any) -> bool:
    return isinstance(obj, Mapping) and "data" in obj and ("item_id" in obj or "source_platform" in obj)


def from_zeeschuimer(record: Any, source: str) -> tuple[Video, datetime | None]:
    """One Zeeschuimer NDJSON line: a wrapper whose `data` is the platform's own item."""
    record = _require_mapping(record)
    platform = ZEESCHUIMER_PLATFORMS.get(str(record.get("source_platform") or "tiktok.com").casefold())
    if platform is None:
        raise RecordError(f"unsupported source_platform {record.get('source_platform')!r}")
    data = _require_mapping(record.get("data"))
    collected = parse_time(record.get("timestamp_collected"), "timestamp_collected")
    video = _zeeschuimer_tiktok(data, source) if platform == "tiktok" else _zeeschuimer_instagram(data, source)
    return video, collected


def _zeeschuimer_tiktok(data: Mapping[str, Any], source: str) -> Video:
    video_id = _required_id(data, "id")
    author = data.get("author")
    if isinstance(author, Mapping):
        username, author_id = _str(author.get("uniqueId")), _str(author.get("id"))
        nickname = _str(author.get("nickname"))
    else:
        username, author_id, nickname = _str(author), None, None
    music = _obj(data.get("music"))
    stats = _obj(data.get("stats"))
    desc = _str(data.get("desc"))
    tags = _merge_tags(
        (_str(_obj(t).get("hashtagName")) for t in _list(data.get("textExtra"))),
        (_str(_obj(c).get("title")) for c in _list(data.get("challenges"))),
        hashtags_in_text(desc),
    )
    title = _str(music.get("title"))
    return Video(
        platform="tiktok",
        video_id=video_id,
        posted_at=parse_time(data.get("createTime"), "createTime"),
        description=desc,
        author=username or nickname,
        author_id=author_id or username,
        url=f"https://www.tiktok.com/@{username}/video/{video_id}" if username else None,
        hashtags=tags,
        music_id=_str(music.get("id")),
        music_title=title,
        music_artist=_str(music.get("authorName")),
        music_original=bool(music.get("original")) or (title is not None and is_generic_sound_title(title)),
        effects=tuple(n for n in (_str(_obj(e).get("name")) for e in _list(data.get("effectStickers"))) if n),
        views=_int(stats.get("playCount")),
        likes=_int(stats.get("diggCount")),
        comments=_int(stats.get("commentCount")),
        shares=_int(stats.get("shareCount")),
        source=source,
        raw=dict(data),
    )


def _zeeschuimer_instagram(data: Mapping[str, Any], source: str) -> Video:
    code = _str(data.get("code"))
    video_id = code or _required_id(data, "id", "pk")
    user = _obj(data.get("user"))
    caption = _str(_obj(data.get("caption")).get("text"))
    clips = _obj(data.get("clips_metadata"))
    music = _obj(_obj(clips.get("music_info")).get("music_asset_info"))
    original = _obj(clips.get("original_sound_info"))
    title = _str(music.get("title")) or _str(original.get("original_audio_title"))
    return Video(
        platform="instagram",
        video_id=video_id,
        posted_at=parse_time(data.get("taken_at"), "taken_at"),
        description=caption,
        author=_str(user.get("username")),
        author_id=_str(user.get("pk")) or _str(user.get("id")),
        url=f"https://www.instagram.com/reel/{code}/" if code else None,
        hashtags=hashtags_in_text(caption),
        music_id=_str(music.get("audio_cluster_id")) or _str(original.get("audio_asset_id")),
        music_title=title,
        music_artist=_str(music.get("display_artist")),
        music_original=bool(original) and not music,
        views=_int(data.get("play_count")) or _int(data.get("view_count")),
        likes=_int(data.get("like_count")),
        comments=_int(data.get("comment_count")),
        source=source,
        raw=dict(data),
    )


# --- tiktok-scraper -----------------------------------------------------------------------------

def is_tiktok_scraper(obj: Any) -> bool:
    return isinstance(obj, Mapping) and ("musicMeta" in obj or "authorMeta" in obj) and "id" in obj


def from_tiktok_scraper(record: Any, source: str) -> tuple[Video, datetime | None]:
    """One item of drawrowfly/tiktok-scraper's JSON output (a list of these)."""
    record = _require_mapping(record)
    author = _obj(record.get("authorMeta"))
    music = _obj(record.get("musicMeta"))
    text = _str(record.get("text"))
    title = _str(music.get("musicName"))
    tags = _merge_tags((_str(_obj(h).get("name")) for h in _list(record.get("hashtags"))),
                       hashtags_in_text(text))
    video = Video(
        platform="tiktok",
        video_id=_required_id(record, "id"),
        posted_at=parse_time(record.get("createTime"), "createTime"),
        description=text,
        author=_str(author.get("name")) or _str(author.get("nickName")),
        author_id=_str(author.get("id")),
        url=_str(record.get("webVideoUrl")),
        hashtags=tags,
        music_id=_str(music.get("musicId")),
        music_title=title,
        music_artist=_str(music.get("musicAuthor")),
        music_original=bool(music.get("musicOriginal")) or (title is not None and is_generic_sound_title(title)),
        effects=tuple(n for n in (_str(_obj(e).get("name")) for e in _list(record.get("effectStickers"))) if n),
        views=_int(record.get("playCount")),
        likes=_int(record.get("diggCount")),
        comments=_int(record.get("commentCount")),
        shares=_int(record.get("shareCount")),
        source=source,
        raw=dict(record),
    )
    return video, None


# --- CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS: dict[str, str] = {
    "platform": "tiktok, instagram, youtube, vk, telegram or likee; default: from url, else tiktok",
    "video_id": "required (also accepted: id)",
    "posted_at": "ISO 8601 (naive = UTC) or Unix epoch seconds; required for matching",
    "author": "username of the creator",
    "author_id": "platform id of the creator",
    "url": "link to the video",
    "description": "caption as posted; hashtags in it are picked up",
    "hashtags": "extra hashtags, separated by spaces, commas, ; or |, '#' optional",
    "music_id": "the platform's sound id (TikTok music id)",
    "music_title": "sound title; 'original sound - …' counts as no title",
    "music_artist": "sound author",
    "music_original": "true/false/1/0/yes/no: the sound is the creator's own upload",
    "effects": "effect names, separated by ; or |",
    "transcript": "speech in the video (voice to text)",
    "views": "view count", "likes": "like count", "comments": "comment count", "shares": "share count",
    "collected_at": "when these counts were seen (ISO 8601 or epoch); default: import time",
    "followers": "the creator's follower count when collected (read by `briefwatch accounts`)",
}
_CSV_ALIASES = {"id": "video_id", "create_time": "posted_at", "timestamp": "posted_at",
                "username": "author", "view_count": "views", "like_count": "likes",
                "comment_count": "comments", "share_count": "shares", "music": "music_title",
                "follower_count": "followers", "author_followers": "followers"}
_TRUE = frozenset({"1", "true", "yes", "y", "t", "да"})


def csv_header_ok(header: Iterable[str]) -> bool:
    names = {_CSV_ALIASES.get(h.strip().casefold(), h.strip().casefold()) for h in header}
    return "video_id" in names


def from_csv_row(row: Mapping[str, str | None], source: str) -> tuple[Video, datetime | None]:
    """One CSV row; columns as in CSV_COLUMNS (names case-insensitive, a few aliases)."""
    r: dict[str, str] = {}
    for name, value in row.items():
        if name is None:
            continue
        key = _CSV_ALIASES.get(name.strip().casefold(), name.strip().casefold())
        if value is not None and value.strip() and key not in r:
            r[key] = value.strip()
    url = r.get("url")
    platform = (r.get("platform") or "").casefold() or next(
        (p for host, p in URL_PLATFORMS if url and host in url), "tiktok")
    description = r.get("description")
    title = r.get("music_title")
    original = r.get("music_original", "").casefold() in _TRUE or (title is not None and is_generic_sound_title(title))
    video = Video(
        platform=platform,
        video_id=_required_id(r, "video_id"),
        posted_at=parse_time(r.get("posted_at"), "posted_at"),
        description=description,
        author=r.get("author"),
        author_id=r.get("author_id"),
        url=url,
        hashtags=_merge_tags(_LIST_SPLIT.split(r.get("hashtags", "")), hashtags_in_text(description)),
        music_id=r.get("music_id"),
        music_title=title,
        music_artist=r.get("music_artist"),
        music_original=original,
        effects=tuple(e.strip() for e in re.split(r"[;|]", r.get("effects", "")) if e.strip()),
        transcript=r.get("transcript"),
        views=_int(r.get("views")),
        likes=_int(r.get("likes")),
        comments=_int(r.get("comments")),
        shares=_int(r.get("shares")),
        source=source,
        raw=dict(r),
    )
    return video, parse_time(r.get("collected_at"), "collected_at")


# --- followers ----------------------------------------------------------------------------------

# Where each format's stored `raw` keeps the creator's follower count, as a path of keys. The
# count is read when needed (`briefwatch accounts`), never copied into a column: the raw object
# is the record, and a format learnt later needs no re-import.
FOLLOWER_PATHS: tuple[tuple[str, ...], ...] = (
    ("authorStats", "followerCount"),  # Zeeschuimer TikTok item: {"authorStats": {"followerCount": 51200}}
    ("author", "followerCount"),  # some TikTok web payloads put it on the author
    ("authorMeta", "fans"),  # tiktok-scraper: {"authorMeta": {"name": "…", "fans": 12000}}
    ("channel_follower_count",),  # yt-dlp (YouTube, TikTok): "channel_follower_count": 8300
    ("user", "follower_count"),  # Zeeschuimer Instagram item: {"user": {"follower_count": 3100}}
    ("owner", "edge_followed_by", "count"),  # Instagram web GraphQL node
    ("follower_count",),  # Research API user info merged into a video record
    ("followers",),  # CSV column `followers` (aliases follower_count, author_followers)
)


def follower_count(raw: Mapping[str, Any] | None) -> int | None:
    """The creator's follower count kept in a video's raw metadata, or None when it has none."""
    if not raw:
        return None
    for path in FOLLOWER_PATHS:
        value: Any = raw
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        if value is not None and not isinstance(value, bool):
            try:
                count = _int(value)
            except RecordError:
                continue
            if count is not None and count >= 0:
                return count
    return None
