"""All ORM models; importing this package registers every table on `Base.metadata`.

One module per issue's tables: `archive` (channels, messages, versions, briefs),
`videos` (observed videos and matches), `alerts` (the outbox), `media` (the media store's index),
`bursts` (the bursts the daemon found and alerted), `collect` (Research API crawl state and quota), `workers` (workers, leases, the leader).
"""

from storage.models.alerts import AlertRow, MuteRow
from storage.models.archive import (
    BriefAudioKey,
    BriefHashtag,
    BriefRow,
    BriefVersion,
    Channel,
    Message,
    MessageVersion,
    SyncState,
)
from storage.models.base import Base
from storage.models.bursts import BurstRow
from storage.models.collect import CrawlRow, QuotaDay
from storage.models.media import MediaFile
from storage.models.videos import MatchRow, VideoAudioKey, VideoHashtag, VideoRow, VideoStat
from storage.models.workers import (
    AccountChannel,
    ChannelLease,
    FloodWaitRow,
    LeaderLease,
    WorkerRow,
)

__all__ = [
    "AccountChannel",
    "AlertRow",
    "Base",
    "BriefAudioKey",
    "BriefHashtag",
    "BriefRow",
    "BriefVersion",
    "BurstRow",
    "Channel",
    "ChannelLease",
    "CrawlRow",
    "FloodWaitRow",
    "LeaderLease",
    "MatchRow",
    "MediaFile",
    "Message",
    "MessageVersion",
    "MuteRow",
    "QuotaDay",
    "SyncState",
    "VideoAudioKey",
    "VideoHashtag",
    "VideoRow",
    "VideoStat",
    "WorkerRow",
]
