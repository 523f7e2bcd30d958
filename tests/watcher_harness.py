"""Shared pieces of the watcher scenario tests: the loopback server, a daemon on it, DB probes.

Everything is real except the network: Telethon's own client talks MTProto to
tests/telegram_server.py, and the daemon writes to a migrated SQLite archive.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from bot.config import Config, load_config
from bot.daemon import Daemon
from bot.media_job import MediaDownloader
from bot.watcher import TelegramSource
from storage.db import transaction
from storage.models import BriefRow, Message, MessageVersion
from tests.telegram_server import TelegramTestServer

BRIEF = ("🔥 ЗАДАНИЕ 🔥 Нужны блогеры TikTok! Снять видео под звук «Брат за брата» с хештегом "
         "#СвоихНеБросаем. Оплата 2000 руб. Публикация завтра с 18:00 до 21:00 по мск.")
NOT_BRIEF = "Всем доброе утро! Сегодня заданий не будет, отдыхаем."

logging.getLogger("telethon").setLevel(logging.ERROR)


def make_config(session: Path, **overrides: Any) -> Config:
    base = load_config(None, env={})
    values = {
        "telegram.api_id": 12345, "telegram.api_hash": "0123456789abcdef", "telegram.session": str(session),
        "telegram.flood_wait_max": 5, "telegram.backfill_batch": 20, "telegram.deletion_sweep_depth": 50,
        "schedule.gap_check_seconds": 3600, "schedule.deletion_sweep_seconds": 3600,
    }
    values.update(overrides)
    return base.with_overrides(**values)


@dataclass
class Row:
    message_id: int
    text: str
    deleted: bool
    versions: int
    parsed: bool
    brief: bool
    source: str


def rows(engine: Engine, channel_id: int) -> dict[int, Row]:
    """The archive of one channel as plain values (one read transaction). `versions` counts
    distinct texts: a post with one text has no message_versions row."""
    with transaction(engine) as s:
        versions = dict(s.execute(select(MessageVersion.message_pk, func.count()).group_by(MessageVersion.message_pk)).all())
        briefs = set(s.scalars(select(BriefRow.message_pk)))
        out = {}
        for m in s.scalars(select(Message).where(Message.channel_id == channel_id).order_by(Message.message_id)):
            out[m.message_id] = Row(m.message_id, m.text, m.deleted_at is not None, versions.get(m.id, 1),
                                    m.parsed_with is not None, m.id in briefs, m.source)
        return out


def count_rows(engine: Engine, channel_id: int) -> tuple[int, int]:
    """(rows, distinct message ids) of a channel: equal when nothing is duplicated."""
    with transaction(engine) as s:
        n = s.scalar(select(func.count()).select_from(Message).where(Message.channel_id == channel_id)) or 0
        d = s.scalar(select(func.count(func.distinct(Message.message_id))).where(Message.channel_id == channel_id)) or 0
        return n, d


async def wait_for(predicate: Callable[[], bool], timeout: float = 5.0, step: float = 0.02) -> None:
    """Poll `predicate` (cheap DB reads) until true; fail after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(step)


class Harness:
    """A server, a session file pointing at it, and daemons started and stopped on demand."""

    def __init__(self, tmp_path: Path, engine: Engine, **config: Any) -> None:
        self.tmp_path = tmp_path
        self.engine = engine
        self.server = TelegramTestServer(seed=1)
        self.config_overrides = config
        self.config: Config | None = None
        self.downloads: MediaDownloader | None = None

    async def start_server(self) -> None:
        await self.server.start()
        session = self.server.write_session(self.tmp_path / "watcher")
        self.config = make_config(session, **self.config_overrides)

    def daemon(self, channels: list[str], *, media: bool = False, **overrides: Any) -> Daemon:
        """A daemon as `briefwatch run` builds it; with `media`, the media download job too
        (run every `media.download_seconds`, on the daemon's own Telegram connection)."""
        assert self.config is not None
        config = self.config.with_overrides(**overrides) if overrides else self.config
        source = TelegramSource(config, connection_retries=2, retry_delay=0.1)
        jobs: list[tuple[Any, float]] = []
        if media:
            self.downloads = MediaDownloader(self.engine, config, source)
            jobs.append((self.downloads, float(config["media.download_seconds"])))
        return Daemon(self.engine, config, source, channel_names=channels, extra_jobs=jobs)

    @contextlib.asynccontextmanager
    async def running(self, channels: list[str], *, media: bool = False, **overrides: Any) -> AsyncIterator[Daemon]:
        """A daemon running in a task; stopped (as by SIGTERM) when the block ends."""
        d = self.daemon(channels, media=media, **overrides)
        task = asyncio.create_task(d.run())
        ready = asyncio.create_task(d.ready.wait())
        done, _ = await asyncio.wait({task, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            ready.cancel()
            task.result()  # raises what went wrong
        assert ready in done, "daemon did not finish its start-up backfill in 10 s"
        try:
            yield d
        finally:
            d.request_stop()
            if self.downloads is not None:
                self.downloads.request_stop()
            await asyncio.wait_for(task, 10)


def run(coro_fn: Callable[[], Any]) -> Any:
    return asyncio.run(coro_fn())


class ServerThread:
    """The test server on its own event loop in a thread, for tests that run the CLI synchronously."""

    def __init__(self, tmp_path: Path) -> None:
        import threading

        self.server = TelegramTestServer(seed=2)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.call(self.server.start)
        self.session = self.server.write_session(tmp_path / "cli")

    def call(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """Run fn(*args) on the server's loop (awaited if a coroutine function) and return its result."""
        async def go() -> Any:
            result = fn(*args, **kw)
            if asyncio.iscoroutine(result):
                result = await result
            return result
        return asyncio.run_coroutine_threadsafe(go(), self.loop).result(10)

    def close(self) -> None:
        self.call(self.server.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


def write_config(path: Path, db_url: str, session: Path, channels: list[str], **sections: dict[str, Any]) -> Path:
    """A config.toml for CLI tests."""
    telegram = {"api_id": 12345, "api_hash": "0123456789abcdef", "session": str(session), "channels": channels}
    telegram.update(sections.pop("telegram", {}))
    parts = {"database": {"url": db_url}, "telegram": telegram, **sections}
    lines: list[str] = []
    for section, values in parts.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            if isinstance(value, str):
                lines.append(f'{key} = "{value}"')
            elif isinstance(value, list):
                lines.append(f"{key} = [" + ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in value) + "]")
            else:
                lines.append(f"{key} = {value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
