"""Full-text search for the web UI (SQLite only): FTS5 over every text a post has had and over
briefs' caption, script and sound, kept in sync by triggers; and the view `brief_posts` (a brief
with its channel and posting date, for facets)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

Tokenizer: `unicode61 remove_diacritics 2`. unicode61 splits on Unicode word boundaries and folds
case across scripts, so "БРАТ" finds "брат"; remove_diacritics 2 strips accents from Latin
letters (Ukrainian and Belarusian texts quote Latin brand names with them). It does not fold
ё into е (ё is a letter of its own to it), and Russian writers drop the dots at will, so the
indexed text has ё/Ё replaced by е/Е (SQL `replace` in the triggers, no extension needed) and
queries are folded the same way (storage.search.fold_query; `briefwatch serve` installs it as
Datasette's `escape_fts`). No stemmer: FTS5 has none for Russian, and a prefix query (`брат*`)
covers the endings a researcher wants. PostgreSQL archives are searched through
`briefwatch export sqlite`; on PostgreSQL this revision changes nothing.
"""

from __future__ import annotations

from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TOKENIZE = "unicode61 remove_diacritics 2"


def _fold(sql: str) -> str:
    return f"replace(replace({sql}, 'ё', 'е'), 'Ё', 'Е')"


# Every text of one message: the newest, then each earlier version that differs from it.
_ALL_TEXTS = _fold("m.text || coalesce((SELECT char(10) || group_concat(v.text, char(10)) "
                   "FROM message_versions v WHERE v.message_pk = m.id AND v.text <> m.text), '')")
_BRIEF_AUDIO = "trim(coalesce(b.audio_artist, '') || ' ' || coalesce(b.audio_title, ''))"


def _index_message(pk: str) -> str:
    return f"INSERT INTO messages_fts(rowid, text) SELECT m.id, {_ALL_TEXTS} FROM messages m WHERE m.id = {pk};"


_BRIEF_COLUMNS = ", ".join(_fold(sql) for sql in ("coalesce(b.caption, '')", "coalesce(b.script, '')", _BRIEF_AUDIO))


def _index_brief(where: str) -> str:
    return f"INSERT INTO briefs_fts(rowid, caption, script, audio) SELECT b.id, {_BRIEF_COLUMNS} FROM briefs b{where}"


STATEMENTS = (
    f"CREATE VIRTUAL TABLE messages_fts USING fts5(text, tokenize = '{TOKENIZE}')",
    f"CREATE VIRTUAL TABLE briefs_fts USING fts5(caption, script, audio, tokenize = '{TOKENIZE}')",
    f"CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN {_index_message('new.id')} END",
    "CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN "
    f"DELETE FROM messages_fts WHERE rowid = old.id; {_index_message('new.id')} END",
    "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN "
    "DELETE FROM messages_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER message_versions_fts_insert AFTER INSERT ON message_versions BEGIN "
    f"DELETE FROM messages_fts WHERE rowid = new.message_pk; {_index_message('new.message_pk')} END",
    "CREATE TRIGGER message_versions_fts_delete AFTER DELETE ON message_versions BEGIN "
    f"DELETE FROM messages_fts WHERE rowid = old.message_pk; {_index_message('old.message_pk')} END",
    f"CREATE TRIGGER briefs_fts_insert AFTER INSERT ON briefs BEGIN {_index_brief(' WHERE b.id = new.id;')} END",
    "CREATE TRIGGER briefs_fts_update AFTER UPDATE OF caption, script, audio_title, audio_artist ON briefs BEGIN "
    f"DELETE FROM briefs_fts WHERE rowid = old.id; {_index_brief(' WHERE b.id = new.id;')} END",
    "CREATE TRIGGER briefs_fts_delete AFTER DELETE ON briefs BEGIN DELETE FROM briefs_fts WHERE rowid = old.id; END",
    f"INSERT INTO messages_fts(rowid, text) SELECT m.id, {_ALL_TEXTS} FROM messages m",
    _index_brief(""),
    """CREATE VIEW brief_posts AS
SELECT b.id AS brief_id, c.username AS channel, m.channel_id, m.message_id, m.posted_at,
       CASE WHEN c.username IS NOT NULL THEN 'https://t.me/' || c.username || '/' || m.message_id END AS post_url,
       b.status, b.language, b.platforms, b.hashtags, b.audio_artist, b.audio_title, b.audio_music_id,
       b.caption, b.pay_min, b.pay_max, b.pay_currency, b.min_followers, b.window_start, b.window_end,
       b.delete_after, b.confidence, b.parser_version
FROM briefs b JOIN messages m ON m.id = b.message_pk JOIN channels c ON c.id = m.channel_id""",
)

DROPS = (
    "DROP VIEW IF EXISTS brief_posts",
    *(f"DROP TRIGGER IF EXISTS {name}" for name in (
        "messages_fts_insert", "messages_fts_update", "messages_fts_delete", "message_versions_fts_insert",
        "message_versions_fts_delete", "briefs_fts_insert", "briefs_fts_update", "briefs_fts_delete")),
    "DROP TABLE IF EXISTS messages_fts",
    "DROP TABLE IF EXISTS briefs_fts",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in DROPS:
        op.execute(statement)
