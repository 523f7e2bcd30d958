"""The web UI's Datasette metadata, as code: titles and column descriptions from
storage.schema_docs (the README's schema table is made from the same text), labels so foreign
keys show channel names, hidden internal tables, sort orders, full-text search, facets, and the
canned questions researchers ask of an archive.

Everything here is data handed to `Datasette(metadata=...)`; bot/serve.py builds the server.
"""

from __future__ import annotations

from typing import Any

from storage.schema_docs import HIDDEN, TABLES, VIEWS, TableDoc
from storage.search import EVERY_TEXT_MATCH

DATABASE = "archive"  # the archive's name in the UI's URLs: /archive/messages

# Per table: what a researcher filters by first (facets), how rows sort, which FTS5 index
# (migration 0009) its search box uses, and which column names a row when a foreign key points at it.
_TABLE_EXTRAS: dict[str, dict[str, Any]] = {
    "channels": {"label_column": "username", "sort": "username"},
    "messages": {"sort_desc": "posted_at", "fts_table": "messages_fts", "fts_pk": "id",
                 "facets": ["channel_id", "source", "media_type", {"date": "posted_at"}]},
    "message_versions": {"sort_desc": "first_seen_at", "fts_table": "message_versions_fts", "fts_pk": "id"},
    "briefs": {"sort_desc": "id", "fts_table": "briefs_fts", "fts_pk": "id",
               "facets": ["status", "language", "pay_currency", {"array": "platforms"}, {"array": "hashtags"}]},
    "brief_posts": {"sort_desc": "posted_at",
                    "facets": ["channel", "status", "language", "pay_currency", {"array": "platforms"},
                               {"array": "hashtags"}, {"date": "posted_at"}]},
    "brief_versions": {"sort_desc": "recorded_at", "facets": ["status"]},
    "brief_hashtags": {"facets": ["key"]},
    "videos": {"label_column": "video_id", "sort_desc": "views",
               "facets": ["platform", "source", {"date": "posted_at"}]},
    "video_stats": {"sort_desc": "seen_at"},
    "matches": {"sort_desc": "score"},
    "media_files": {"facets": ["status", "kind"]},
    "alerts": {"sort_desc": "created_at", "facets": ["kind"]},
    "bursts": {"sort_desc": "score", "facets": [{"date": "start_at"}]},
}

_POST_URL = "CASE WHEN c.username IS NOT NULL THEN 'https://t.me/' || c.username || '/' || m.message_id END"
_POST = "messages m JOIN channels c ON c.id = m.channel_id"

