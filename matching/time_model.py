"""How much a video's timing says about whether it answers a brief with a post window.

Inside the window the time factor is 1. Within `matching.window_tolerance_hours` of it (before or
after) it falls linearly to `edge_factor`; past the tolerance it decays exponentially with time
constant `tail_hours`, so a video posted hours late still matches when its other evidence is strong
(the brief's sound *and* its campaign tag) and not when it is weak (one tag, or the song alone).
The whole score is the evidence times this factor, so past `tail_reach_s` not even perfect evidence
reaches the threshold: that is where the matcher and the collector stop looking.

Both numbers are data, fitted by bench/fit_match.py (grid search, best mean F1 over training
seeds of bench/match_data.py's labelled sets; other seeds are held out for the figures) and
shipped in matching/data/time_model.json; tests/test_match_fitted.py refits and compares.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class TimeModel:
    """The fitted shape of the time factor around a post window."""

    edge_factor: float  # factor at the far edge of the tolerance band
    tail_hours: float  # exponential time constant past the tolerance; 0: nothing past it

    def factor(self, gap_s: float, tolerance_s: float) -> float:
        """The time factor of a video `gap_s` seconds outside the window (0 inside it)."""
        if gap_s <= 0:
            return 1.0
        if gap_s <= tolerance_s:
            return 1.0 - (1.0 - self.edge_factor) * gap_s / tolerance_s
        if self.tail_hours <= 0:
            return 0.0
        return self.edge_factor * math.exp(-(gap_s - tolerance_s) / (self.tail_hours * 3600.0))

    def tail_reach_s(self, threshold: float) -> float:
        """Seconds past the tolerance within which a perfect piece of evidence can still match."""
        if self.tail_hours <= 0 or threshold <= 0 or self.edge_factor <= threshold:
            return 0.0
        return self.tail_hours * 3600.0 * math.log(self.edge_factor / threshold)

    def to_json(self) -> dict[str, float]:
        return {"edge_factor": self.edge_factor, "tail_hours": self.tail_hours}


def load_time_model() -> TimeModel:
    """The shipped model (matching/data/time_model.json)."""
    text = resources.files("matching").joinpath("data", "time_model.json").read_text(encoding="utf-8")
    body = json.loads(text)["model"]
    return TimeModel(float(body["edge_factor"]), float(body["tail_hours"]))


TIME_MODEL = load_time_model()
