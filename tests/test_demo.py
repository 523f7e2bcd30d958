"""`briefwatch demo` runs the whole pipeline on the bundled data and shows every stage."""

from __future__ import annotations

import re
import subprocess
import sys


def test_demo_shows_archive_briefs_matches_report_and_alerts() -> None:
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "demo"], capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for heading in ("== Archive ==", "== Briefs:", "== Matches:", "== Campaign report", "== Alerts"):
        assert heading in out
    briefs = re.search(r"== Briefs: (\d+) of (\d+) posts", out)
    assert briefs and 8 <= int(briefs.group(1)) < int(briefs.group(2))
    matches = re.search(r"== Matches: (\d+) videos", out)
    assert matches and int(matches.group(1)) > 10
    assert "new_brief" in out or "New brief" in out or "first_matches" in out
    assert "Traceback" not in proc.stderr
