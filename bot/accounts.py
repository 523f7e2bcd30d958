"""Accounts that answer campaign after campaign: the repeat actors behind `accounts` and `export network`.

A *campaign* is either a brief (its matched videos, score at or above `matching.threshold`) or a
burst no brief explains (`campaigns`: an unexplained burst is a campaign briefwatch found without
its brief). An account *joins* a brief when one of its videos matched it, or when one of its videos
is in a burst that brief explains (the burst is that brief's campaign even where this one video
scored below the threshold); it joins an unexplained burst when one of its videos is in it.

The number of campaigns an account joined is what `--min-briefs` filters on, and the number two
accounts share is the weight of their edge in the co-action graph (bot.network): accounts paid
through the same channels again and again are the network a researcher is after, one shared
campaign alone is what any two creators answering one popular brief have.

Reach: the known views of the account's campaign videos summed, and its follower count where a
video's raw metadata keeps one (bot.importers.video_formats.follower_count; the newest wins).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.campaigns import archive_bursts, settings_from
from bot.config import Config
from bot.importers.video_formats import follower_count
from matching.bursts import Burst
from storage.accounts import AccountVideo, account_videos, matched_account_videos, raw_metadata
from storage.db import transaction
from storage.outbox import Engine

DEFAULT_MIN_BRIEFS = 2


@dataclass(frozen=True)
class CampaignNode:
    """One campaign: a brief (`brief:<channel_id>/<message_id>`) or an unexplained burst (`burst:<key>`)."""

    key: str
    kind: str  # "brief" or "burst"
    label: str
    channel_id: int | None = None
    message_id: int | None = None
    brief_id: int | None = None
    burst: str | None = None  # the burst's key (matching.bursts.Burst.key)


@dataclass
class Account:
    """One account and what it joined: briefs (post → its videos there), bursts (key → its videos there)."""

    platform: str
    account: str
    author: str | None = None
    briefs: dict[tuple[int, int], set[int]] = field(default_factory=dict)
    bursts: dict[str, set[int]] = field(default_factory=dict)
    campaigns: dict[str, set[int]] = field(default_factory=dict)  # campaign key → its videos there
    views: int | None = None
    followers: int | None = None
    latest_pk: int = field(default=0, repr=False)  # the newest stored video seen: its author names the account

    @property
    def videos(self) -> set[int]:
        return set().union(*self.campaigns.values()) if self.campaigns else set()

    @property
    def node(self) -> str:
        """Its node id in the exported graphs: `<platform>:<account>`."""
        return f"{self.platform}:{self.account}"


@dataclass(frozen=True)
class Membership:
    """Every account that joined any campaign, and the campaigns, by key."""

    accounts: dict[tuple[str, str], Account]
    campaigns: dict[str, CampaignNode]


def brief_key(post: tuple[int, int]) -> str:
    return f"brief:{post[0]}/{post[1]}"


def _brief_node(video: AccountVideo) -> CampaignNode:
    assert video.brief is not None
    where = f"@{video.channel}" if video.channel else str(video.brief[0])
    return CampaignNode(brief_key(video.brief), "brief", f"{where}/{video.brief[1]}", video.brief[0],
                        video.brief[1], video.brief_id)


def _account(accounts: dict[tuple[str, str], Account], video: AccountVideo) -> Account | None:
    if video.account is None:
        return None
    key = (video.platform, video.account)
    account = accounts.get(key)
    if account is None:
        account = accounts[key] = Account(video.platform, video.account)
    if video.author and (account.author is None or video.pk > account.latest_pk):
        account.author = video.author  # the newest stored video names it as it is now
        account.latest_pk = video.pk
    return account


def membership(engine: Engine, config: Config, *, bursts: list[Burst] | None = None) -> Membership:
    """Who joined which campaign, from the stored matches and the archive's bursts (found now unless given)."""
    if bursts is None:
        bursts = archive_bursts(engine, config, settings_from(config))
    accounts: dict[tuple[str, str], Account] = {}
    campaigns: dict[str, CampaignNode] = {}
    views: dict[int, int | None] = {}
    owner: dict[int, Account] = {}
    with transaction(engine) as session:  # one consistent read; nothing is written
        for video in matched_account_videos(session, float(config["matching.threshold"])):
            account = _account(accounts, video)
            if account is None or video.brief is None:
                continue
            node = campaigns.setdefault(brief_key(video.brief), _brief_node(video))
            account.briefs.setdefault(video.brief, set()).add(video.pk)
            account.campaigns.setdefault(node.key, set()).add(video.pk)
            views[video.pk], owner[video.pk] = video.views, account
        in_bursts = account_videos(session, (ref for b in bursts for ref in b.refs))
    for burst in bursts:
        if isinstance(burst.brief, tuple):
            post = (int(burst.brief[0]), int(burst.brief[1]))
            key = brief_key(post)
            if key not in campaigns:  # explained by a brief none of whose matches is in the archive's read
                campaigns[key] = CampaignNode(key, "brief", f"{post[0]}/{post[1]}", post[0], post[1])
        else:
            post, key = None, f"burst:{burst.key}"
            campaigns[key] = CampaignNode(key, "burst", f"burst {burst.key}", burst=burst.key)
        for ref in burst.refs:
            member = in_bursts.get(ref)
            if member is None:
                continue
            account = _account(accounts, member)
            if account is None:
                continue
            account.bursts.setdefault(burst.key, set()).add(ref)
            account.campaigns.setdefault(key, set()).add(ref)
            if post is not None:
                account.briefs.setdefault(post, set()).add(ref)
            views[ref], owner[ref] = member.views, account
    for pk, value in views.items():
        if value is not None:
            account = owner[pk]
            account.views = (account.views or 0) + value
    return Membership(accounts, campaigns)


