"""The calendar's SVG charts: drawn from the built graph's events and venues."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter
from itertools import pairwise

import pytest
from rdflib.namespace import RDF

from hldgraph import charts
from hldgraph.urls import SCHEMA

NS = {"svg": charts.SVG_NS}


@pytest.fixture(scope="module")
def bars(union, built) -> list[charts.Bar]:
    out = []
    for e in union.subjects(RDF.type, SCHEMA.Event):
        cat = next((str(c).rsplit("/", 1)[-1] for c in union.objects(e, built.iris.hld.category)),
                   "")
        out.append(charts.Bar(str(e).rsplit("/", 1)[-1], str(union.value(e, SCHEMA.name)),
                              union.value(e, SCHEMA.startDate).toPython(),
                              union.value(e, SCHEMA.endDate).toPython(), f"/page/{e}", cat))
    return out


@pytest.fixture(scope="module")
def venues(union) -> list[charts.Venue]:
    counts = Counter(union.value(e, SCHEMA.location)
                     for e in union.subjects(RDF.type, SCHEMA.Event))
    return [charts.Venue(str(p).rsplit("/", 1)[-1], str(union.value(p, SCHEMA.name)),
                         float(union.value(p, SCHEMA.latitude)),
                         float(union.value(p, SCHEMA.longitude)), n, f"/page/{p}")
            for p, n in counts.items()]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{{{charts.SVG_NS}}}svg"
    assert root.find("svg:title", NS).text  # an accessible name for the whole chart
    return root


def test_timeline_has_one_linked_bar_per_event(bars):
    groups = charts.category_groups({"un": "UN", "iom": "IOM", "other": "Other"})
    root = parse(charts.timeline_svg(bars, groups, title="Events"))
    links = root.findall(".//svg:a[@class='bar']", NS)
    assert len(links) == len(bars) > 40
    assert sorted(a.get("href") for a in links) == sorted(b.href for b in bars)
    for a in links:
        assert a.find("svg:rect", NS) is not None
        assert a.find("svg:title", NS).text  # each bar names its event
    colours = {g.key: g.colour for g in groups}
    by_href = {b.href: b for b in bars}
    for a in links:  # each bar has its category's colour
        bar = by_href[a.get("href")]
        assert a.find("svg:rect", NS).get("fill") == colours.get(bar.group, charts.NO_GROUP)


def test_timeline_bars_follow_the_dates(bars):
    root = parse(charts.timeline_svg(bars, [], title="Events"))
    rects = {a.get("href"): a.find("svg:rect", NS) for a in root.findall(".//svg:a", NS)}
    ordered = sorted(bars, key=lambda b: (b.start, b.end, b.id))
    ys = [float(rects[b.href].get("y")) for b in ordered]
    assert ys == sorted(ys)  # one row per event, in date order
    longest = max(bars, key=lambda b: b.end - b.start)
    single = next(b for b in bars if b.start == b.end)
    assert float(rects[longest.href].get("width")) > float(rects[single.href].get("width")) > 0
    xs = {h: float(r.get("x")) for h, r in rects.items()}
    assert all(xs[a.href] <= xs[b.href] for a, b in pairwise(ordered))


def test_timeline_month_axis_in_both_languages(bars):
    for lang, names in (("en", ["February", "September"]), ("fr", ["février", "septembre"])):
        texts = [t.text for t in parse(charts.timeline_svg(bars, [], title="t", lang=lang))
                 .findall(".//svg:g[@class='axis']/svg:text", NS)]
        assert texts[0] == names[0] and texts[-1] == names[1] and len(texts) == 8


def test_map_has_one_circle_per_venue_sized_by_events(venues):
    root = parse(charts.map_svg(venues, title="Venues"))
    circles = root.findall(".//svg:a[@class='venue']/svg:circle", NS)
    assert len(circles) == len(venues) > 10
    by_count = sorted((int(c.get("data-count")), float(c.get("r"))) for c in circles)
    radii = [r for _, r in by_count]
    assert radii == sorted(radii)  # more events, larger circle
    counts = {v.href: v.count for v in venues}
    for a in root.findall(".//svg:a[@class='venue']", NS):
        assert int(a.find("svg:circle", NS).get("data-count")) == counts[a.get("href")]
    most = max(venues, key=lambda v: v.count)
    assert most.count > min(v.count for v in venues)
    land = root.find("svg:path", NS)
    assert land is not None and land.get("d").count("M") > 20  # the world outline is drawn


def test_map_places_venues_by_longitude_and_latitude(venues):
    root = parse(charts.map_svg(venues, title="Venues"))
    spots = {a.get("href"): a.find("svg:circle", NS) for a in
             root.findall(".//svg:a[@class='venue']", NS)}
    west = min(venues, key=lambda v: v.longitude)
    north = max(venues, key=lambda v: v.latitude)
    assert min(float(c.get("cx")) for c in spots.values()) == float(spots[west.href].get("cx"))
    assert min(float(c.get("cy")) for c in spots.values()) == float(spots[north.href].get("cy"))
    width, height = float(root.get("width")), float(root.get("height"))
    for c in spots.values():
        assert 0 < float(c.get("cx")) < width and 0 < float(c.get("cy")) < height


def test_png_copies():
    svg = charts.timeline_svg([charts.Bar("1", "One", dt.date(2006, 3, 1), dt.date(2006, 3, 3),
                                          "/e/1")], [], title="t")
    png = charts.to_png(svg)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000


def test_text_is_escaped():
    svg = charts.timeline_svg([charts.Bar("1", "A <b> & \"c\"", dt.date(2006, 3, 1),
                                          dt.date(2006, 3, 1), "/e?a=1&b=2")], [], title="t")
    a = parse(svg).find(".//svg:a", NS)
    assert a.get("href") == "/e?a=1&b=2" and a.find("svg:title", NS).text == 'A <b> & "c"'


def drawn_land(root: ET.Element):
    """The land the map draws, as a shapely geometry in the SVG's pixels (fill-rule evenodd:
    a point is on land when an odd number of the path's rings enclose it)."""
    from shapely.geometry import Polygon

    path = root.find("svg:path", NS)
    assert path.get("fill-rule") == "evenodd"
    land = Polygon()
    for ring in path.get("d").split("Z"):
        if ring:
            pts = [tuple(map(float, p.split(","))) for p in ring.lstrip("M").split("L")]
            land = land.symmetric_difference(Polygon(pts).buffer(0))
    return land


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_venue_served_on_the_map_lies_on_land(live, venues, lang):
    """The map the server sends: each venue's centre is inside the drawn land outline (the
    outline once lost Africa, Europe and Asia, leaving Dakar or Geneva in open sea). A pixel of
    tolerance: New York, Montevideo and Beirut lie on the coastline, which Natural Earth's
    1:110m outline (rounded to 0.1°, about a pixel here) draws a hair away."""
    import requests
    from shapely.geometry import Point

    r = requests.get(f"{live}/calendar/map.svg", params={"lang": lang}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("image/svg+xml")
    root = parse(r.text)
    land = drawn_land(root)
    assert land.is_valid and land.area > 0.2 * float(root.get("width")) * float(root.get("height"))
    spots = {a.find("svg:title", NS).text: a.find("svg:circle", NS)
             for a in root.findall(".//svg:a[@class='venue']", NS)}
    assert len(spots) == len(venues) > 10
    at_sea = [name for name, c in spots.items()
              if not land.buffer(1.0).contains(Point(float(c.get("cx")), float(c.get("cy"))))]
    assert at_sea == []
