"""What every command gets: the resolved config and a lazily opened, migrated archive.

SQLAlchemy and Alembic are imported only when a command first asks for the engine, so commands
that never open the archive (`--help`, `parse`) start without them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.config import Config

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass
class App:
    config: Config
    db_url: str
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self, *, migrated: bool = True) -> Engine:
        """The archive's engine; by default refuses a database that `init` has not brought current."""
        from storage.db import make_engine
        from storage.migrate import ensure_current

        if self._engine is None:
            self._engine = make_engine(self.db_url)
        if migrated:
            ensure_current(self._engine)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
