"""What the reconciliation service matches: its types, its properties, and how a property value
given with a name sharpens the match (W3C Entity Reconciliation CG, API 0.2, §4 and §5).

A candidate's score starts from how well its best label matches the name (0-100, by
:func:`hldgraph.names.similarity`); each property that agrees adds :data:`AGREES`, each that
disagrees takes :data:`DISAGREES` away. A candidate is a ``match`` when it scores at least
:data:`MATCH_SCORE` and leads the next by :data:`MATCH_LEAD`: a name that fits several things
equally well is left for a person to decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pycountry

from hldgraph.lookup import ANY, KINDS, Entry, kind_mask
from hldgraph.names import compact, fold, similarity
from hldgraph.urls import ORG, SCHEMA, SKOS
from hldgraph.web.i18n import LANGS, translate

if TYPE_CHECKING:
    from hldgraph.finder import Finder

AGREES, DISAGREES = 8.0, 30.0
MATCH_SCORE, MATCH_LEAD = 85.0, 10.0
#: A linked thing (venue, organiser, parent) is the one a value names from this score.
NAMES_IT = 85.0

EVENT, BODY, PLACE, CONCEPT = (KINDS[str(t)] for t in (SCHEMA.Event, ORG.Organization,
                                                        SCHEMA.Place, SKOS.Concept))


@dataclass(frozen=True)
class Type:
    """A type of the service: its id (the class IRI), the key of its name and description in
    the pages' words (``type_{key}`` and ``type_{key}_about`` in
    :data:`~hldgraph.messages.MESSAGES`) and its kind bits."""

    id: str
    key: str
    kind: int

    def name(self, lang: str) -> str:
        """Its name in ``lang``."""
        return translate(f"type_{self.key}", lang)

    def description(self, lang: str) -> str:
        """What it holds, in ``lang``."""
        return translate(f"type_{self.key}_about", lang)

    def ref(self, lang: str) -> dict[str, str]:
        """``{"id", "name"}``, as a candidate's or a suggestion's type."""
        return {"id": self.id, "name": self.name(lang)}

    def json(self, lang: str) -> dict[str, str]:
        """``{"id", "name", "description"}``, as type suggestions give it."""
        return {**self.ref(lang), "description": self.description(lang)}


TYPES = (Type(str(SCHEMA.Event), "event", EVENT), Type(str(ORG.Organization), "organization", BODY),
         Type(str(SCHEMA.Place), "place", PLACE), Type(str(SKOS.Concept), "concept", CONCEPT))
_TYPE_NAMES = {**{t.id: t for t in TYPES},
               **{t.name(lang).casefold(): t for t in TYPES for lang in LANGS},
               **{f"{p}:{t.id.rsplit('/', 1)[-1].rsplit('#', 1)[-1]}".casefold(): t
                  for t in TYPES for p in ("schema", "org", "skos")}}


def type_of(name: str) -> Type | None:
    """A type by its id (``http://schema.org/Event``), CURIE (``schema:Event``) or name (in
    any language of the site: ``Organization``, ``Organisation``)."""
    return _TYPE_NAMES.get(name) or _TYPE_NAMES.get(name.strip().casefold())


@dataclass(frozen=True)
class Property:
    """A property of the service: id, name, description, the kinds it applies to, and whether
    its values are things of the graph (IRIs)."""

    id: str
    name: str
    description: str
    kinds: int
    linked: bool = False

    def json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "description": self.description}


PROPERTIES = (
    Property("country", "Country", "ISO 3166-1 code of a venue's country (an event: its "
             "venue's)", PLACE | EVENT),
    Property("startDate", "Start date", "First day of an event", EVENT),
    Property("endDate", "End date", "Last day of an event", EVENT),
    Property("date", "Date", "A day within an event (YYYY-MM-DD, YYYY-MM or YYYY)", EVENT),
    Property("location", "Venue", "Where an event was held", EVENT, linked=True),
    Property("organizer", "Organiser", "A body that organised an event", EVENT, linked=True),
    Property("sponsor", "Supported by", "A body that supported an event", EVENT, linked=True),
    Property("about", "Thematic area", "A thematic area an event is about", EVENT, linked=True),
    Property("acronym", "Acronym or spelling", "An acronym or another name of a body, as "
             "printed or usual (UNDESA, OIM)", BODY),
    Property("parent", "Part of", "The body a body is part of", BODY, linked=True),
    Property("bodyType", "Type of body", "UN body, government, foundation…", BODY, linked=True),
    Property("broader", "Broader concept", "The thematic area a point belongs to", CONCEPT,
             linked=True),
    Property("wikidata", "Wikidata id", "The Wikidata item (Q…) of the same thing", ANY),
    Property("geonames", "GeoNames id", "The GeoNames feature of a venue", PLACE),
)
PROPERTY = {p.id: p for p in PROPERTIES}
#: Properties the data extension serves but a query cannot compare.
NAMES = Property("names", "Names and spellings", "Every name, acronym and spelling", ANY)


def values(v: Any) -> list[Any]:
    """A query's ``v``: one value or a list of them."""
    return v if isinstance(v, list) else [v]


