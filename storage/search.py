"""Full-text search over the SQLite archive (migrations 0009 and 0011): what the FTS5 tables are called,
which tables Alembic must leave alone, and how a researcher's query is folded like the index.

The index holds every text with ё/Ё written е/Е (the triggers do it in SQL), because
FTS5's unicode61 tokenizer folds case but keeps ё a letter of its own; a query must be folded
the same way or "всё" would stop finding what "все" finds.
"""

from __future__ import annotations

import re

# FTS5 tables of migrations 0009 and 0011, each with its shadow tables (`messages_fts_data`, ...).
FTS_TABLES = ("messages_fts", "message_versions_fts", "briefs_fts")
_FTS_OBJECT = re.compile(r"^(?:messages_fts|message_versions_fts|briefs_fts)(?:_(?:data|idx|content|docsize|config))?$")

# The posts whose current or any earlier text matches :q (a folded FTS5 query): since migration
# 0011 `messages_fts` holds every text of a post in its one row, so the messages table's search
# box in the web UI finds exactly these posts too.
EVERY_TEXT_MATCH = "SELECT rowid AS message_pk FROM messages_fts WHERE messages_fts MATCH :q"
_ESCAPE = re.compile(r'\s+|(".*?")')


def is_search_object(name: str | None) -> bool:
    """An FTS table or one of its shadow tables: not in the models, made by migrations 0009 and 0011."""
    return bool(name and _FTS_OBJECT.match(name))


def fold(text: str) -> str:
    """ё/Ё as е/Е, exactly as the triggers index text."""
    return text.replace("ё", "е").replace("Ё", "Е")


def fold_query(query: str | None) -> str | None:
    """A plain search box query as FTS5 reads it: each word quoted (so `-`, `:` or `"` typed by
    a researcher are words, not syntax) and folded like the index; a phrase in double quotes
    stays one phrase. This is Datasette's escape_fts, folded."""
    if query is None:
        return None
    if query.count('"') % 2:
        query += '"'
    bits = [bit for bit in _ESCAPE.split(fold(query)) if bit and bit != '""']
    return " ".join(f'"{bit}"' if not bit.startswith('"') else bit for bit in bits)
