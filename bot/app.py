"""What every command gets: the resolved config and a lazily opened, migrated archive."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from bot.config import Config
from storage.db import make_engine
from storage.migrate import ensure_current


@dataclass
class App:
    config: Config
    db_url: str
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self, *, migrated: bool = True) -> Engine:
        """The archive's engine; by default refuses a database that `init` has not brought current."""
        if self._engine is None:
            self._engine = make_engine(self.db_url)
        if migrated:
            ensure_current(self._engine)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
