"""`briefwatch alerts list|test`: look into the alert outbox; send one test alert now."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.app import App
from bot.arguments import positive_int
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.alerts.delivery import DeliveryReport

STATES = ("pending", "sent", "failed", "held", "all")


def register(sub: Any) -> None:
    p = sub.add_parser("alerts", help="show the alert outbox; send one test alert",
                       description="The alert outbox: what was sent to the monitors, what waits, what failed.")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    lst = actions.add_parser("list", help="show the outbox, newest first",
                             description="Show queued and sent alerts, newest first. States: pending (waiting "
                             "for delivery), sent, failed (Telegram refused it, or muted), held (no monitor "
                             "chat was configured).")
    lst.add_argument("--state", choices=STATES, default="all", help="only alerts in this state (default: all)")
    lst.add_argument("--limit", type=positive_int, default=30, metavar="N", help="at most N alerts (default 30)")
    lst.add_argument("--full", action="store_true", help="print each alert's whole text")
    lst.set_defaults(handler=run_list)
    test = actions.add_parser("test", help="queue one test alert for the monitors and send it now",
                              description="Queue a test alert for every chat in bot.monitor_chats and send "
                              "it at once through the Bot API (needs bot.token).")
    test.set_defaults(handler=run_test)


def run_list(app: App, args: argparse.Namespace) -> int:
    from bot.alerts.listing import print_outbox

    state = None if args.state == "all" else args.state
    print_outbox(app.engine(), sys.stdout, state=state, limit=args.limit, full=args.full)
    return 0


def run_test(app: App, args: argparse.Namespace) -> int:
    from bot.alerts import cards
    from storage import outbox
    from storage.db import transaction

    config = app.config
    if not config["bot.token"]:
        raise ConfigError("bot.token", "not set (config or BRIEFWATCH_BOT_TOKEN), so nothing can be sent; "
                          "alerts stay in the outbox")
    chats = list(config["bot.monitor_chats"])
    if not chats:
        raise ConfigError("bot.monitor_chats", "empty: no chat to send the test alert to")
    now = datetime.now(UTC)
    text = cards.test_card(now, ZoneInfo(config["bot.timezone"]), chats)
    engine = app.engine()
    with transaction(engine) as session:
        outbox.queue_alert(session, kind="test", dedup_key=f"test:{now.isoformat()}", text=text,
                           chat_ids=chats, now=now)
        ids = [a.id for a in outbox.list_alerts(session, state="pending", limit=len(chats) * 4)
               if a.kind == "test" and a.dedup_key == f"test:{now.isoformat()}"]
    report = asyncio.run(_send(config["bot.token"], config["bot.api_url"], engine, ids))
    with transaction(engine) as session:
        results = [outbox.get_alert(session, i) for i in ids]
    failed = 0
    for alert in results:
        if alert is None:
            continue
        if alert.state == "sent":
            print(f"test alert {alert.id} sent to chat {alert.chat_id}")
        else:
            failed += 1
            why = alert.last_error or ("rate limited" if alert.id in report.deferred else "not sent")
            after = "; it stays in the outbox for the daemon to retry" if alert.state == "pending" else ""
            print(f"test alert {alert.id} to chat {alert.chat_id} not sent ({alert.state}): {why}{after}")
    return 1 if failed else 0


async def _send(token: str, api_url: str, engine: Any, ids: list[int]) -> DeliveryReport:
    from bot.alerts.botapi import BotApi
    from bot.alerts.delivery import deliver_due
    from bot.alerts.ratelimit import ChatRateLimiter

    async with BotApi(token, api_url) as client:
        return await deliver_due(engine, client, limiter=ChatRateLimiter(), ids=ids)