def agrees(f: Finder, e: Entry, pid: str, v: Any) -> bool | None:
    """Whether the candidate ``e`` has ``v`` as its ``pid``; None where it cannot be told (an
    unknown property, or one the candidate does not state)."""
    check, p = _CHECKS.get(pid), PROPERTY.get(pid)
    if check is None or p is None or not kind_mask(e.types) & p.kinds:
        return None  # unknown, or not a property of this kind of thing
    found = [check(f, e, value) for value in values(v)]
    known = [x for x in found if x is not None]
    return any(known) if known else None


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id") or "")
    return str(value)


def _linked(pid: str) -> Callable[[Finder, Entry, Any], bool | None]:
    def check(f: Finder, e: Entry, value: Any) -> bool | None:
        linked = e.props.get(pid)
        if not linked:
            return None
        if isinstance(value, dict) and value.get("id") in linked:
            return True
        wanted = fold(_text(value))
        return any(similarity(wanted, fold(text)) >= NAMES_IT
                   for iri in linked if (other := f.entry(iri)) is not None
                   for text, _ in other.labels)
    return check


def country_code(value: Any) -> str:
    """``CH``, ``che``, ``Switzerland`` → ``CH``; anything else as it is, upper-cased."""
    text = _text(value).strip()
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return text.upper()


def _country(f: Finder, e: Entry, value: Any) -> bool | None:
    codes = e.props.get("country") or [c for iri in e.props.get("location", [])
                                       if (p := f.entry(iri)) for c in p.props.get("country", [])]
    return country_code(value) in codes if codes else None


def span(text: str) -> tuple[dt.date, dt.date] | None:
    """``2006-03-15`` → that day; ``2006-03`` → the month; ``2006`` → the year; else None."""
    text = text.strip()[:10]
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return day, day
        if len(text) == 7:
            first = dt.date.fromisoformat(text + "-01")
            after = (first + dt.timedelta(days=32)).replace(day=1)
            return first, after - dt.timedelta(days=1)
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)
    except ValueError:
        return None
    return None


def _date(f: Finder, e: Entry, value: Any) -> bool | None:
    asked, start = span(_text(value)), e.props.get("startDate")
    if asked is None or not start:
        return None
    first = dt.date.fromisoformat(start[0])
    last = dt.date.fromisoformat(e.props.get("endDate", start)[0])
    return asked[0] <= last and first <= asked[1]


def _same_day(pid: str) -> Callable[[Finder, Entry, Any], bool | None]:
    def check(f: Finder, e: Entry, value: Any) -> bool | None:
        asked = span(_text(value))
        return (asked[0].isoformat() in e.props[pid]) if asked and pid in e.props else None
    return check


def _acronym(f: Finder, e: Entry, value: Any) -> bool | None:
    wanted = fold(_text(value))
    return any(fold(text) == wanted or compact(fold(text)) == compact(wanted)
               for text, _ in e.labels)


def _same_id(key: str) -> Callable[[Finder, Entry, Any], bool | None]:
    def check(f: Finder, e: Entry, value: Any) -> bool | None:
        ids = e.props.get(key)
        wanted = _text(value).rstrip("/").rsplit("/", 1)[-1].casefold()
        return wanted in {i.casefold() for i in ids} if ids else None
    return check


_CHECKS: dict[str, Callable[[Finder, Entry, Any], bool | None]] = {
    **{p.id: _linked(p.id) for p in PROPERTIES if p.linked},
    "country": _country, "date": _date, "startDate": _same_day("startDate"),
    "endDate": _same_day("endDate"), "acronym": _acronym, "wikidata": _same_id("wikidata"),
    "geonames": _same_id("geonames"),
}
