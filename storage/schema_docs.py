"""What each table and column of the archive means, said once: the README's schema table
(scripts/readme_help.py writes it) and the web UI's titles and column descriptions
(`briefwatch serve`, bot/serve_metadata.py) are both made from this, and tests/test_docs.py fails
while the README differs from it or while a table or column here is not in the models.

Each table: what one row is, then the columns a researcher reads, each with what it holds ("" when
the name says it). Tables the web UI hides (`HIDDEN`) are cursors and crawl state.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableDoc:
    name: str
    row: str  # "one row per ..."
    columns: tuple[tuple[str, str], ...]
    note: str = ""  # before the columns in the README (e.g. the unique key)


def _cols(*pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return pairs


TABLES: tuple[TableDoc, ...] = (
    TableDoc("channels", "Telegram channel", _cols(
        ("id", "bare channel id"), ("username", ""), ("title", ""), ("access_hash", ""), ("watched", ""),
        ("added_at", ""))),
    TableDoc("messages", "archived post, kept forever", _cols(
        ("channel_id", ""), ("message_id", ""), ("posted_at", ""), ("text", "newest"), ("entities", ""),
        ("raw", "the message JSON exactly as received"), ("media_type", ""), ("media_performer", ""),
        ("media_title", ""), ("media_file", ""), ("forwarded_from", ""), ("reply_to", ""), ("views", ""),
        ("edited_at", ""), ("deleted_at", "set when the channel deleted it; text kept"), ("collected_at", ""),
        ("source", "`live`, `backfill`, `export:<file>`"), ("is_service", ""), ("parsed_with", "")),
        note="unique (`channel_id`, `message_id`)"),
    TableDoc("message_versions", "distinct text an edited message has had (a post with one text has no "
             "row: its text is `messages.text`)", _cols(
        ("message_pk", ""), ("text", ""),
        ("raw", ("as received then; `NULL` for the current text, whose raw object is `messages.raw`: "
                "`COALESCE(v.raw, m.raw)`")),
        ("edited_at", ""), ("first_seen_at", "the first text: when it was collected"))),
    TableDoc("briefs", "post the parser ever judged a brief (its `id` is the brief's number: stable, never "
             "reused)", _cols(
        ("message_pk", ""),
        ("status", ("`active`; `withdrawn` when an edit made the post a non-brief; `deleted` when the post "
                   "was deleted")),
        ("version", ""), ("parser_version", ""), ("confidence", ""), ("language", ""), ("platforms", ""),
        ("audio_title", ""), ("audio_artist", ""), ("audio_url", ""), ("audio_music_id", ""),
        ("hashtags", ""), ("caption", ""), ("script", ""), ("effects", ""), ("window_start", ""),
        ("window_end", ""), ("pay_min", ""), ("pay_max", ""), ("pay_currency", "ISO 4217"),
        ("min_followers", ""), ("min_views", ""), ("delete_after", ""),
        ("data", "the SPEC brief JSON; for a withdrawn brief the last brief it was"))),
    TableDoc("brief_versions", "state of a brief: its first parse and every change", _cols(
        ("brief_id", ""), ("version", "1, 2, …"), ("status", ""),
        ("changed", "the brief fields that moved, and `status`"),
        ("data", "the brief JSON of that parse, `NULL` when the post no longer read as a brief"),
        ("parser_version", ""), ("message_version_pk", "the text parsed"), ("recorded_at", ""))),
    TableDoc("brief_hashtags", "hashtag a brief asks for", _cols(
        ("brief_id", ""),
        ("key", "normalised: NFKC, casefold, ё→е, zero-width removed, look-alikes folded"),
        ("tag", "as written"))),
    TableDoc("brief_audio_keys", "key of a brief's sound", _cols(
        ("brief_id", ""), ("kind", "`music_id` or `title`"),
        ("key", "title transliterated: \"Брат за брата\" → `brat za brata`"))),
    TableDoc("videos", "observed video (unique `platform`, `video_id`)", _cols(
        ("platform", ""), ("video_id", ""), ("posted_at", ""), ("author", ""), ("url", ""), ("description", ""),
        ("music_id", ""), ("music_title", ""), ("music_original", ""), ("views", "latest"), ("likes", "latest"),
        ("comments", "latest"), ("shares", "latest"), ("source", ""), ("raw", ""))),
    TableDoc("video_hashtags", "hashtag of a video", _cols(
        ("video_pk", ""), ("key", "as for `brief_hashtags`"), ("tag", "as written"))),
    TableDoc("video_audio_keys", "key of a video's sound", _cols(
        ("video_pk", ""), ("kind", "`music_id` or `title`"), ("key", "as for `brief_audio_keys`"))),
    TableDoc("video_stats", "sighting of a video's counts", _cols(
        ("video_pk", ""), ("seen_at", ""), ("views", ""), ("likes", ""), ("comments", ""), ("shares", ""))),
    TableDoc("matches", "video that plausibly answers a brief", _cols(
        ("brief_id", ""), ("video_pk", ""), ("score", "0..1"), ("evidence", "per component, with why"))),
    TableDoc("media_files", "file attached to an archived post (see [Media](#media))", _cols(
        ("message_pk", ""), ("kind", ""), ("mime", ""), ("size", "bytes"), ("sha256", "names it in the store"),
        ("status", "`pending`, `done`, `too_big`, `missing`, `failed`"), ("downloaded_at", ""))),
    TableDoc("alerts", "alert for one monitor chat (the outbox)", _cols(
        ("kind", ""), ("chat_id", ""), ("text", "HTML"), ("created_at", ""), ("sent_at", ""), ("attempts", ""),
        ("last_error", ""))),
    TableDoc("alert_mutes", "brief muted by a monitor", _cols(("brief_id", ""), ("muted_by", ""), ("muted_at", ""))),
    TableDoc("bursts", "burst the daemon found (see [Burst alerts](#burst-alerts))", _cols(
        ("sound_key", ""), ("sound", ""), ("music_id", ""), ("hashtags", ""), ("start_at", ""), ("end_at", ""),
        ("accounts", ""), ("videos", ""), ("views", ""), ("score", ""),
        ("channel_id", "with `message_id`: the brief that explains it, or `NULL`"), ("message_id", ""),
        ("first_seen_at", ""), ("updated_at", ""))),
    TableDoc("sync_state", "named cursor", _cols(
        ("key", "backfill positions, the bot's update offset, the matcher's watermark"), ("value", ""))),
)

# SQLite only (migration 0009): the view the web UI facets briefs by channel and date with.
VIEWS: tuple[TableDoc, ...] = (
    TableDoc("brief_posts", "brief with its post (SQLite view, for the web UI)", _cols(
        ("brief_id", "`briefs.id`"), ("channel", "the channel's username"), ("channel_id", ""), ("message_id", ""),
        ("posted_at", "when the post was published"), ("post_url", "the post on t.me"), ("status", ""),
        ("language", ""), ("platforms", ""), ("hashtags", ""), ("audio_title", ""), ("caption", ""),
        ("pay_min", ""), ("pay_max", ""), ("pay_currency", ""))),
)

# Internal tables the web UI does not list (still reachable by SQL): migrations, cursors, crawl state,
# and the workers' coordination state (migration 0010; `briefwatch workers` shows it).
HIDDEN = ("alembic_version", "sync_state", "collect_crawls", "collect_quota", "messages_fts", "message_versions_fts",
          "briefs_fts", "workers", "channel_leases", "account_channels", "leader_lease", "flood_waits")


def table_doc(name: str) -> TableDoc | None:
    return next((t for t in (*TABLES, *VIEWS) if t.name == name), None)


def readme_table() -> str:
    """The README's schema table, a row per table: what a row is, then its columns."""
    lines = ["| table | one row per | key columns |", "| --- | --- | --- |"]
    for doc in (*TABLES, *VIEWS):
        cols = ", ".join(f"`{c}` ({d})" if d else f"`{c}`" for c, d in doc.columns)
        if doc.note:
            cols = f"{doc.note}; {cols}"
        lines.append(f"| `{doc.name}` | {doc.row} | {cols} |")
    return "\n".join(lines)
