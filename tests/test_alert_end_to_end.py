"""Issue 6 "done when", on one machine: the daemon, the Telegram test server, the local Bot API server.

A brief posted in the channel reaches the Bot API server as a correctly escaped HTML alert in
under 2 s; with injected faults (500, a dropped connection) no alert is lost or doubled; a
non-monitor's /briefs gets nothing while a monitor's is answered.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.bot_api_server import BotApiServer, Fault
from tests.test_alert_helpers import config

telethon = pytest.importorskip("telethon")

from bot.alerts.delivery import DeliveryPolicy
from bot.alerts.jobs import AlertJobs
from bot.daemon import Daemon
from bot.watcher import TelegramSource
from tests.telegram_server import TelegramTestServer

CHANNEL = "zadaniya_blogeram"
BRIEF = (
    "🔥 ЗАДАНИЕ №7 🔥\n"
    "Платформы: TikTok + Instagram Reels\n"
    "🎵 Звук: «Брат & <сестра>» — https://www.tiktok.com/music/Брат-за-брата-7068954153475509249\n"
    "#️⃣ Хештеги: #СвоихНеБросаем #МыВместе\n"
    "Текст на видео: «<b>Своих</b> не бросаем & \"мы\" вместе»\n"
    "Выложить 22.02 с 18:00 до 21:00 по мск\n"
    "💰 Оплата: 2к-20к ₽\n"
    "От 100к подписчиков"
)


async def _until(check: Callable[[], bool], timeout: float) -> float:
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)
    return time.monotonic() - started


@pytest.mark.slow
def test_brief_posted_in_the_channel_reaches_the_monitors_escaped_in_under_two_seconds(
        engine: Engine, tmp_path: Path) -> None:
    async def scenario(bot: BotApiServer) -> None:
        tg = TelegramTestServer()
        await tg.start()
        tg.add_channel(CHANNEL, "Задания <для> блогеров", joined=True)
        session = tg.write_session(tmp_path / "briefwatch")
        cfg = config(telegram__api_id=1, telegram__api_hash="0" * 32, telegram__session=str(session),
                     telegram__channels=[CHANNEL], bot__token=bot.token, bot__api_url=bot.url,
                     bot__monitor_chats=[111], schedule__alert_seconds=2, schedule__poll_seconds=1)
        source = TelegramSource(cfg, session=str(session))
        alert_jobs = AlertJobs(engine, cfg, long_poll=1,
                               policy=DeliveryPolicy(backoff_base=0.2, backoff_cap=1.0))
        daemon = Daemon(engine, cfg, source, extra_jobs=alert_jobs.periodic(), channel_names=[CHANNEL])
        run = asyncio.create_task(daemon.run())
        try:
            await asyncio.wait_for(daemon.ready.wait(), 20)

            tg.post(CHANNEL, BRIEF)
            elapsed = await _until(lambda: len(bot.sent) == 1, 5)
            assert elapsed < 2, f"alert took {elapsed:.2f} s"
            (msg,) = bot.sent
            assert msg.chat_id == 111 and msg.parse_mode == "HTML"
            # channel text with <, >, &, quotes and a fake tag is shown as written, not as markup
            assert "Задания <для> блогеров" in msg.plain
            assert '<b>Своих</b> не бросаем & "мы" вместе' in msg.plain
            assert "&lt;b&gt;Своих&lt;/b&gt;" in msg.text
            assert f"https://t.me/{CHANNEL}/" in msg.plain

            bot.inject("sendMessage", Fault.error(500), Fault.drop())
            tg.post(CHANNEL, BRIEF.replace("#МыВместе", "#ВтороеЗадание"))
            await _until(lambda: len(bot.sent) == 2, 10)
            assert "#ВтороеЗадание" in bot.sent[1].plain

            bot.push_message(999, "/briefs")
            bot.push_message(111, "/briefs")
            await _until(lambda: len(bot.sent) == 3, 10)
            await asyncio.sleep(0.3)
            assert [m.chat_id for m in bot.sent] == [111, 111, 111]
            assert "Newest 2 briefs" in bot.sent[2].plain
        finally:
            daemon.request_stop()
            alert_jobs.request_stop()
            await asyncio.wait_for(run, 30)
            await alert_jobs.aclose()
            await tg.stop()

    with BotApiServer() as bot:
        asyncio.run(scenario(bot))
        texts = [m.plain for m in bot.sent]
        assert len(texts) == len(set(texts))  # nothing sent twice
