"""The calendar page, its filters, and its charts (the timeline and the venue map, as SVG or PNG).

The charts depend on ``Accept-Language`` (their words and labels): like the pages, they say the
language in ``Content-Language`` and name ``Accept-Language`` in ``Vary``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, request

from hldgraph import charts
from hldgraph.errors import HldgraphError
from hldgraph.web.http import single, varies
from hldgraph.web.i18n import choose_lang, date_span, month_name, translate
from hldgraph.web.links import (
    CALENDAR,
    CALENDAR_JSON,
    asked,
    calendar_for,
    href,
    iris,
    json_twin,
    link_header,
    url,
)
from hldgraph.web.pages import page_response, render
from hldgraph.web.readmodel import Event, Index, Place, index

bp = Blueprint("calendar", __name__)

FIRST_MONTH, LAST_MONTH, YEAR = 2, 9, 2006
CHARTS = ("timeline.svg", "timeline.png", "map.svg", "map.png")


@dataclass(frozen=True)
class Parameter:
    """A filter of the calendar as the server reads it: ``schema`` (JSON Schema of its one
    value) is what :func:`filters` checks and what /openapi.json publishes; ``filters``: it
    keeps some events and not others (the whole-calendar files refuse it)."""
    name: str
    description: str
    schema: dict[str, Any]
    filters: bool = True


#: The calendar's parameters (page, charts, calendar.json): each is given once at most, and
#: an empty value is no filter (the page's form sends month= for "any month").
PARAMETERS = (
    Parameter("month", f"Events under way in this month of {YEAR}: its number, "
                       f"{FIRST_MONTH} to {LAST_MONTH} (February to September), with or without a "
                       f"leading zero (5, 05).",
              {"type": "string", "pattern": f"^(0?[{FIRST_MONTH}-{LAST_MONTH}])?$"}),
    Parameter("city", "Events at this place: the last step of its IRI (geneva).",
              {"type": "string"}),
    Parameter("body", "Events organised or supported by this body: the last step of its IRI "
                      "(iom).", {"type": "string"}),
    Parameter("theme", "Events about this thematic area or sub-point: its IRI after "
                       "/id/theme/ (migration-and-development).", {"type": "string"}),
    Parameter("colour", "What the timeline's colours say (the page and its charts; the list "
                        "of events is the same).",
              {"type": "string", "enum": ["category", "theme"], "default": "category"},
              filters=False),
)
_BY_NAME = {p.name: p for p in PARAMETERS}


@dataclass(frozen=True)
class Filters:
    month: int | None = None
    city: str = ""  # place IRI
    body: str = ""  # body IRI
    theme: str = ""  # theme IRI
    colour: str = "category"

    def keep(self, e: Event, ix: Index) -> bool:
        return ((self.month is None or e.start.month <= self.month <= e.end.month)
                and (not self.city or e.venue == self.city)
                and (not self.body or self.body in e.organizers + e.sponsors)
                and (not self.theme or any(self.theme in (th, ix.area_of(th))
                                           for th in e.themes)))


def _value(name: str) -> str:
    """The one value of a parameter ("" if absent), as its schema admits; else a 400 naming
    it (a second value too: :func:`~hldgraph.web.http.single`)."""
    schema = _BY_NAME[name].schema
    value = single(name, schema.get("default", ""))
    if "enum" in schema and value not in schema["enum"]:
        raise HldgraphError(f"{name}={value!r}: use " + " or ".join(schema["enum"]), 400)
    if "pattern" in schema and not re.fullmatch(schema["pattern"], value):
        raise HldgraphError(f"{name}={value!r} is not a value it takes: "
                            f"{_BY_NAME[name].description}", 400)
    return value


def filters(ix: Index) -> Filters:
    """The calendar's filters from the query string; a bad value is a 400 naming it."""
    i = iris()
    month = _value("month")

    def pick(name: str, known: Iterable[str], make: Callable[[str], str]) -> str:
        value = _value(name)
        if value and str(make(value)) not in set(known):
            raise HldgraphError(f"{name}={value!r} is not known here; the calendar's form lists "
                                f"the values it takes", 400)
        return str(make(value)) if value else ""

    return Filters(int(month) if month else None,
                   pick("city", ix.places, i.place), pick("body", ix.bodies, i.org),
                   pick("theme", (t.iri for t in ix.themes), i.theme), _value("colour"))


def whole_calendar(path: str) -> None:
    """Refuse a filter of the calendar on ``path``, a file of every event (calendar.csv,
    calendar.ics: the build's, with its checksum in the catalogue, so it is never filtered): a
    400 naming the filters given and where the filtered events are (the calendar's page and
    calendar.json with them). An empty value is no filter; other parameters (lang) are left
    to the file."""
    given = {name: values for name, values in asked().items()
             if name in _BY_NAME and _BY_NAME[name].filters}
    if given:
        said = ", ".join(f"{name}={value}" for name, values in given.items() for value in values)
        raise HldgraphError(
            f"{said}: {url(path)} is the whole calendar (a file of the build, its checksum "
            f"in the catalogue) and takes no filter; the events of {said} are at "
            f"{url(CALENDAR_JSON, given)} (JSON) and {calendar_for(**given)} (the calendar's "
            f"page)", 400)


