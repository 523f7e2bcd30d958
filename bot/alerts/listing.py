"""The outbox as text for a terminal: `briefwatch alerts list` and the demo print it this way."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO

from bot.alerts.split import html_to_plain
from bot.redaction import redact
from storage import outbox
from storage.db import transaction
from storage.outbox import AlertView, Engine, OutboxCounts


def _when(dt: datetime | None) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if dt else "-"


_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)


def terminal_text(text: str) -> str:
    """Plain text for a terminal: markup removed, links kept as "label (url)"."""
    def keep(m: re.Match[str]) -> str:
        url, label = html.unescape(m.group(1)), m.group(2)
        return label if html_to_plain(label) == url else f"{label} ({html.escape(url)})"
    return html_to_plain(_LINK.sub(keep, text))


def summary(alert: AlertView, width: int = 60) -> str:
    """The alert's text on one line, markup removed."""
    line = " ".join(html_to_plain(alert.text).split())
    return line if len(line) <= width else line[: width - 1] + "…"


def format_outbox(alerts: Sequence[AlertView], counts: OutboxCounts, *, full: bool = False) -> str:
    """A header with the counts, an aligned table, and with `full` every alert's plain text."""
    lines = [(f"outbox: {counts.pending} pending ({counts.due} due), {counts.sent} sent, "
             f"{counts.failed} failed, {counts.held} held (times UTC)")]
    if not alerts:
        lines.append("no alerts")
        return "\n".join(lines)
    header = ("id", "state", "kind", "chat", "tries", "queued", "sent", "text")
    rows = [(str(a.id), a.state, a.kind, str(a.chat_id) if a.chat_id else "-", str(a.attempts),
             _when(a.created_at), _when(a.sent_at), summary(a)) for a in alerts]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1])
    if full:
        for a in alerts:
            lines.append(f"\n--- alert {a.id} ({a.state}, {a.kind}, chat {a.chat_id or '-'})")
            if a.last_error:
                lines.append(f"last error: {redact(a.last_error)}")  # rows stored before redaction too
            lines.append(terminal_text(a.text))
    return "\n".join(lines)


def print_outbox(engine: Engine, out: IO[str], *, state: str | None = None, limit: int = 30,
                 full: bool = False) -> None:
    """Write the outbox (newest first) to `out`; `state` one of pending, sent, failed, held."""
    with transaction(engine) as session:
        alerts = outbox.list_alerts(session, state=state, limit=max(1, limit))
        counts = outbox.outbox_counts(session)
    out.write(format_outbox(alerts, counts, full=full) + "\n")
