"""An archive is not many times the export it came from.

Before migration 0004 a 97 MB export became a 788 MB database: every JSON value was `\\u`-escaped
(six bytes per Cyrillic letter) and every post's text and raw object were stored twice. The
full-text index of migration 0009 is measured on its own: it points at the archive's rows
instead of copying their text, so it stays a small fraction of the export.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bench.import_export import make_export
from bot.importers.telegram_export import import_export
from storage.db import make_engine
from storage.migrate import upgrade
from storage.search import is_search_object
from tests.helpers import default_config


def test_a_database_made_from_an_export_is_at_most_twice_its_size(tmp_path: Path) -> None:
    lines = tmp_path / "lines.json"
    make_export(lines, 3000)
    export = tmp_path / "result.json"  # Telegram Desktop's own layout: one-space indent, UTF-8
    export.write_text(json.dumps(json.loads(lines.read_text(encoding="utf-8")), ensure_ascii=False, indent=1),
                      encoding="utf-8")
    db = tmp_path / "archive.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    import_export(engine, export, config=default_config(), tz="Europe/Moscow", channel_username="bench")
    engine.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert conn.execute("SELECT count(*) FROM messages").fetchone() == (3000,)
        assert conn.execute("SELECT count(*) FROM briefs").fetchone()[0] > 50
        pages = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    search = sum(size for name, size in pages if is_search_object(name))
    archive = db.stat().st_size - search
    assert archive <= 2 * export.stat().st_size, (archive, export.stat().st_size)
    assert 0 < search <= 0.15 * export.stat().st_size, (search, export.stat().st_size)
