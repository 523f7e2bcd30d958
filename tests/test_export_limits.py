"""Bounds on one message of `import telegram-export` (import.max_text_mb, max_message_mb) and
the reader that keeps long strings linear (bot/importers/json_chunks.py).

A 10 MB text is refused as an error naming its message under the default 1 MB limit, and
imported whole when the researcher raises it; how fast is bench/big_message.py's business, these
tests check what happens. The limit counts the text's UTF-8 bytes once decoded, however it is
written in the file (escapes take up to six bytes per byte).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from bot.entities import export_entities
from bot.errors import ImportFormatError
from bot.importers.json_chunks import StringTooLong, WholeStringReader
from bot.importers.telegram_export import Limits, iter_export
from tests.helpers import archive_digest, migrated_sqlite, run_cli

TEN_MB = 10 << 20
CHANNEL = 1700000099
# One 10 MB text four ways: plain ASCII, Cyrillic (two bytes a letter), escaped newlines (two
# bytes in the file for one), and \u escapes (six bytes in the file for one).
TEXTS = {"ascii": ("a", False), "cyrillic": ("ж", False), "newlines": ("\n", False), "u-escapes": ("a", True)}


def _write_export(path: Path, messages: list[dict[str, Any]], *, ascii_escapes: bool = False) -> Path:
    doc = {"name": "Большой", "type": "public_channel", "id": CHANNEL, "messages": messages}
    body = json.dumps(doc, ensure_ascii=False)
    if ascii_escapes:  # every 'a' of the long text as \u0061
        body = body.replace("a" * 64, "\\u0061" * 64)
    path.write_text(body, encoding="utf-8")
    return path


def _message(msg_id: int, text_value: Any) -> dict[str, Any]:
    return {"id": msg_id, "type": "message", "date": "2022-02-27T15:04:05",
            "date_unixtime": str(1645963445 + msg_id), "text": text_value}


def _big_text(kind: str, size: int = TEN_MB) -> str:
    char, _escaped = TEXTS[kind]
    return char * (size // len(char.encode("utf-8")))


@pytest.fixture
def archive(tmp_path: Path) -> tuple[str, Engine]:
    url, engine = migrated_sqlite(tmp_path)
    return url, engine


@pytest.mark.parametrize("kind", TEXTS)
def test_a_10_mb_text_is_refused_naming_its_message_and_the_archive_is_unchanged(
        archive: tuple[str, Engine], tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    url, engine = archive
    path = _write_export(tmp_path / "result.json", [_message(1, "обычный пост"), _message(2, _big_text(kind))],
                         ascii_escapes=TEXTS[kind][1])
    before = archive_digest(engine)
    code, out, err = run_cli(["--db", url, "import", "telegram-export", str(path)], capsys)
    assert (code, out) == (1, "")
    assert err == (f"briefwatch: error: {path}: message 2: a text larger than 1048576 bytes "
                   "(import.max_text_mb)\n")
    assert archive_digest(engine) == before


@pytest.mark.parametrize("kind", TEXTS)
def test_a_10_mb_text_imports_whole_when_the_limit_is_raised(
        archive: tuple[str, Engine], tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    url, engine = archive
    big = _big_text(kind)
    path = _write_export(tmp_path / "result.json", [_message(1, "обычный пост"), _message(2, big)],
                         ascii_escapes=TEXTS[kind][1])
    config = tmp_path / "config.toml"
    config.write_text("[import]\nmax_text_mb = 11\nmax_message_mb = 64\n", encoding="utf-8")
    code, out, err = run_cli(["--config", str(config), "--db", url, "import", "telegram-export", str(path)], capsys)
    assert (code, err) == (0, ""), err
    assert out.startswith("result.json: 2 messages read, 2 new"), out
    with engine.connect() as conn:
        stored = conn.scalar(text("SELECT text FROM messages WHERE message_id = 2"))
    assert stored == big


@pytest.mark.parametrize("written_as", ["plain", "\\u escapes", "surrogate pairs"])
def test_the_text_limit_counts_decoded_utf8_bytes_exactly(tmp_path: Path, written_as: str) -> None:
    limits = Limits(max_text_bytes=4000, max_message_bytes=1 << 20)
    char, escape = {"plain": ("ж", None), "\\u escapes": ("ж", "\\u0436"),
                    "surrogate pairs": ("😀", "\\ud83d\\ude00")}[written_as]
    per_char = len(char.encode("utf-8"))

    def import_of(chars: int) -> list[str]:
        body = json.dumps({"name": "c", "type": "public_channel", "id": CHANNEL,
                           "messages": [_message(1, char * chars)]}, ensure_ascii=False)
        if escape:
            body = body.replace(char, escape)
        path = tmp_path / "result.json"
        path.write_text(body, encoding="utf-8")
        return [post.text for post in iter_export(path, tz="UTC", limits=limits)]

    assert import_of(4000 // per_char) == [char * (4000 // per_char)]
    with pytest.raises(ImportFormatError, match=r"message 1: a text larger than 4000 bytes"):
        import_of(4000 // per_char + 1)


def test_a_message_larger_than_max_message_mb_is_refused_naming_it(tmp_path: Path) -> None:
    parts = [{"type": "bold", "text": f"часть {i}"} for i in range(20000)]
    path = _write_export(tmp_path / "result.json", [_message(1, "ok"), _message(2, parts), _message(3, "ok")])
    with pytest.raises(ImportFormatError, match=r"message 2: larger than 65536 bytes \(import.max_message_mb\)"):
        list(iter_export(path, tz="UTC", limits=Limits(max_message_bytes=1 << 16)))


def test_a_huge_string_outside_any_message_is_refused_at_its_byte(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "x" * (7 << 20), "type": "public_channel", "id": CHANNEL,
                                "messages": [_message(1, "ok")]}), encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"byte 9: expected a Telegram Desktop export, got a text larger"):
        list(iter_export(path, tz="UTC"))


def test_a_message_of_300000_parts_keeps_every_entity_offset_in_utf16_units(tmp_path: Path) -> None:
    parts: list[Any] = []
    for i in range(150000):
        parts.append(f" слово 😀 {i} ")
        parts.append({"type": "hashtag", "text": f"#тег{i}"})
    path = _write_export(tmp_path / "result.json", [_message(1, parts)])
    post, = iter_export(path, tz="UTC", limits=Limits(max_message_bytes=64 << 20))
    assert len(post.entities) == 150000
    units = 0
    for i, entity in enumerate(post.entities):
        plain = f" слово 😀 {i} "
        units += len(plain) + 1  # the emoji is two UTF-16 units
        assert entity == {"type": "hashtag", "text": f"#тег{i}", "offset": units, "length": len(f"#тег{i}")}
        units += len(f"#тег{i}")


def test_parts_that_are_nowhere_in_the_text_cost_a_bounded_search() -> None:
    text_value = "x" * 100_000 + "жирный"
    missing = [{"type": "bold", "text": f"нет{i}"} for i in range(10_000)]
    ahead = [{"type": "bold", "text": "жирный"}]  # not where the parts before it end: looked for
    assert export_entities(text_value, [*missing, *ahead]) == []  # the look-ahead budget is spent
    assert export_entities(text_value, [*missing[:3], *ahead]) == [
        {"type": "bold", "text": "жирный", "offset": 100_000, "length": 6}]


# --- the reader ---------------------------------------------------------------------------------


def _string_state_at_ends(data: bytes, cuts: list[int]) -> list[bool]:
    """Whether each cut falls inside a JSON string: a byte-by-byte scan, the reference."""
    inside, escaped, states, at = False, False, [], 0
    for cut in cuts:
        for byte in data[at:cut]:
            if escaped:
                escaped = False
            elif inside and byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                inside = not inside
        states.append(inside)
        at = cut
    return states


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    lambda children: st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=20), children, max_size=6),
    max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(value=json_values, size=st.integers(1, 64), ascii_only=st.booleans())
def test_the_reader_hands_out_the_whole_file_in_chunks_that_never_end_inside_a_string(
        value: Any, size: int, ascii_only: bool) -> None:
    data = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    reader = WholeStringReader(io.BytesIO(data), max_string_bytes=1 << 30)
    chunks = []
    while chunk := reader.read(size):
        chunks.append(chunk)
    assert b"".join(chunks) == data and reader.pos == len(data)
    cuts = [sum(map(len, chunks[:i + 1])) for i in range(len(chunks))]
    assert not any(_string_state_at_ends(data, cuts))


def _longest_string(data: bytes) -> int:
    """Bytes of the longest JSON string as written, quotes included (the reference scan)."""
    inside, escaped, start, longest = False, False, 0, 0
    for at, byte in enumerate(data):
        if escaped:
            escaped = False
        elif inside and byte == 0x5C:
            escaped = True
        elif byte == 0x22:
            if inside:
                longest = max(longest, at + 1 - start)
            inside, start = not inside, at
    return longest


@settings(max_examples=300, deadline=None)
@given(value=json_values, size=st.integers(1, 64), bound=st.integers(2, 400))
def test_the_reader_refuses_only_strings_over_its_bound_and_always_those_well_over_it(
        value: Any, size: int, bound: int) -> None:
    data = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    reader = WholeStringReader(io.BytesIO(data), max_string_bytes=bound)
    chunks = []
    try:
        while chunk := reader.read(size):
            chunks.append(chunk)
    except StringTooLong as exc:
        assert _longest_string(data) > bound
        assert data[exc.at_byte:exc.at_byte + 1] == b'"' and exc.at_byte == sum(map(len, chunks))
        return
    assert b"".join(chunks) == data
    assert _longest_string(data) <= bound + 2 * size  # only one inside a chunk read whole escapes


def test_the_reader_refuses_a_string_longer_than_its_bound_where_it_starts() -> None:
    data = b'{"a": "short", "b": "' + b"x" * 5000 + b'"}'
    reader = WholeStringReader(io.BytesIO(data), max_string_bytes=1000)
    assert reader.read(64) == b'{"a": "short", "b": '  # what comes before goes out first
    with pytest.raises(StringTooLong) as raised:
        reader.read(64)
    assert raised.value.at_byte == data.index(b'"x')