def _chart_args() -> dict[str, list[str]]:
    return asked("lang")


@bp.get("/calendar")
def calendar() -> Response:
    lang, ix = choose_lang(), index()
    f = filters(ix)
    events = ix.events_where(lambda e: f.keep(e, ix))
    twin = json_twin(CALENDAR_JSON, _chart_args())
    options = {
        "month": [(str(m), month_name(m, lang)) for m in range(FIRST_MONTH, LAST_MONTH + 1)],
        "city": _options({e.venue for e in ix.events}, lang),
        "body": _options({b for e in ix.events for b in e.organizers + e.sponsors}, lang),
        "theme": _options({t.iri for t in ix.areas()}, lang),
    }
    slug = {"city": f.city, "body": f.body, "theme": f.theme}
    chosen = {k: v.rstrip("/").rsplit("/", 1)[-1] if k != "theme" else
              v.removeprefix(iris().theme("")) for k, v in slug.items() if v}
    chosen["month"] = str(f.month) if f.month else ""
    html = render(
        "calendar.html", lang, title=translate("calendar", lang), events=events,
        total=len(ix.events), options=options, chosen=chosen, colour=f.colour,
        # calendar.ics and calendar.csv are the build's files of every event (no filters)
        filtered=f != Filters(colour=f.colour),
        timeline=_timeline(events, f.colour, lang), map=venue_map(events, lang),
        venues=venue_rows(events, lang), filters=_chart_args(),
        chart_links={name: url(f"{CALENDAR}/{name}", _chart_args()) for name in CHARTS},
        alternates=[twin])
    return page_response(html, lang, link_header([(twin["href"], "alternate", twin["type"])]))


def _options(iris_: Iterable[str], lang: str) -> list[tuple[str, str]]:
    """(slug, label) pairs for a select, sorted by label."""
    i = iris()
    pairs = [(iri.removeprefix(i.theme("")) if iri.startswith(i.theme("")) else
              iri.rstrip("/").rsplit("/", 1)[-1], index().label(iri, lang)) for iri in iris_ if iri]
    return sorted(pairs, key=lambda p: p[1].casefold())


def _timeline(events: list[Event], colour: str, lang: str) -> str:
    ix = index()
    if colour == "theme":
        groups = charts.theme_groups([(t.iri, ix.label(t.iri, lang)) for t in ix.areas()])
        group_of = {e.iri: next((ix.area_of(t) for t in e.themes), "") for e in events}
    else:
        categories = {key: ix.label(iris().event_category(key), lang)
                      for key in charts.CATEGORY_COLOURS}
        groups = charts.category_groups(categories)
        group_of = {e.iri: e.category for e in events}
    bars = [charts.Bar(e.id, ix.label(e.iri, lang), e.start, e.end, href(e.iri),
                       group_of[e.iri], f"{date_span(e.start, e.end, lang)}, "
                                        f"{ix.label(e.venue, lang)}") for e in events]
    return charts.timeline_svg(bars, groups, title=translate("timeline_title", lang), lang=lang)


def venue_rows(events: list[Event], lang: str, every: bool = False) -> list[tuple[Place, int]]:
    """The venues of ``events`` (``every``: all the graph's venues) with their number of events
    among them, by label: the map's text alternative."""
    ix = index()
    counts = Counter(e.venue for e in events)
    places = [p for p in ix.places.values() if every or p.iri in counts]
    return [(p, counts[p.iri]) for p in sorted(places,
                                               key=lambda p: ix.label(p.iri, lang).casefold())]


def venue_map(events: list[Event], lang: str) -> str:
    ix = index()
    counts: dict[str, int] = {}
    for e in events:
        counts[e.venue] = counts.get(e.venue, 0) + 1
    venues = [charts.Venue(p.slug, ix.label(p.iri, lang), p.latitude, p.longitude,
                           counts[p.iri], href(p.iri))
              for p in ix.places.values()
              if p.iri in counts and p.latitude is not None and p.longitude is not None]
    return charts.map_svg(venues, title=translate("map_title", lang),
                          land_label=translate("land", lang), lang=lang)


@bp.get("/calendar/<name>.<extension>")
def calendar_chart(name: str, extension: str) -> Response:
    varies(request.environ, "Accept-Language")  # its words and labels
    if f"{name}.{extension}" not in CHARTS:  # a path of the site, not an IRI of the graph
        raise HldgraphError(f"there is no chart {name}.{extension}; the calendar's charts are "
                            + ", ".join(url(f"{CALENDAR}/{chart}") for chart in CHARTS), 404)
    lang, ix = choose_lang(), index()
    f = filters(ix)
    events = ix.events_where(lambda e: f.keep(e, ix))
    svg = _timeline(events, f.colour, lang) if name == "timeline" else venue_map(events, lang)
    if extension == "svg":
        rv = Response(svg, content_type="image/svg+xml; charset=utf-8")
    else:
        rv = Response(charts.to_png(svg), content_type="image/png")
    rv.headers["Content-Disposition"] = f'inline; filename="hld2006-{name}.{extension}"'
    rv.headers["Content-Language"] = lang
    return rv
