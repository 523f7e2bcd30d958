"""`briefwatch media verify`: every stored file re-hashed; missing and corrupt ones reported, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bot.cli import main
from storage import media
from storage.archive import archive_posts
from storage.db import transaction
from storage.models import MediaFile
from tests.test_media_store import NOW, post


def _stored(engine: Engine, store: Path, contents: list[bytes]) -> list[str]:
    """Posts 1..n archived, post i's file `contents[i-1]` put in the store; returns the hashes."""
    shas = []
    with transaction(engine) as s:
        archive_posts(s, [post(i + 1) for i in range(len(contents))], now=NOW)
        ids = s.scalars(select(MediaFile.id).order_by(MediaFile.id)).all()
        for row_id, data in zip(ids, contents, strict=True):
            temp = media.partial_path(store, str(row_id))
            temp.write_bytes(data)
            sha, size = media.put_file(store, temp)
            media.mark_done(s, row_id, sha256=sha, size=size, now=NOW)
            shas.append(sha)
    return shas


def _verify(tmp_path: Path, url: str, store: Path) -> int:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[media]\npath = "{store}"\n', encoding="utf-8")
    return main(["--db", url, "--config", str(cfg), "media", "verify"])


def test_an_intact_store_verifies(tmp_path: Path, engine: Engine, sqlite_url: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "media"
    _stored(engine, store, [b"sound", b"photo", b"sound"])
    assert _verify(tmp_path, sqlite_url, store) == 0
    out, err = capsys.readouterr()
    assert out == "" and "2 files verified" in err and "2 intact, 0 missing, 0 corrupt" in err


def test_a_corrupted_and_a_missing_file_are_reported_with_their_posts(tmp_path: Path, engine: Engine,
                                                                       sqlite_url: str,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "media"
    sound, photo, clip, _again = _stored(engine, store, [b"sound", b"photo", b"clip", b"sound"])
    media.store_path(store, sound).write_bytes(b"sounD")  # one flipped byte
    media.store_path(store, photo).unlink()
    assert _verify(tmp_path, sqlite_url, store) == 1
    out, err = capsys.readouterr()
    assert sorted(out.splitlines()) == [  # one line per file, in hash order: sorted here
        f"corrupt: {media.relative_path(sound)} (@zadaniya_blogeram/1, @zadaniya_blogeram/4)",
        f"missing: {media.relative_path(photo)} (@zadaniya_blogeram/2)",
    ]
    assert "3 files verified" in err and "1 intact, 1 missing, 1 corrupt" in err
    assert clip not in out
