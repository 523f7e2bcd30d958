"""The local TikTok Research API for the tests: the package's simulator (bot/research_api_sim.py,
also what `briefwatch demo` starts) plus the worlds the tests build on it.

Runnable by hand like tests/telegram_server.py: `python -m tests.research_api_server --port 8899`
serves a generated world (see `python -m bot.research_api_sim --help`).
"""

from __future__ import annotations

import sys
from datetime import timedelta, timezone

from bot.research_api_sim import (
    Campaign,
    ResearchWorld,
    SimClock,
    SimServer,
    SimSettings,
    generate_videos,
    main,
)

__all__ = [
    "Campaign",
    "ResearchWorld",
    "SimClock",
    "SimServer",
    "SimSettings",
    "campaign_world",
    "generate_videos",
    "main",
]

MSK = timezone(timedelta(hours=3))


def campaign_world(seed: int, campaigns: list[Campaign], *, background: int = 600,
                   settings: SimSettings | None = None, clock: SimClock) -> ResearchWorld:
    """A world of the campaigns' videos among `background` others over the 40 days before the clock."""
    now = clock()
    videos = generate_videos(seed, campaigns, background=background, start=now - timedelta(days=40), end=now)
    return ResearchWorld(videos, settings or SimSettings(), clock)


if __name__ == "__main__":
    sys.exit(main())
