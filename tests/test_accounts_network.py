"""`briefwatch accounts` and `export network` on a real archive (SQLite and PostgreSQL).

The world: _fill's briefed campaign (12 bloggers, brief 42) and the agency's unexplained burst
(8 promo accounts), plus four of the bloggers who also joined the agency's burst, and a second
brief (43) that two of them answered, so the repeat actors are known exactly.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import networkx as nx
import pytest
from sqlalchemy import Engine

from bot.cli import main
from bot.importers.video_formats import follower_count
from matching.video import Video
from parsers.brief import Audio, Brief, PostWindow
from storage.db import transaction
from storage.videos import upsert_videos
from tests.test_campaigns_cli import CAMPAIGN, T0, _fill
from tests.test_match_helpers import CHANNEL_ID, add_brief

SECOND = CAMPAIGN + timedelta(days=7)
AGENCY = "2024-03-26T00:00Z sound:original sound:agenci x"


def _world(engine: Engine, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(engine)
    joined = [(Video(platform="tiktok", video_id=f"r{i}", posted_at=T0 + timedelta(days=25, hours=5 + i / 3),
                     author=f"blogger{i}", music_title="original sound - agency_x", music_id="7300000000000000001",
                     views=500, raw={"authorStats": {"followerCount": 1000 * (i + 1)}}), None) for i in range(4)]
    second = [(Video(platform="tiktok", video_id=f"s{i}", posted_at=SECOND + timedelta(hours=1 + i),
                     author=f"blogger{i}", music_title="Zhuravli", hashtags=("журавлипомнят",), views=2_000),
               None) for i in range(2)]
    with transaction(engine) as session:
        upsert_videos(session, joined + second, now=T0 + timedelta(days=40))
    add_brief(engine, 43, SECOND - timedelta(hours=1), Brief(
        is_brief=True, confidence=0.9, language="ru", platforms=("tiktok",),
        audio=Audio(title="Zhuravli", artist=None, music_id=None), hashtags=("журавлипомнят",),
        post_window=PostWindow(SECOND, SECOND + timedelta(hours=6))))
    assert main(["match", "--db", url]) == 0
    capsys.readouterr()


def _jsonl(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, object]]:
    assert main(list(argv)) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_accounts_lists_the_repeat_actors_with_what_they_joined_and_their_reach(
        any_engine: Engine, archive_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _world(any_engine, archive_url, capsys)
    found = _jsonl(capsys, "accounts", "--db", archive_url, "--format", "jsonl")
    assert [a["account"] for a in found] == ["blogger0", "blogger1", "blogger2", "blogger3"]
    top = found[0]
    assert list(top) == ["platform", "account", "author", "campaigns", "briefs", "bursts", "videos", "views",
                         "followers"]
    assert top["campaigns"] == 3 and top["videos"] == 3 and top["views"] == 10_000 + 500 + 2_000
    assert [(b["channel_id"], b["message_id"], b["videos"]) for b in top["briefs"]] == [  # type: ignore[union-attr, index]
        (CHANNEL_ID, 42, 1), (CHANNEL_ID, 43, 1)]
    assert {b["key"] for b in top["bursts"]} >= {AGENCY}  # type: ignore[union-attr, index]
    assert top["followers"] == 1000  # from the raw Zeeschuimer-style authorStats of its burst video
    assert [a["campaigns"] for a in found] == [3, 3, 2, 2]
    assert _jsonl(capsys, "accounts", "--db", archive_url, "--format", "jsonl", "--min-briefs", "3") == found[:2]
    everyone = _jsonl(capsys, "accounts", "--db", archive_url, "--format", "jsonl", "--min-briefs", "1")
    assert len(everyone) == 20 and all(a["followers"] is None for a in everyone if str(a["account"]).startswith("promo"))


def test_accounts_table_names_each_campaign(engine: Engine, sqlite_url: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    _world(engine, sqlite_url, capsys)
    assert main(["accounts", "--db", sqlite_url, "--format", "table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["account", "platform", "camp."] and len(lines) == 5
    assert lines[1].startswith("blogger0") and "@zadaniya_blogeram/42" in lines[1] and AGENCY in lines[1]
    assert "1,000" in lines[1] and "12,500" in lines[1]


def test_accounts_on_an_empty_archive_says_so(engine: Engine, sqlite_url: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["accounts", "--db", sqlite_url, "--format", "table"]) == 0
    assert capsys.readouterr().out == "no accounts\n"
    assert _jsonl(capsys, "accounts", "--db", sqlite_url) == []


def test_export_network_gexf_loads_in_networkx_as_both_graphs(any_engine: Engine, archive_url: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    _world(any_engine, archive_url, capsys)
    bipartite, coaction = tmp_path / "b.gexf", tmp_path / "c.gexf"
    assert main(["export", "network", "--db", archive_url, "--out", str(bipartite)]) == 0
    assert main(["export", "network", "--db", archive_url, "--format", "gexf", "--graph", "coaction",
                 "--out", str(coaction)]) == 0  # repeat actors only: at least two campaigns by default
    assert "coaction graph: 4 nodes, 6 edges written to" in capsys.readouterr().err
    g = nx.read_gexf(bipartite)
    accounts = {n for n, d in g.nodes(data=True) if d["bipartite"] == 0}
    campaigns = {n for n, d in g.nodes(data=True) if d["bipartite"] == 1}
    assert len(accounts) == 20 and campaigns == {f"brief:{CHANNEL_ID}/42", f"brief:{CHANNEL_ID}/43", f"burst:{AGENCY}"}
    assert nx.is_bipartite(g) and all((u in accounts) != (v in accounts) for u, v in g.edges())
    assert g.nodes["tiktok:blogger0"]["followers"] == 1000 and g.nodes["tiktok:blogger0"]["label"] == "blogger0"
    assert g.nodes[f"brief:{CHANNEL_ID}/42"]["accounts"] == 12 and g.nodes[f"brief:{CHANNEL_ID}/42"]["message_id"] == 42
    assert g.nodes[f"burst:{AGENCY}"]["kind"] == "burst" and "message_id" not in g.nodes[f"burst:{AGENCY}"]
    assert g.degree("tiktok:blogger0") == 3 and g.degree("tiktok:promo0") == 1
    c = nx.read_gexf(coaction)
    assert sorted(c.nodes) == [f"tiktok:blogger{i}" for i in range(4)]
    assert c.edges["tiktok:blogger0", "tiktok:blogger1"]["weight"] == 3.0
    assert c.edges["tiktok:blogger0", "tiktok:blogger2"]["weight"] == 2.0
    assert c.edges["tiktok:blogger2", "tiktok:blogger3"]["campaigns"] == f"brief:{CHANNEL_ID}/42 | burst:{AGENCY}"
    everyone = tmp_path / "all.gexf"
    assert main(["export", "network", "--db", archive_url, "--graph", "coaction", "--min-briefs", "1",
                 "--out", str(everyone)]) == 0
    whole = nx.read_gexf(everyone)  # the 12 bloggers' clique (66 edges) and the 8 + 4 in the agency's burst (66)
    assert whole.number_of_nodes() == 20 and whole.number_of_edges() == 66 + 66 - 6
    assert whole.edges["tiktok:promo0", "tiktok:blogger3"]["weight"] == 1.0


def test_export_network_csv_is_gephis_edge_and_node_tables(engine: Engine, sqlite_url: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    _world(engine, sqlite_url, capsys)
    nodes = tmp_path / "nodes.csv"
    assert main(["export", "network", "--db", sqlite_url, "--format", "csv", "--graph", "coaction",
                 "--min-briefs", "3", "--nodes", str(nodes)]) == 0
    edges = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert edges == [{"Source": "tiktok:blogger0", "Target": "tiktok:blogger1", "Type": "Undirected", "Weight": "3",
                      "kind": "coaction",
                      "campaigns": f"brief:{CHANNEL_ID}/42 | brief:{CHANNEL_ID}/43 | burst:{AGENCY}"}]
    table = list(csv.DictReader(nodes.open(encoding="utf-8")))
    assert [(r["Id"], r["Label"], r["campaigns"], r["followers"]) for r in table] == [
        ("tiktok:blogger0", "blogger0", "3", "1000"), ("tiktok:blogger1", "blogger1", "3", "2000")]
    g = nx.from_edgelist([(e["Source"], e["Target"], {"weight": float(e["Weight"])}) for e in edges])
    assert g.edges["tiktok:blogger0", "tiktok:blogger1"]["weight"] == 3.0


def test_export_network_escapes_names_in_gexf(engine: Engine, sqlite_url: str, tmp_path: Path) -> None:
    with transaction(engine) as session:
        upsert_videos(session, [(Video(platform="tiktok", video_id=f"q{i}", posted_at=T0 + timedelta(hours=i),
                                       author=f'<a&"{i}>\x07\n', music_title="Nowhere & <back>", views=1), None)
                                for i in range(6)], now=T0 + timedelta(days=1))
    out = tmp_path / "n.gexf"
    assert main(["export", "network", "--db", sqlite_url, "--out", str(out)]) == 0
    g = nx.read_gexf(out)  # a bell character XML cannot hold is U+FFFD; the newline survives
    assert {d["label"] for n, d in g.nodes(data=True) if d["bipartite"] == 0} == {f'<a&"{i}>\ufffd\n' for i in range(6)}


def test_an_empty_network_is_still_a_graph_file(engine: Engine, sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "empty.gexf"
    assert main(["export", "network", "--db", sqlite_url, "--out", str(out)]) == 0
    assert nx.read_gexf(out).number_of_nodes() == 0


@pytest.mark.parametrize(("raw", "expected"), [
    ({"authorStats": {"followerCount": 51200}}, 51200),
    ({"authorMeta": {"name": "x", "fans": "12000"}}, 12000),
    ({"channel_follower_count": 8300}, 8300),
    ({"user": {"follower_count": 3100}}, 3100),
    ({"owner": {"edge_followed_by": {"count": 77}}}, 77),
    ({"followers": "1500"}, 1500),
    ({"followers": "many"}, None),
    ({"followers": True}, None),
    ({"followers": "1e400"}, None),
    ({"authorStats": "hidden"}, None),
    ({}, None),
])
def test_follower_counts_are_read_from_each_formats_raw_metadata(raw: dict[str, object], expected: int | None) -> None:
    assert follower_count(raw) == expected
