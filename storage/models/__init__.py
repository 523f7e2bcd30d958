"""All ORM models; importing this package registers every table on `Base.metadata`.

One module per issue's tables: `archive` (channels, messages, versions, briefs),
`videos` (observed videos and matches), `alerts` (the outbox).
"""

from storage.models.archive import (
    BriefAudioKey,
    BriefHashtag,
    BriefRow,
    Channel,
    Message,
    MessageVersion,
    SyncState,
)
from storage.models.base import Base

__all__ = [
    "Base",
    "BriefAudioKey",
    "BriefHashtag",
    "BriefRow",
    "Channel",
    "Message",
    "MessageVersion",
    "SyncState",
]
