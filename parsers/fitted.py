"""Weights the parser learned from the labelled corpus, shipped as data and loaded once.

`bench/fit_parser.py` fits every model here (logistic regressions over named features) from the
labelled batches in `tests/corpus/` and the golden posts, and writes `parsers/data/models.json`.
The runtime needs no training library: a model is its feature names, coefficients and
intercept, and scoring is a dot product and a logistic squash. A feature a model does not know
is ignored, and one it knows but the caller did not compute counts as 0, so adding features is
safe: the next refit gives them their weights. A feature named "a*b" is the product of two
features: where the fit found that pairs matter ("от" before an amount means one thing after a
pay word and another before a follower count), the script adds every pair and lets the
regularised fit keep the ones the data supports.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

MODELS_FILE = "models.json"


@dataclass(frozen=True)
class LogisticModel:
    """P(y = 1 | features) = 1 / (1 + exp(-(intercept + coef · features)))."""

    name: str
    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.5

    def __post_init__(self) -> None:
        singles: dict[str, float] = {}
        pairs: dict[str, dict[str, float]] = {}  # feature → {partner feature: pair weight}
        for name, weight in zip(self.features, self.coef):
            if "*" in name:
                left, right = name.split("*", 1)
                pairs.setdefault(left, {})[right] = weight
                pairs.setdefault(right, {})[left] = weight
            else:
                singles[name] = weight
        object.__setattr__(self, "_singles", singles)
        object.__setattr__(self, "_pairs", pairs)

    def logit(self, values: Mapping[str, float]) -> float:
        """intercept + Σ weight × value; a feature named "a*b" is the product of a and b.

        Only the row's non-zero features are visited (pairs among them), so a model with
        hundreds of pair weights costs a few dozen look-ups per row.
        """
        singles: dict[str, float] = self._singles  # type: ignore[attr-defined]
        pairs: dict[str, dict[str, float]] = self._pairs  # type: ignore[attr-defined]
        present = [(name, value) for name, value in values.items() if value]
        total = self.intercept
        for index, (name, value) in enumerate(present):
            weight = singles.get(name)
            if weight is not None:
                total += weight * value
            partners = pairs.get(name)
            if partners:  # only a feature with pair weights looks at the features after it
                for other, other_value in present[index + 1:]:
                    pair = partners.get(other)
                    if pair is not None:
                        total += pair * value * other_value
        return total

    def probability(self, values: Mapping[str, float]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.logit(values)))))

    def to_json(self) -> dict[str, Any]:
        return {"features": list(self.features), "coef": list(self.coef), "intercept": self.intercept,
                "threshold": self.threshold}

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> LogisticModel:
        features = tuple(str(f) for f in data["features"])
        coef = tuple(float(c) for c in data["coef"])
        if len(features) != len(coef):
            raise ValueError(f"model {name}: {len(features)} features but {len(coef)} coefficients")
        return cls(name, features, coef, float(data["intercept"]), float(data.get("threshold", 0.5)))


_override: dict[str, LogisticModel] | None = None


@contextmanager
def models_in_use(models: dict[str, LogisticModel]) -> Iterator[None]:
    """Parse with these models instead of the shipped ones (cross-validation in bench/)."""
    global _override
    previous, _override = _override, models
    try:
        yield
    finally:
        _override = previous


@cache
def _all() -> dict[str, LogisticModel]:
    text = resources.files("parsers").joinpath("data", MODELS_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    return {name: LogisticModel.from_json(name, body) for name, body in data["models"].items()}


def model(name: str) -> LogisticModel:
    """The shipped model of this name (KeyError names the missing one)."""
    models = _override if _override is not None else _all()
    if name not in models:
        raise KeyError(f"no fitted model {name!r} in parsers/data/{MODELS_FILE}: run bench/fit_parser.py")
    return models[name]


def has_model(name: str) -> bool:
    return name in (_override if _override is not None else _all())
