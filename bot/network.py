"""`export network`: the account–campaign and account co-action graphs, as GEXF or CSV for Gephi and networkx.

Two graphs from one membership (bot.accounts):

- **bipartite**: account nodes (`<platform>:<account>`, attribute `bipartite` 0) and campaign nodes
  (`brief:<channel_id>/<message_id>` or `burst:<key>` for a burst no brief explains, `bipartite`
  1), an edge where the account joined the campaign, weighted by its videos there;
- **coaction**: account nodes only, an edge between two accounts that joined the same campaign,
  weighted by how many campaigns they share (the usual one-mode projection of the first, as
  coordination studies draw it), with the shared campaign keys as an attribute.

GEXF is written by hand (1.2draft, the version Gephi and networkx.read_gexf both read), with
typed attributes declared once; a value that is unknown is left out rather than written as
empty. CSV is Gephi's spreadsheet import: an edge table (Source, Target, Type, Weight, ...) and,
when asked, a node table (Id, Label, ...).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from bot.accounts import Account, CampaignNode

GRAPHS = ("bipartite", "coaction")
NETWORK_FORMATS = ("gexf", "csv")

# (name, GEXF type) of the node and edge attributes, in column order.
NODE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("kind", "string"), ("bipartite", "integer"), ("platform", "string"), ("account", "string"),
    ("campaigns", "integer"), ("videos", "integer"), ("views", "long"), ("followers", "long"),
    ("accounts", "integer"), ("channel_id", "long"), ("message_id", "long"), ("brief_id", "long"),
    ("burst", "string"),
)
EDGE_ATTRIBUTES: tuple[tuple[str, str], ...] = (("kind", "string"), ("campaigns", "string"))


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    weight: int
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Graph:
    name: str
    nodes: list[Node]
    edges: list[Edge]


def _account_node(account: Account) -> Node:
    return Node(account.node, account.author or account.account, {
        "kind": "account", "bipartite": 0, "platform": account.platform, "account": account.account,
        "campaigns": len(account.campaigns), "videos": len(account.videos), "views": account.views,
        "followers": account.followers,
    })


def bipartite_graph(accounts: Sequence[Account], campaigns: dict[str, CampaignNode]) -> Graph:
    """Accounts and the campaigns they joined; edge weight: the account's videos in that campaign."""
    members: dict[str, int] = {}
    edges: list[Edge] = []
    for account in accounts:
        for key, pks in sorted(account.campaigns.items()):
            members[key] = members.get(key, 0) + 1
            edges.append(Edge(account.node, key, len(pks), {"kind": "joined"}))
    nodes = [_account_node(a) for a in accounts]
    for key in sorted(members):
        c = campaigns[key]
        nodes.append(Node(key, c.label, {
            "kind": c.kind, "bipartite": 1, "accounts": members[key], "channel_id": c.channel_id,
            "message_id": c.message_id, "brief_id": c.brief_id, "burst": c.burst,
        }))
    return Graph("bipartite", nodes, edges)