def repeat_accounts(found: Membership, min_briefs: int = DEFAULT_MIN_BRIEFS) -> list[Account]:
    """Accounts that joined at least `min_briefs` campaigns, most campaigns first, then most views."""
    chosen = [a for a in found.accounts.values() if len(a.campaigns) >= min_briefs]
    chosen.sort(key=lambda a: (-len(a.campaigns), -(a.views or 0), a.platform, a.account))
    return chosen


def add_followers(engine: Engine, accounts: Iterable[Account]) -> None:
    """Fill each account's follower count from its videos' raw metadata (the newest video that has one)."""
    by_pk = {pk: a for a in accounts for pk in a.videos}
    if not by_pk:
        return
    with transaction(engine) as session:
        for pk, _posted, raw in raw_metadata(session, list(by_pk)):
            account = by_pk[pk]
            if account.followers is None:
                account.followers = follower_count(raw)


def account_json(account: Account, campaigns: dict[str, CampaignNode]) -> dict[str, Any]:
    """One line of `accounts --format jsonl`."""
    return {
        "platform": account.platform,
        "account": account.account,
        "author": account.author,
        "campaigns": len(account.campaigns),
        "briefs": [{"channel_id": c, "message_id": m, "brief_id": campaigns[brief_key((c, m))].brief_id,
                    "videos": len(pks)} for (c, m), pks in sorted(account.briefs.items())],
        "bursts": [{"key": k, "videos": len(pks)} for k, pks in sorted(account.bursts.items())],
        "videos": len(account.videos),
        "views": account.views,
        "followers": account.followers,
    }


def account_table(accounts: list[Account], campaigns: dict[str, CampaignNode]) -> list[str]:
    """The terminal view: one line per account, what it joined named as channel/message or burst key."""
    if not accounts:
        return ["no accounts"]
    header = (f"{'account':<24} {'platform':<9} {'camp.':>5} {'briefs':>6} {'bursts':>6} {'videos':>6} "
              f"{'views':>12} {'followers':>10}  campaigns")
    lines = [header]
    for a in accounts:
        name = a.author or a.account
        views = f"{a.views:,}" if a.views is not None else "?"
        followers = f"{a.followers:,}" if a.followers is not None else "?"
        which = ", ".join(campaigns[k].label for k in sorted(a.campaigns))
        lines.append(f"{name[:24]:<24} {a.platform:<9} {len(a.campaigns):>5} {len(a.briefs):>6} {len(a.bursts):>6} "
                     f"{len(a.videos):>6} {views:>12} {followers:>10}  {which}")
    return lines
