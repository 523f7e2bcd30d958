"""The PNG timelines: `report --plot` spans the videos and names a far publication at the edge; `campaigns --plot`
draws one burst's videos by account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib.dates as mdates
import pytest
from sqlalchemy import Engine

from bot.cli import main
from bot.plots import MAX_ACCOUNTS, TOP_LABELLED, burst_figure, campaign_figure, time_span
from parsers.brief import Audio, Brief, PostWindow
from storage.bursts import BurstVideoRow
from storage.matches import Campaign, CampaignVideo
from tests.test_campaigns_cli import _fill

ZONE = ZoneInfo("Europe/Moscow")
T = datetime(2024, 5, 1, 12, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n"


def _campaign(published: datetime, *, n: int = 10, window: PostWindow | None = None) -> Campaign:
    videos = [CampaignVideo("tiktok", f"v{i}", None, f"author{i}", T + timedelta(hours=i), 1000 * (i + 1), None,
                            0.6 + 0.04 * i, {}) for i in range(n)]
    brief = Brief(is_brief=True, confidence=0.9, audio=Audio(title="Song"), hashtags=("tag",), post_window=window)
    return Campaign(7, 1, "chan", 5, published, None, brief, videos)


def _texts(fig: object) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]  # type: ignore[attr-defined]


def test_time_span_takes_in_near_marks_and_leaves_far_ones_outside() -> None:
    times = [T, T + timedelta(hours=10)]
    near = time_span(times, [T - timedelta(hours=6)])
    assert near.outside == () and near.lo < T - timedelta(hours=6)
    far = time_span(times, [T - timedelta(days=12)])
    assert far.outside == (T - timedelta(days=12),)
    assert T - timedelta(hours=1) < far.lo < T and T + timedelta(hours=10) < far.hi < T + timedelta(hours=11)
    one = time_span([T])
    assert one.hi - one.lo > timedelta(hours=1)  # a single video still gets an hour around it
    assert time_span([], [T]).lo < T < time_span([], [T]).hi
    with pytest.raises(ValueError):
        time_span([])


def test_report_plot_spans_the_videos_and_names_a_far_publication_at_the_edge() -> None:
    fig = campaign_figure(_campaign(T - timedelta(days=20)), ZONE)
    ax = fig.axes[0]
    lo, hi = (mdates.num2date(x) for x in ax.get_xlim())
    assert T - timedelta(hours=2) < lo < T and hi < T + timedelta(hours=11)
    assert any("brief published" in t and "20 days before the first video" in t for t in _texts(fig))
    assert any(ax.get_ylabel() == "match score" for ax in fig.axes)  # the colour bar
    labels = [t for t in _texts(fig) if t.startswith("@")]
    assert 1 <= len(labels) <= TOP_LABELLED and "@author9" in labels  # the most viewed is named


def test_report_plot_draws_a_near_publication_and_its_window_where_they_fall() -> None:
    window = PostWindow(T - timedelta(hours=1), T + timedelta(hours=3))
    fig = campaign_figure(_campaign(T - timedelta(hours=3), window=window), ZONE)
    lo, _hi = (mdates.num2date(x) for x in fig.axes[0].get_xlim())
    assert lo < T - timedelta(hours=3)
    assert not any("brief published" in t for t in _texts(fig))
    assert "brief published" in [line.get_label() for line in fig.axes[0].get_lines()]


def test_report_plot_of_a_brief_without_videos_still_draws() -> None:
    fig = campaign_figure(_campaign(T, n=0), ZONE)
    assert "no matched videos" in _texts(fig)


def _rows(n: int) -> list[BurstVideoRow]:
    return [BurstVideoRow(i, "tiktok", f"v{i}", f"acc{i % n}", f"Acc{i % n}", T + timedelta(minutes=7 * i),
                          100 * i or None, "Song (sped up)" if i % 3 else "Song") for i in range(2 * n)]


def test_burst_plot_has_one_row_per_account_first_poster_on_top() -> None:
    fig = burst_figure("Burst", _rows(6), ZONE, start=T, end=T + timedelta(minutes=77))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"@Acc{i}" for i in range(6)]
    assert "6 accounts, 12 videos" in ax.get_title()
    legend = fig.legends[0]
    assert {t.get_text() for t in legend.get_texts()} == {"burst", "Song", "Song (sped up)"}


def test_burst_plot_caps_the_rows_and_says_how_many_are_not_shown() -> None:
    fig = burst_figure("Burst", _rows(MAX_ACCOUNTS + 15), ZONE, start=T, end=T + timedelta(hours=5))
    assert len(fig.axes[0].get_yticklabels()) == MAX_ACCOUNTS
    assert "15 more not shown" in fig.axes[0].get_title()


def test_campaigns_plot_writes_the_highest_scoring_or_the_named_burst(engine: Engine, sqlite_url: str, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _fill(engine)
    assert main(["match", "--db", sqlite_url]) == 0
    capsys.readouterr()
    best, named = tmp_path / "best.png", tmp_path / "named.png"
    assert main(["campaigns", "--db", sqlite_url, "--format", "jsonl", "--plot", str(best)]) == 0
    out = capsys.readouterr()
    assert best.read_bytes()[:8] == PNG and len(out.out.splitlines()) == 2  # the listing is still printed
    assert "timeline of burst 2024-03-21T01:00Z sound:stand together written to" in out.err
    key = "2024-03-26T00:00Z sound:original sound:agenci x"
    assert main(["campaigns", "--db", sqlite_url, "--plot", str(named), "--burst", key]) == 0
    assert named.read_bytes()[:8] == PNG and key in capsys.readouterr().err
    assert main(["campaigns", "--db", sqlite_url, "--plot", str(named), "--burst", "nope"]) == 1
    assert "no burst 'nope' among the 2 found" in capsys.readouterr().err
    assert main(["campaigns", "--db", sqlite_url, "--plot", str(named), "--since", "2030-01-01"]) == 1
    assert "no burst to plot" in capsys.readouterr().err


def test_report_plot_command_writes_the_png(engine: Engine, sqlite_url: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    _fill(engine)
    assert main(["match", "--db", sqlite_url]) == 0
    png = tmp_path / "r.png"
    assert main(["report", "1", "--db", sqlite_url, "--plot", str(png)]) == 0
    assert png.read_bytes()[:8] == PNG and f"timeline written to {png}" in capsys.readouterr().out
