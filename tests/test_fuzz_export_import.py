"""Fuzzing `briefwatch import telegram-export` with exports mutated from valid ones.

Starting from a few messages of the demo channel's export (a service message, briefs with
entity parts, an audio file, an edit, a poll), in a single-chat and a full-account export,
each example changes the JSON structure (values replaced by edge values, keys dropped or added,
values wrapped, items duplicated) and sometimes the bytes (truncated, binary inserted, a BOM,
CRLF). Whatever comes out: no traceback, exit 0, 1 or 2, one error line, and on failure the
archive exactly as it was (a checksum of every row). Counts and bounds: tests/fuzzing.py.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from bot.importers.telegram_export import import_export
from tests.fuzzing import (
    World,
    check_outcome,
    dump_json,
    fuzz_settings,
    mutate_bytes,
    mutate_json,
    peak_rss_mb,
    run_cli,
)
from tests.helpers import DEMO_EXPORT, archive_digest, default_config, migrated_sqlite

EXAMPLES = 300

_DEMO = json.loads(DEMO_EXPORT.read_text(encoding="utf-8"))
_SOME = [m for m in _DEMO["messages"] if m["id"] in (1, 2, 5, 10, 14)]
SINGLE_CHAT = {**{k: v for k, v in _DEMO.items() if k != "messages"}, "messages": _SOME}
FULL_ACCOUNT = {"about": "export", "chats": {"about": "", "list": [
    {**{k: v for k, v in _DEMO.items() if k != "messages"}, "messages": _SOME[:3]},
    {"name": "Друг", "type": "personal_chat", "id": 5550001, "messages": [
        {"id": 1, "type": "message", "date": "2022-02-27T15:04:05", "date_unixtime": "1645963445",
         "from": "Друг", "from_id": "user5550001", "text": "привет", "text_entities": [{"type": "plain", "text": "привет"}]},
    ]},
]}}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """An archive holding the demo channel; the parser warmed up before memory is measured."""
    folder = tmp_path_factory.mktemp("fuzz-export")
    url, engine = migrated_sqlite(folder)
    import_export(engine, DEMO_EXPORT, config=default_config(), tz="Europe/Moscow")
    shutil.copy(DEMO_EXPORT, folder / "warm.json")
    run_cli(["--db", url, "import", "telegram-export", str(folder / "warm.json")])
    yield World(folder, url, engine, peak_rss_mb())
    engine.dispose()


@fuzz_settings(EXAMPLES)
@given(data=st.data(), base=st.sampled_from([SINGLE_CHAT, FULL_ACCOUNT]), tz=st.sampled_from(
    ["Europe/Moscow", "America/New_York", "Pacific/Kiritimati", "UTC"]), batch=st.sampled_from(["1", "1000"]))
@pytest.mark.slow
def test_a_mutated_export_imports_or_fails_cleanly_leaving_the_archive_as_it_was(
        world: World, data: st.DataObject, base: dict[str, Any], tz: str, batch: str) -> None:
    raw = mutate_bytes(data, dump_json(data, mutate_json(data, base)))
    path = world.dir / "result.json"
    path.write_bytes(raw)
    before = archive_digest(world.engine)
    got = run_cli(["--db", world.url, "import", "telegram-export", str(path), "--tz", tz, "--batch-size", batch])
    event(f"exit {got.code}")
    check_outcome(got, rss_start_mb=world.rss_start_mb, codes=frozenset({0, 1}))
    if got.code != 0:
        assert len(got.err.splitlines()) == 1, got.err[:500]
        assert archive_digest(world.engine) == before, "a failed import changed the archive"
    else:
        assert got.out.startswith("result.json: "), got.out[:300]