def coaction_graph(accounts: Sequence[Account]) -> Graph:
    """Accounts linked by the campaigns they share; edge weight: how many."""
    # Accounts and campaigns as small ints, pairs as one int: a big campaign makes millions of pairs.
    nodes = sorted(a.node for a in accounts)
    index = {node: i for i, node in enumerate(nodes)}
    keys = sorted({k for a in accounts for k in a.campaigns})
    by_campaign: list[list[int]] = [[] for _ in keys]
    key_index = {k: i for i, k in enumerate(keys)}
    for account in accounts:
        for key in account.campaigns:
            by_campaign[key_index[key]].append(index[account.node])
    n = len(nodes)
    shared: dict[int, list[int]] = {}
    for c, members in enumerate(by_campaign):
        for a, b in combinations(sorted(members), 2):
            pair = a * n + b
            found = shared.get(pair)
            if found is None:
                shared[pair] = [c]
            else:
                found.append(c)
    edges = [Edge(nodes[pair // n], nodes[pair % n], len(cs),
                  {"kind": "coaction", "campaigns": " | ".join(keys[c] for c in cs)})
             for pair, cs in sorted(shared.items())]
    return Graph("coaction", [_account_node(a) for a in accounts], edges)


def build_graph(kind: str, accounts: Sequence[Account], campaigns: dict[str, CampaignNode]) -> Graph:
    if kind == "bipartite":
        return bipartite_graph(accounts, campaigns)
    if kind == "coaction":
        return coaction_graph(accounts)
    raise ValueError(f"unknown graph {kind!r}; expected one of {', '.join(GRAPHS)}")


# --- GEXF ---------------------------------------------------------------------------------------

GEXF_NS = "http://www.gexf.net/1.2draft"
# Characters XML 1.0 cannot hold even escaped (C0 controls but tab and newlines, lone surrogates,
# U+FFFE/U+FFFF): a username or sound title carrying one would make the whole file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _attr(value: object) -> str:
    """A quoted XML attribute value, with what XML cannot hold replaced by U+FFFD."""
    return quoteattr(_NOT_XML.sub("\ufffd", str(value)))


def _attvalues(values: dict[str, Any], declared: Iterable[tuple[str, str]]) -> str:
    parts = [f'<attvalue for="{i}" value={_attr(values[name])}/>'
             for i, (name, _kind) in enumerate(declared) if values.get(name) is not None]
    return f"<attvalues>{''.join(parts)}</attvalues>" if parts else ""


def write_gexf(graph: Graph, out: IO[str]) -> None:
    """The graph as GEXF 1.2 (undirected, static), readable by Gephi and networkx.read_gexf."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<gexf xmlns="{GEXF_NS}" version="1.2">\n')
    out.write(f"  <meta><creator>briefwatch</creator><description>{graph.name} graph of accounts and "
              "campaigns</description></meta>\n")
    out.write('  <graph mode="static" defaultedgetype="undirected">\n')
    for cls, declared in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        out.write(f'    <attributes class="{cls}">\n')
        out.writelines(f'      <attribute id="{i}" title="{name}" type="{kind}"/>\n' for i, (name, kind) in enumerate(declared))
        out.write("    </attributes>\n")
    out.write("    <nodes>\n")
    out.writelines(f"      <node id={_attr(node.id)} label={_attr(node.label)}>"
                  f"{_attvalues(node.attributes, NODE_ATTRIBUTES)}</node>\n" for node in graph.nodes)
    out.write("    </nodes>\n    <edges>\n")
    out.writelines(f'      <edge id="{i}" source={_attr(edge.source)} target={_attr(edge.target)} '
                  f'weight="{edge.weight}">{_attvalues(edge.attributes, EDGE_ATTRIBUTES)}</edge>\n' for i, edge in enumerate(graph.edges))
    out.write("    </edges>\n  </graph>\n</gexf>\n")


# --- CSV (Gephi's spreadsheet import) -----------------------------------------------------------

EDGE_COLUMNS = ("Source", "Target", "Type", "Weight", *(name for name, _ in EDGE_ATTRIBUTES))
NODE_COLUMNS = ("Id", "Label", *(name for name, _ in NODE_ATTRIBUTES))


def write_edges_csv(graph: Graph, out: IO[str]) -> None:
    """The edge table: Source, Target, Type (Undirected), Weight, then the edge attributes."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EDGE_COLUMNS)
    for edge in graph.edges:
        writer.writerow([edge.source, edge.target, "Undirected", edge.weight,
                         *(_cell(edge.attributes.get(name)) for name, _ in EDGE_ATTRIBUTES)])


def write_nodes_csv(graph: Graph, out: IO[str]) -> None:
    """The node table: Id, Label, then the node attributes (empty where unknown)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NODE_COLUMNS)
    for node in graph.nodes:
        writer.writerow([node.id, node.label, *(_cell(node.attributes.get(name)) for name, _ in NODE_ATTRIBUTES)])


def _cell(value: Any) -> str:
    return "" if value is None else str(value)