# Canned queries: named parameters (`:name`) become a form; an empty parameter means "any".
QUERIES: dict[str, dict[str, Any]] = {
    "search_every_text": {
        "title": "Posts that ever said…",
        "description": "Full-text search over every text a post has had, its current text and every "
                       "earlier version of an edited one, deleted posts too. Case and ё/е do not matter; "
                       "words are matched whole (add * for a prefix: брат*).",
        "sql": f"""SELECT c.username AS channel, m.message_id, {_POST_URL} AS post_url, m.posted_at,
       m.edited_at, m.deleted_at, m.text
FROM {_POST}
WHERE m.id IN ({EVERY_TEXT_MATCH.replace(':q', 'escape_fts(:q)')})
ORDER BY m.posted_at DESC""",
    },
    "briefs_by_sound": {
        "title": "Briefs by sound",
        "description": "Briefs that ask for one sound: words of its title or artist (any case, ё/е alike), "
                       "or its TikTok music id.",
        "sql": f"""SELECT b.id AS brief_id, c.username AS channel, m.message_id, m.posted_at, b.status,
       b.audio_artist, b.audio_title, b.audio_music_id, b.audio_url, {_POST_URL} AS post_url,
       b.id AS campaign_chart
FROM briefs b JOIN messages m ON m.id = b.message_pk JOIN channels c ON c.id = m.channel_id
WHERE b.audio_music_id = :sound
   OR b.id IN (SELECT rowid FROM briefs_fts WHERE audio MATCH escape_fts(:sound))
ORDER BY m.posted_at""",
    },
    "brief_campaign": {
        "title": "One brief's campaign",
        "description": "The videos matched to one brief over time, with the running count of videos, "
                       "of accounts and of their views. The campaign_chart link draws it.",
        "sql": """WITH matched AS (
  SELECT v.id, v.posted_at, v.platform, v.author, v.url, v.views, mt.score,
         ROW_NUMBER() OVER (PARTITION BY v.platform, v.author ORDER BY v.posted_at, v.id) AS nth_of_author
  FROM matches mt JOIN videos v ON v.id = mt.video_pk
  WHERE mt.brief_id = CAST(:brief_id AS INTEGER))
SELECT posted_at, platform, author, url, views, round(score, 2) AS score,
       COUNT(*) OVER running AS videos_so_far,
       SUM(nth_of_author = 1) OVER running AS accounts_so_far,
       SUM(COALESCE(views, 0)) OVER running AS views_so_far,
       CAST(:brief_id AS INTEGER) AS campaign_chart
FROM matched WINDOW running AS (ORDER BY posted_at, id ROWS UNBOUNDED PRECEDING)
ORDER BY posted_at, id""",
    },
    "repeat_accounts": {
        "title": "Accounts that answered several briefs",
        "description": "Video authors matched to at least min_briefs different briefs (default 2), with "
                       "their videos and views: the repeat actors of the market.",
        "sql": """SELECT v.platform, v.author, COUNT(DISTINCT mt.brief_id) AS briefs, COUNT(DISTINCT v.id) AS videos,
       SUM(v.views) AS views, group_concat(DISTINCT mt.brief_id) AS brief_ids
FROM matches mt JOIN videos v ON v.id = mt.video_pk
WHERE v.author IS NOT NULL
GROUP BY v.platform, v.author
HAVING COUNT(DISTINCT mt.brief_id) >= CAST(COALESCE(NULLIF(:min_briefs, ''), 2) AS INTEGER)
ORDER BY briefs DESC, views DESC""",
    },
    "deleted_or_edited": {
        "title": "Posts the admins deleted or edited, with every version",
        "description": "Every deleted post and every post with more than one text, one row per text it "
                       "has had (oldest first). Leave channel empty for all channels.",
        "sql": f"""SELECT c.username AS channel, m.message_id, {_POST_URL} AS post_url, m.posted_at, m.edited_at,
       m.deleted_at, v.first_seen_at AS text_seen_at, COALESCE(v.text, m.text) AS text
FROM {_POST} LEFT JOIN message_versions v ON v.message_pk = m.id
WHERE (m.deleted_at IS NOT NULL
       OR m.id IN (SELECT message_pk FROM message_versions GROUP BY message_pk HAVING COUNT(*) > 1))
  AND (:channel = '' OR c.username = :channel)
ORDER BY m.posted_at DESC, m.id, v.first_seen_at""",
    },
    "withdrawn_briefs": {
        "title": "Briefs withdrawn by edits",
        "description": "Briefs an edit turned into a non-brief (the admins scrubbed the task), with every "
                       "state the brief went through and the post's text now.",
        "sql": f"""SELECT b.id AS brief_id, c.username AS channel, m.message_id, {_POST_URL} AS post_url,
       bv.version, bv.status, bv.changed, bv.recorded_at, m.text AS text_now
FROM briefs b JOIN messages m ON m.id = b.message_pk JOIN channels c ON c.id = m.channel_id JOIN brief_versions bv ON bv.brief_id = b.id
WHERE b.status = 'withdrawn'
ORDER BY b.id, bv.version""",
    },
    "unexplained_bursts": {
        "title": "Unexplained bursts",
        "description": "Bursts of coordinated use of one sound or tag set that no archived brief explains, "
                       "strongest first; since: an ISO date, or empty for all.",
        "sql": """SELECT id, sound, music_id, hashtags, start_at, end_at, accounts, videos, views, round(score, 2) AS score
FROM bursts
WHERE channel_id IS NULL AND (:since = '' OR start_at >= :since)
ORDER BY score DESC""",
    },
    "briefs_per_week": {
        "title": "Briefs per week per channel",
        "description": "How many briefs each channel posted each week (weeks start on Monday); "
                       "the chart at /-/briefwatch/briefs-per-week draws it.",
        "sql": """SELECT date(m.posted_at, 'weekday 0', '-6 days') AS week, c.username AS channel, COUNT(*) AS briefs
FROM briefs b JOIN messages m ON m.id = b.message_pk JOIN channels c ON c.id = m.channel_id
GROUP BY week, channel ORDER BY week, channel""",
    },
}

_HOME = """<p>The briefwatch archive: every post of the watched channels, the briefs parsed from them, the
videos observed and the matches between them. Read-only and live: the daemon keeps writing.</p>
<p>Charts: <a href="/-/briefwatch/briefs-per-week">briefs per week per channel</a>; a brief's campaign
timeline from the <code>campaign_chart</code> links of <a href="/archive/briefs_by_sound">briefs by sound</a>
and <a href="/archive/brief_campaign">one brief's campaign</a>.</p>"""


def _table(doc: TableDoc) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": doc.name.replace("_", " "), "description": f"One row per {doc.row}."}
    columns = {name: text.replace("`", "") for name, text in doc.columns if text}
    if columns:
        meta["columns"] = columns
    meta.update(_TABLE_EXTRAS.get(doc.name, {}))
    return meta


def build_metadata() -> dict[str, Any]:
    """The metadata for Datasette: one database, `archive`, described table by table."""
    tables = {doc.name: _table(doc) for doc in (*TABLES, *VIEWS)}
    for name in HIDDEN:
        tables.setdefault(name, {})["hidden"] = True
    return {
        "title": "briefwatch archive",
        "description_html": _HOME,
        "databases": {DATABASE: {"title": "Archive", "tables": tables, "queries": QUERIES}},
    }
