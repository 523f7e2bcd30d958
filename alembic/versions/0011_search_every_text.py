"""The messages table's search box finds every text a post has had (SQLite only): `messages_fts`
indexes, per post, its current text and every earlier version of it

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

Migration 0009 indexed a post's current text in `messages_fts` and every version of an edited
post in `message_versions_fts`. Datasette's table search box reads one index keyed by the
table's rowid, so on the messages table it found an edited post by its new text only: the
words an admin edited away, the very thing an archive keeps, were findable through the canned
query alone. Now `messages_fts` holds one row per post with all of its texts (the current one
and, for an edited post, every version; the current text twice does no harm), so the search
box, the canned query and `storage.search.EVERY_TEXT_MATCH` all read the same single index.
Deleted posts stay in `messages` (with `deleted_at`) and so stay searchable.

The index is contentless (`content = ''`): it keeps no copy of the texts, only the tokens, like
0009's external-content index did. Removing a post's row from such an index means handing it
the exact text that was indexed, so every change to a post's texts goes through two triggers:
a BEFORE trigger removes the row as the database holds it then, an AFTER trigger adds it as it
holds it now. Both compute the same function of the database (`_ALL_TEXTS`), so what is
removed is always what was added. A version trigger does nothing once its post is gone (a
cascade from a deleted post: SQLite deletes the post's row before its versions, and the post's
own BEFORE DELETE trigger has removed its index row already).
"""

from __future__ import annotations

from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

TOKENIZE = "unicode61 remove_diacritics 2"


def _fold(sql: str) -> str:
    return f"replace(replace({sql}, 'ё', 'е'), 'Ё', 'Е')"


def _all_texts(pk: str) -> str:
    """Every text post `pk` has had, in the order they were seen, folded as the index holds it."""
    versions = (f"(SELECT group_concat(text, char(10)) FROM (SELECT text FROM message_versions "
                f"WHERE message_pk = {pk} ORDER BY id))")
    return _fold(f"coalesce((SELECT text FROM messages WHERE id = {pk}), '') || char(10) || "
                 f"coalesce({versions}, '')")


def _remove(pk: str) -> str:
    return f"INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', {pk}, {_all_texts(pk)});"


def _add(pk: str) -> str:
    return f"INSERT INTO messages_fts(rowid, text) VALUES ({pk}, {_all_texts(pk)});"


def _when(*conditions: str) -> str:
    return " AND ".join(f"EXISTS (SELECT 1 FROM messages WHERE id = {c})" if c.endswith("message_pk") else c
                        for c in conditions)


_MOVED = "new.message_pk IS NOT old.message_pk"

# (name, timing and event, condition, statement): every change to a version re-indexes its post,
# removed BEFORE as it stood and added AFTER as it stands. A version moved to another post (no
# code does it, but SQL can) re-indexes both posts.
_VERSION_TRIGGERS = (
    ("insert_before", "BEFORE INSERT", _when("new.message_pk"), _remove("new.message_pk")),
    ("insert_after", "AFTER INSERT", _when("new.message_pk"), _add("new.message_pk")),
    ("update_before", "BEFORE UPDATE OF text, message_pk", _when("old.message_pk"), _remove("old.message_pk")),
    ("update_after", "AFTER UPDATE OF text, message_pk", _when("old.message_pk"), _add("old.message_pk")),
    ("moved_before", "BEFORE UPDATE OF message_pk", _when(_MOVED, "new.message_pk"), _remove("new.message_pk")),
    ("moved_after", "AFTER UPDATE OF message_pk", _when(_MOVED, "new.message_pk"), _add("new.message_pk")),
    ("delete_before", "BEFORE DELETE", _when("old.message_pk"), _remove("old.message_pk")),
    ("delete_after", "AFTER DELETE", _when("old.message_pk"), _add("old.message_pk")),
)
_TRIGGERS = ("messages_fts_insert", "messages_fts_update_before", "messages_fts_update_after",
             "messages_fts_delete", *(f"messages_fts_versions_{name}" for name, *_ in _VERSION_TRIGGERS))


STATEMENTS = (
    "DROP TRIGGER messages_fts_insert",
    "DROP TRIGGER messages_fts_update",
    "DROP TRIGGER messages_fts_delete",
    "DROP TABLE messages_fts",
    f"CREATE VIRTUAL TABLE messages_fts USING fts5(text, content = '', tokenize = '{TOKENIZE}')",
    f"CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN {_add('new.id')} END",
    f"CREATE TRIGGER messages_fts_update_before BEFORE UPDATE OF text ON messages BEGIN {_remove('old.id')} END",
    f"CREATE TRIGGER messages_fts_update_after AFTER UPDATE OF text ON messages BEGIN {_add('new.id')} END",
    f"CREATE TRIGGER messages_fts_delete BEFORE DELETE ON messages BEGIN {_remove('old.id')} END",
    *(f"CREATE TRIGGER messages_fts_versions_{name} {event} ON message_versions WHEN {when} BEGIN {statement} END"
      for name, event, when, statement in _VERSION_TRIGGERS),
    f"INSERT INTO messages_fts(rowid, text) SELECT m.id, {_all_texts('m.id')} FROM messages m",
)

# 0009's index of current texts, as it was.
DOWNGRADE = (
    *(f"DROP TRIGGER IF EXISTS {name}" for name in _TRIGGERS),
    "DROP TABLE messages_fts",
    (f"CREATE VIRTUAL TABLE messages_fts USING fts5(text, content = 'messages', content_rowid = 'id', "
     f"tokenize = '{TOKENIZE}')"),
    ("CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN INSERT INTO messages_fts(rowid, text) "
     f"VALUES (new.id, {_fold('new.text')}); END"),
    ("CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN "
     f"INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, {_fold('old.text')}); "
     f"INSERT INTO messages_fts(rowid, text) VALUES (new.id, {_fold('new.text')}); END"),
    ("CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN "
     f"INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, {_fold('old.text')}); END"),
    f"INSERT INTO messages_fts(rowid, text) SELECT id, {_fold('text')} FROM messages",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in DOWNGRADE:
        op.execute(statement)
