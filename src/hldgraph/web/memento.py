"""Memento (RFC 7089) in the terms of the releases: each release that describes a resource
holds one memento of it; datetime negotiation picks the release in force at a datetime.

Pure functions of the mementos of one original resource (URI-R): the selection of a TimeGate
(:func:`select`), the ``Link`` header of a memento and of a TimeGate's redirect
(:func:`memento_links`, :func:`timegate_links`) and the TimeMap in its two forms
(:func:`timemap_links`, :func:`timemap_json`). The routes are in :mod:`hldgraph.web.timegate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hldgraph.web.linkset import LINK_FORMAT, Link, http_datetime

TIMEMAP_JSON = "application/json"


@dataclass(frozen=True)
class Memento:
    """One memento (URI-M) of a resource: the state a release holds, at the release's
    datetime (its Memento-Datetime)."""

    version: str
    datetime: dt.datetime
    url: str


@dataclass(frozen=True)
class Resource:
    """An original resource (URI-R) with its TimeGate (URI-G), its TimeMaps (URI-T, link
    format and JSON) and its mementos, oldest first."""

    original: str
    timegate: str
    timemap: str
    timemap_json: str
    mementos: tuple[Memento, ...]


def select(mementos: Sequence[Memento], when: dt.datetime) -> Memento | None:
    """The memento in force at ``when``: the last one made at or before it; before the first,
    the first (the closest, RFC 7089 §4.1); None when there is none."""
    if not mementos:
        return None
    made = [m for m in mementos if m.datetime <= when]
    return made[-1] if made else mementos[0]


def _neighbours(r: Resource, m: Memento | None) -> list[Link]:
    """first, last, prev and next mementos of ``m`` (RFC 7089 §2.2.1.4), one link per URL with
    its relation types together ("first memento", "prev first memento")."""
    ms = r.mementos
    if not ms:
        return []
    rels: dict[Memento, list[str]] = {}
    i = ms.index(m) if m in ms else -1
    if i > 0:
        rels.setdefault(ms[i - 1], []).append("prev")
    if 0 <= i < len(ms) - 1:
        rels.setdefault(ms[i + 1], []).append("next")
    rels.setdefault(ms[0], []).append("first")
    rels.setdefault(ms[-1], []).append("last")
    return [Link(k.url, " ".join([*v, "memento"]), datetime=k.datetime)
            for k, v in sorted(rels.items(), key=lambda kv: kv[0].datetime)]


def _frame(r: Resource, original_rel: str = "original") -> list[Link]:
    return [Link(r.original, original_rel), Link(r.timegate, "timegate"),
            Link(r.timemap, "timemap", LINK_FORMAT), Link(r.timemap_json, "timemap",
                                                          TIMEMAP_JSON)]


def memento_links(r: Resource, m: Memento) -> list[Link]:
    """The links of a memento's response (RFC 7089 §2.2.1): its original, TimeGate, TimeMaps,
    and its first, last, prev and next mementos."""
    return [*_frame(r), *_neighbours(r, m)]


def timegate_links(r: Resource, chosen: Memento | None) -> list[Link]:
    """The links of a TimeGate's answer (RFC 7089 §4.1.1, URI-R = URI-G): the original (which
    is the TimeGate), the TimeMaps, and the chosen memento's neighbours."""
    same = r.original == r.timegate
    links = [Link(r.original, "original timegate" if same else "original"),
             *([] if same else [Link(r.timegate, "timegate")]), *_frame(r)[2:]]
    return links + _neighbours(r, chosen)


def timemap_links(r: Resource) -> list[Link]:
    """The TimeMap (RFC 7089 §5.1.1): original, self (with from and until), TimeGate and every
    memento with its datetime."""
    ms = r.mementos
    span: tuple[tuple[str, str], ...] = ()
    if ms:
        span = (("from", http_datetime(ms[0].datetime)), ("until", http_datetime(ms[-1].datetime)))
    links = [Link(r.original, "original"), Link(r.timemap, "self", LINK_FORMAT, extra=span),
             Link(r.timegate, "timegate")]
    for i, m in enumerate(ms):
        rel = " ".join([*(["first"] if i == 0 else []), *(["last"] if i == len(ms) - 1 else []),
                        "memento"])
        links.append(Link(m.url, rel, datetime=m.datetime, extra=(("version", m.version),)))
    return links


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def timemap_json(r: Resource) -> dict[str, Any]:
    """The TimeMap in the JSON shape of the Memento aggregator's API (``original_uri``,
    ``timegate_uri``, ``timemap_uri``, ``mementos`` with ``first``, ``last`` and ``list``)."""
    items = [{"datetime": _iso(m.datetime), "uri": m.url, "version": m.version}
             for m in r.mementos]
    mementos: dict[str, Any] = {"list": items}
    if items:
        mementos.update(first=items[0], last=items[-1])
    return {"original_uri": r.original, "timegate_uri": r.timegate,
            "timemap_uri": {"link_format": r.timemap, "json_format": r.timemap_json},
            "mementos": mementos}
