"""The shipped CLDR lexicon (parsers/data/cldr.json, built by bench/build_cldr_lexicon.py), read
once for the two modules that use it: parsers.currencies and parsers.zone_cities."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def cldr_data() -> dict[str, Any]:
    """The whole file, parsed on first use (400 KB: not at import, a `briefwatch --help` needs none)."""
    return json.loads(resources.files("parsers").joinpath("data", "cldr.json").read_text(encoding="utf-8"))
