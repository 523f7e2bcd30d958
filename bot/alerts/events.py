"""Hooks that queue alerts inside the transaction of the event that causes them.

Call these with the session of the unit of work that archived the post / stored the brief /
stored the matches, *before* it commits: the alert then exists if and only if the event does.
Each hook renders the card now (so the outbox row is self-contained and `alerts list` shows what
will be sent) and returns how many outbox rows it added (0 when muted or already queued).

Dedup keys name the *post* (message pk) and its text version, so `briefwatch reparse` never
re-announces an old post (a brief's id is stable for its post anyway):

    new_brief        new:m<pk>
    brief_edited     edit:m<pk>:v<newest version id>   (one alert per distinct new text)
    brief_withdrawn  withdrawn:m<pk>:v<newest version id>
    brief_deleted    deleted:m<pk>
    first_matches    first:m<pk>
    campaign_videos  campaign_videos:m<pk>:<N>
    campaign_views   campaign_views:m<pk>:<V>
    burst            burst:<bursts.id>   (storage.bursts decides when a sighting is a new burst:
                                          a burst that grows keeps its row, so it is never re-alerted)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.alerts import cards
from bot.config import Config
from storage import bursts as stored_bursts
from storage import monitor, outbox
from storage.bursts import StoredBurst
from storage.monitor import BriefView
from storage.outbox import Session

log = logging.getLogger(__name__)

TOP_MATCHES = 5


def _zone(config: Config) -> ZoneInfo:
    return ZoneInfo(config["bot.timezone"])


def _chats(config: Config) -> list[int]:
    return list(config["bot.monitor_chats"])


def _view(session: Session, brief_id: int) -> BriefView | None:
    view = monitor.brief_view(session, brief_id)
    if view is None:
        log.warning("alert for brief %s skipped: no such brief", brief_id)
    return view


def _queue(session: Session, kind: str, key: str, text: str, view: BriefView, config: Config,
           now: datetime | None, **payload: object) -> int:
    return outbox.queue_alert(
        session, kind=kind, dedup_key=key, text=text, chat_ids=_chats(config),
        payload={"brief_id": view.brief_id, "channel": view.channel_username, "message_id": view.message_id,
                 **payload},
        message_pk=view.message_pk, brief_id=view.brief_id, now=now,
    )


def on_new_brief(session: Session, message_pk: int, brief_id: int, config: Config, *,
                 now: datetime | None = None) -> int:
    """A post in a watched channel was parsed as a brief for the first time."""
    view = _view(session, brief_id)
    if view is None or outbox.is_muted(session, brief_id):
        return 0
    text = cards.brief_card("new_brief", view, _zone(config))
    return _queue(session, "new_brief", f"new:m{message_pk}", text, view, config, now)


def on_brief_edited(session: Session, message_pk: int, brief_id: int, config: Config, *,
                    changed: Sequence[str] = (), previous: dict[str, object] | None = None,
                    now: datetime | None = None) -> int:
    """A brief's post got a new text. `changed` (or `previous`, the old brief JSON) names what moved."""
    view = _view(session, brief_id)
    if view is None or outbox.is_muted(session, brief_id):
        return 0
    if previous is not None and not changed:
        changed = [k for k, v in view.data.items() if k != "confidence" and previous.get(k) != v]
    version = monitor.latest_version_id(session, message_pk)
    before = monitor.previous_text(session, message_pk)
    text = cards.brief_card("brief_edited", view, _zone(config), changed=changed, before=before)
    return _queue(session, "brief_edited", f"edit:m{message_pk}:v{version}", text, view, config, now,
                  changed=list(changed))


