"""The Atom feed of the releases and their changes (RFC 4287), written with feedgen.

One entry per release, newest first: its notes, and what changed in it in the calendar's words;
it links to the release's "What changed" page and its landing page. A pure function of what it
is given: the routes are in :mod:`hldgraph.web.history`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from feedgen.feed import FeedGenerator

ATOM = "application/atom+xml"


@dataclass(frozen=True)
class Entry:
    """A release as the feed tells it: ``id`` is a permanent IRI (RFC 4287 §4.2.6), ``changes``
    the sentences of :func:`hldgraph.web.changes.say`."""

    id: str
    title: str
    datetime: dt.datetime
    notes: str
    changes: tuple[str, ...]
    page: str
    release: str


@dataclass(frozen=True)
class Feed:
    """What the feed itself says: its IRI, title, the site it belongs to, its own URL and
    its author (RFC 4287 §4.1.1 requires one where entries have none)."""

    id: str
    title: str
    site: str
    self_url: str
    author: str
    lang: str
    licence: str = ""


def atom(feed: Feed, entries: Sequence[Entry]) -> bytes:
    """The Atom document, UTF-8. ``updated`` is the newest entry's datetime (or the epoch for
    a feed without entries, so that the document does not change from one request to the
    next)."""
    fg = FeedGenerator()
    fg.id(feed.id)
    fg.title(feed.title)
    fg.author({"name": feed.author})
    fg.link(href=feed.self_url, rel="self", type=ATOM)
    fg.link(href=feed.site, rel="alternate", type="text/html")
    fg.language(feed.lang)
    if feed.licence:
        fg.rights(feed.licence)
    newest = max((e.datetime for e in entries), default=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    fg.updated(newest)
    for e in sorted(entries, key=lambda e: e.datetime):  # feedgen writes the last added first
        fe = fg.add_entry()
        fe.id(e.id)
        fe.title(e.title)
        fe.updated(e.datetime)
        fe.published(e.datetime)
        # one link, the entry's alternate (RFC 4287 §4.2.7.2: the default relation):
        # feedgen 1.0 writes an entry link's href only, so a second one would read as a
        # second alternate; the release's landing page is linked from the content
        fe.link(href=e.page)
        fe.summary(e.notes or e.title)
        fe.content(_content(e), type="html")
    return fg.atom_str(pretty=True)


def _content(e: Entry) -> str:
    notes = f"<p>{escape(e.notes)}</p>" if e.notes else ""
    items = "".join(f"<li>{escape(c)}</li>" for c in e.changes)
    home = f'<p><a href="{escape(e.release)}">{escape(e.title)}</a></p>'
    return notes + (f"<ul>{items}</ul>" if items else "") + home
