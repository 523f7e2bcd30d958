"""Alerts for the human monitors: the outbox hooks, cards, Bot API delivery and commands.

    events     hooks that queue alerts in the caller's transaction (ingest, matching)
    cards      the HTML card of each alert, every channel text escaped
    split      4,096-character splitting that never breaks markup
    botapi     the httpx Bot API client (the only httpx import of the bot)
    ratelimit  per-chat send limits
    delivery   outbox → Telegram, with backoff, leases and at-least-once edges written down
    commands   /status, /briefs, /brief, /matches, /mute, /unmute for monitors only
    jobs       what `briefwatch run` schedules (AlertJobs, deliver_pending, poll_commands)
    listing    the outbox as terminal text (`alerts list`, the demo)
"""
