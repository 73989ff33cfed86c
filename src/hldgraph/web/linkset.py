"""Typed links and the three ways the server writes them: the HTTP ``Link`` header (RFC 8288),
the CoRE link format (RFC 6690, ``application/link-format``: Memento's TimeMaps) and the JSON
linkset (RFC 9264, ``application/linkset+json``: FAIR Signposting's linksets).

Pure functions of their arguments: URLs come from :mod:`hldgraph.web.links`, datetimes from
the releases; nothing here reads a request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from werkzeug.http import http_date, parse_date

#: RFC 6690 §7.1 and RFC 9264 §7.1.
LINK_FORMAT = "application/link-format"
LINKSET_JSON = "application/linkset+json"


@dataclass(frozen=True)
class Link:
    """A typed link: ``target`` is ``rel`` of its context (RFC 8288 §3).

    ``rel`` may hold several relation types separated by spaces ("first memento"); ``datetime``
    is the Memento-Datetime of a memento (RFC 7089 §2.2.1); ``type`` a media type hint.
    """

    target: str
    rel: str
    type: str = ""
    datetime: dt.datetime | None = None
    title: str = ""
    extra: tuple[tuple[str, str], ...] = ()

    def params(self) -> list[tuple[str, str]]:
        """The link's target attributes, in the order they are written."""
        rv = [("rel", self.rel)]
        if self.type:
            rv.append(("type", self.type))
        if self.datetime is not None:
            rv.append(("datetime", http_datetime(self.datetime)))
        if self.title:
            rv.append(("title", self.title))
        return rv + list(self.extra)


def http_datetime(when: dt.datetime) -> str:
    """``Tue, 08 Aug 2006 00:00:00 GMT``: the IMF-fixdate of RFC 9110 §5.6.7, which Memento's
    headers and link attributes use (RFC 7089 §2.1.1)."""
    return http_date(when.astimezone(dt.UTC) if when.tzinfo else when.replace(tzinfo=dt.UTC))


def parse_http_datetime(text: str | None) -> dt.datetime | None:
    """The UTC datetime of an ``Accept-Datetime`` value, or None when it is not an HTTP date
    (RFC 7089 §2.1.1 allows the IMF-fixdate only; the obsolete forms are read too)."""
    when = parse_date(text)
    return when.astimezone(dt.UTC) if when else None


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write(link: Link) -> str:
    return f"<{link.target}>" + "".join(f"; {k}={_quoted(v)}" for k, v in link.params())


def link_header(links: Iterable[Link]) -> str:
    """The value of an HTTP ``Link`` header (RFC 8288 §3)."""
    return ", ".join(_write(link) for link in links)


def link_format(links: Iterable[Link]) -> str:
    """A document in the CoRE link format (RFC 6690 §2): one link per line, commas between.

    A TimeMap (RFC 7089 §5.1.1) is such a document.
    """
    return ",\n".join(_write(link) for link in links) + "\n"


def linkset(anchors: Sequence[tuple[str, Iterable[Link]]]) -> dict[str, Any]:
    """The JSON linkset (RFC 9264 §4.2) of ``(anchor, links)`` pairs: one context object per
    anchor, its links grouped by relation type, each target object with ``href`` and its
    attributes (a link with several relation types appears under each)."""
    contexts = []
    for anchor, links in anchors:
        context: dict[str, Any] = {"anchor": anchor}
        for link in links:
            target: dict[str, Any] = {"href": link.target}
            for key, value in link.params():
                if key != "rel":
                    target[key] = value
            for rel in link.rel.split():
                context.setdefault(rel, []).append(target)
        contexts.append(context)
    return {"linkset": contexts}

