"""Re-run the README's `collect tiktok` example and print what it shows.

    .venv/bin/python scripts/readme_collect_example.py

The demo's channel export and the demo's local Research API (bot/demo.py), its quota cut to 8
requests a day and its clock at 2026-02-23 20:00 UTC, then after midnight: the first run is
stopped by 429, the second resumes where it stopped. The archive is a throw-away SQLite file.
"""

from __future__ import annotations

import dataclasses
import io
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from bot.collect import Collector, client_from_config, make_plan
from bot.commands.collect import print_plan, print_report
from bot.config import load_config
from bot.demo import DEMO_CHANNEL, DEMO_EXPORT, demo_research_world, import_export
from bot.matching_job import run_matching
from bot.research_api_sim import SimServer
from storage.db import make_engine
from storage.migrate import upgrade

CLOCKS = (datetime(2026, 2, 23, 20, 0, tzinfo=timezone.utc), datetime(2026, 2, 24, 0, 30, tzinfo=timezone.utc))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'collect.db'}")
        upgrade(engine)  # what `briefwatch init` does
        world, clock = demo_research_world()
        world.settings = dataclasses.replace(world.settings, daily_requests=8)
        config = load_config(None, env={})
        clock.now = CLOCKS[0]
        import_export(engine, DEMO_EXPORT, config=config, tz=config["parsing.timezone"],
                      channel_username=DEMO_CHANNEL, alerts=False, now=clock)
        with SimServer(world) as server:
            local = config.with_overrides(research_api__client_key=world.settings.client_key,
                                          research_api__client_secret=world.settings.client_secret,
                                          research_api__base_url=server.url)
            for at in CLOCKS:
                clock.now = at
                out = io.StringIO()
                plan = make_plan(engine, local, now=clock())
                print_plan(plan, out)
                with client_from_config(local, clock=clock) as client:
                    report = Collector(engine, local, client, clock=clock).run(plan, match=False)
                report.matches_added = run_matching(engine, local, now=clock()).added
                print_report(report, out, out)
                print(f"$ briefwatch collect tiktok        # at {at:%Y-%m-%d %H:%M} UTC")
                print(out.getvalue(), end="")
        engine.dispose()


if __name__ == "__main__":
    main()
