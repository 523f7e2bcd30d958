"""`briefwatch login`: interactive Telegram login into the session file at `telegram.session`.

The session is a Telethon SQLite file (never a StringSession: it keeps per-channel update state),
created owner-only (0600) because whoever reads it can act as the account.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
from typing import Any

from bot.app import App
from bot.errors import BriefwatchError


def register(sub: Any) -> None:
    p = sub.add_parser("login", help="interactive Telegram login; stores the session with owner-only file permissions",
                       description="Log in to Telegram (phone number, the code Telegram sends, and the two-step "
                       "verification password if set). The session is saved at telegram.session with mode 0600.")
    p.set_defaults(handler=run)


async def login(config: Any, *, ask: Any = None, ask_secret: Any = None) -> str:
    """Log in interactively; `ask`/`ask_secret` default to input() and getpass() (looked up at call time)."""
    from bot.watcher import TelegramSource

    ask = ask or (lambda prompt: _answer(input, prompt))
    ask_secret = ask_secret or (lambda prompt: _answer(getpass.getpass, prompt))
    source = TelegramSource(config)
    await source.connect(require_login=False)
    try:
        return await source.login(ask, ask_secret)
    finally:
        await source.disconnect()


def _answer(read: Any, prompt: str) -> str:
    """One answer from the terminal; stdin at its end (no terminal, `< /dev/null`) is a user error."""
    try:
        return str(read(prompt))
    except EOFError:
        raise BriefwatchError("login is interactive: stdin ended before an answer (run it in a terminal)") from None


def run(app: App, args: argparse.Namespace) -> int:
    from bot.watcher import session_path

    who = asyncio.run(login(app.config))
    print(f"logged in as {who}; session saved to {session_path(app.config)} (mode 0600)")
    return 0
