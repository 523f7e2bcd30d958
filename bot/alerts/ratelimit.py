"""Per-chat send limits, kept below Telegram's so monitors are not flooded and the bot not banned.

Telegram's published limits: about one message per second in a chat, 20 per minute in a group,
30 per second overall. Group chats are the ones with negative ids. The limiter only answers "how
long until this chat may get a message"; delivery sleeps short waits and defers long ones to a
later run, so the event loop is never blocked and one busy group does not stall the others.
After a 429 the chat is blocked for the `retry_after` Telegram named.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class ChatRateLimiter:
    def __init__(self, *, per_chat_interval: float = 1.0, group_per_minute: int = 20,
                 global_per_second: int = 30, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_chat_interval = per_chat_interval
        self.group_per_minute = group_per_minute
        self.global_per_second = global_per_second
        self._clock = clock
        self._last: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}
        self._global: deque[float] = deque()
        self._blocked_until: dict[int, float] = {}

    def delay(self, chat_id: int) -> float:
        """Seconds until `chat_id` may receive the next message (0.0: now)."""
        now = self._clock()
        waits = [self._blocked_until.get(chat_id, now) - now]
        if chat_id in self._last:
            waits.append(self._last[chat_id] + self.per_chat_interval - now)
        sends = self._group_sends.get(chat_id)
        if chat_id < 0 and sends is not None:
            while sends and sends[0] <= now - 60.0:
                sends.popleft()
            if len(sends) >= self.group_per_minute:
                waits.append(sends[0] + 60.0 - now)
        while self._global and self._global[0] <= now - 1.0:
            self._global.popleft()
        if len(self._global) >= self.global_per_second:
            waits.append(self._global[0] + 1.0 - now)
        return max(0.0, *waits)

    def record(self, chat_id: int) -> None:
        """A message was sent (or attempted) to `chat_id` just now."""
        now = self._clock()
        self._last[chat_id] = now
        if chat_id < 0:
            self._group_sends.setdefault(chat_id, deque()).append(now)
        self._global.append(now)

    def block(self, chat_id: int, seconds: float) -> None:
        """Telegram said 429 for this chat: nothing more to it for `seconds`."""
        until = self._clock() + seconds
        self._blocked_until[chat_id] = max(until, self._blocked_until.get(chat_id, until))