def on_brief_withdrawn(session: Session, message_pk: int, brief_id: int, config: Config, *,
                       now: datetime | None = None) -> int:
    """A brief's post was edited into something that no longer reads as a brief: admins scrub
    posts once journalists ask, so monitors hear of it; the brief stays archived as `withdrawn`."""
    view = _view(session, brief_id)
    if view is None or outbox.is_muted(session, brief_id):
        return 0
    version = monitor.latest_version_id(session, message_pk)
    before = monitor.previous_text(session, message_pk)
    text = cards.brief_card("brief_withdrawn", view, _zone(config), before=before)
    return _queue(session, "brief_withdrawn", f"withdrawn:m{message_pk}:v{version}", text, view, config, now)


def on_brief_deleted(session: Session, message_pk: int, brief_id: int | None, config: Config, *,
                     now: datetime | None = None) -> int:
    """A brief's post was deleted in the channel; the archive keeps it, the card says so."""
    brief_id = brief_id if brief_id is not None else monitor.brief_id_for_message(session, message_pk)
    if brief_id is None:
        return 0  # not a brief: deleting chatter is no alert
    view = _view(session, brief_id)
    if view is None or outbox.is_muted(session, brief_id):
        return 0
    text = cards.brief_card("brief_deleted", view, _zone(config))
    return _queue(session, "brief_deleted", f"deleted:m{message_pk}", text, view, config, now)


def on_matches(session: Session, brief_id: int, config: Config, *, now: datetime | None = None) -> int:
    """A brief got new matches: first-videos and campaign-threshold alerts, each at most once."""
    if outbox.is_muted(session, brief_id):
        return 0
    threshold = float(config["matching.threshold"])
    total, views = monitor.match_totals(session, brief_id, threshold=threshold)
    if total == 0:
        return 0
    view = _view(session, brief_id)
    if view is None:
        return 0
    zone = _zone(config)
    top = monitor.top_matches(session, brief_id, threshold=threshold, limit=TOP_MATCHES)
    pk = view.message_pk
    queued = 0
    wanted: list[tuple[str, str, int | None]] = [("first_matches", f"first:m{pk}", None)]
    n_videos, n_views = int(config["bot.campaign_videos"]), int(config["bot.campaign_views"])
    if n_videos > 0 and total >= n_videos:
        wanted.append(("campaign_videos", f"campaign_videos:m{pk}:{n_videos}", n_videos))
    if n_views > 0 and views >= n_views:
        wanted.append(("campaign_views", f"campaign_views:m{pk}:{n_views}", n_views))
    for kind, key, mark in wanted:
        if outbox.already_queued(session, key):
            continue  # don't render a card that would be dropped anyway
        text = cards.match_card(kind, view, top, zone, total=total, views=views, threshold=mark)
        queued += _queue(session, kind, key, text, view, config, now, matches=total, views=views)
    return queued


def on_burst(session: Session, burst: StoredBurst, video_pks: Sequence[int], config: Config, *,
             now: datetime | None = None) -> int:
    """The daemon's campaign detection found a burst new to the archive (`video_pks`: its videos).

    A burst that a muted brief explains is not alerted: monitors muted that campaign.
    """
    if burst.brief_id is not None and outbox.is_muted(session, burst.brief_id):
        return 0
    key = f"burst:{burst.id}"
    if outbox.already_queued(session, key):
        return 0
    view = _view(session, burst.brief_id) if burst.brief_id is not None else None
    top = stored_bursts.top_videos(session, video_pks, limit=TOP_MATCHES)
    text = cards.burst_card(burst, top, _zone(config), brief=view)
    payload: dict[str, object] = {
        "burst_id": burst.id, "sound": burst.sound, "music_id": burst.music_id, "hashtags": list(burst.hashtags),
        "start": burst.start.isoformat(), "end": burst.end.isoformat(), "accounts": burst.accounts,
        "videos": burst.videos, "views": burst.views, "score": burst.score,
        "brief_id": burst.brief_id, "channel_id": burst.channel_id, "message_id": burst.message_id,
    }
    return outbox.queue_alert(session, kind="burst", dedup_key=key, text=text, chat_ids=_chats(config),
                              payload=payload, brief_id=burst.brief_id, now=now)
