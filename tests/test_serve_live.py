"""`briefwatch serve` while a daemon writes: new posts appear on the next request, and neither the
writer nor the server ever meets "database is locked" (WAL: readers and the writer go on together)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx

from tests.helpers import REPO, migrated_sqlite
from tests.serve_harness import running_server

POSTS = 150

# The writer: the archive's own engine (WAL, busy_timeout), one transaction per post, as the daemon commits.
_WRITER = textwrap.dedent("""
    import sys, time
    from datetime import datetime, timezone
    from sqlalchemy import text
    from storage.db import make_engine
    engine = make_engine(sys.argv[1])
    now = datetime(2026, 3, 1, tzinfo=timezone.utc).replace(tzinfo=None)
    for n in range(1, int(sys.argv[2]) + 1):
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO messages (channel_id, message_id, posted_at, text, entities, raw, "
                              "is_service, collected_at, source) VALUES (1, :n, :t, :body, '[]', '{}', 0, :t, 'live')"),
                         {"n": n, "t": now, "body": f"Живой пост номер {n}: звук «Ёлки»"})
        time.sleep(0.01)
""")


def test_posts_written_while_serving_appear_on_reload_and_nothing_is_locked(tmp_path: Path) -> None:
    url, engine = migrated_sqlite(tmp_path)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO channels (id, username, watched, added_at) "
                             "VALUES (1, 'zadaniya', 1, '2026-03-01 00:00:00')")
    engine.dispose()
    db = Path(url.removeprefix("sqlite:///"))
    with running_server(db) as base, httpx.Client(base_url=base, timeout=10) as client:
        def found() -> int:
            response = client.get("/archive/messages.json", params={"_search": "елки", "_size": "0"})
            assert response.status_code == 200, response.text
            return int(response.json()["filtered_table_rows_count"])

        assert found() == 0
        writer = subprocess.Popen([sys.executable, "-c", _WRITER, url, str(POSTS)], cwd=REPO,
                                  stderr=subprocess.PIPE, text=True)
        seen = []
        while writer.poll() is None:
            seen.append(found())
            time.sleep(0.02)
        _, errors = writer.communicate(timeout=30)
        assert writer.returncode == 0, errors
        assert "database is locked" not in errors
        assert found() == POSTS  # the reload after the writer finished sees every post
        assert seen == sorted(seen)  # each reload sees at least what the one before saw
        assert any(0 < n < POSTS for n in seen), seen  # live: posts appeared while the writer ran
        page = client.get("/archive/messages", params={"_search": "Ёлки", "_sort_desc": "message_id"})
        assert page.status_code == 200 and "Живой пост номер 150" in page.text
