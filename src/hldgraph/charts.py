"""Server-rendered SVG charts of the calendar: a timeline of the events and a map of the venues.

The charts take plain records (no RDF, no store), so they are easy to test and to reuse; the web
layer fills the records from SPARQL answers. Every mark links to its page and carries a <title>,
which browsers show as a tooltip and screen readers read. PNG copies are made with cairosvg.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple
from xml.sax.saxutils import escape, quoteattr

from hldgraph.errors import HldgraphError

if TYPE_CHECKING:
    from pyproj import Transformer
    from shapely.geometry.base import BaseGeometry

WORLD = Path(__file__).parent / "web" / "static" / "map" / "land-110m.json"
SVG_NS = "http://www.w3.org/2000/svg"

#: The calendar's lost colour legend (Blue = UN, Black = IOM, Red = others), kept for its reading.
CATEGORY_COLOURS = {"un": "#1f5fa8", "iom": "#222222", "other": "#c0392b"}
#: Colours for thematic areas, in the order of the scheme (colour-blind-safe Okabe-Ito palette).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
           "#999999")
NO_GROUP = "#9a9a9a"

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
}


@dataclass(frozen=True)
class Bar:
    """One event on the timeline."""

    id: str
    title: str
    start: dt.date
    end: dt.date
    href: str
    group: str = ""  # key of its colour group ("" when it has none)
    detail: str = ""  # shown in its tooltip after the title (dates, venue)


@dataclass(frozen=True)
class Group:
    """A colour of the chart: a key, the label of its legend entry and its colour."""

    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class Venue:
    """One venue on the map, with the number of events held there."""

    id: str
    label: str
    latitude: float
    longitude: float
    count: int
    href: str


def theme_groups(themes: Sequence[tuple[str, str]]) -> list[Group]:
    """Colour groups for thematic areas given as (key, label), in scheme order."""
    return [Group(key, label, PALETTE[i % len(PALETTE)]) for i, (key, label) in enumerate(themes)]


def category_groups(labels: Mapping[str, str]) -> list[Group]:
    """Colour groups for the editorial categories (un, iom, other), given their labels."""
    return [Group(key, labels.get(key, key), colour) for key, colour in CATEGORY_COLOURS.items()]


def _attrs(**values: object) -> str:
    return " ".join(f"{k.rstrip('_').replace('_', '-')}={quoteattr(str(v))}"
                    for k, v in values.items())


def _lang(text: str, lang: str) -> str:
    """`` lang="…"`` for a text whose language (a :class:`hldgraph.labels.Label` knows its own)
    is not the chart's ``lang``, else nothing (WCAG 2.1 SC 3.1.2; SVG 2 §5.10.2)."""
    own = getattr(text, "lang", "")
    return f" lang={quoteattr(own)}" if own and own != lang else ""


def _svg(width: float, height: float, title: str, body: list[str], css_class: str) -> str:
    # a group, not an image: an image's content is hidden from assistive technology, and its
    # links would be interactive content nested in it (axe: nested-interactive, WCAG 4.1.2)
    head = (f'<svg xmlns="{SVG_NS}" {_attrs(width=f"{width:g}", height=f"{height:g}")} '
            f'{_attrs(viewBox=f"0 0 {width:g} {height:g}", role="group", aria_label=title)} '
            f'{_attrs(class_=css_class)} '
            f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">')
    return "\n".join([head, f"<title>{escape(title)}</title>", *body, "</svg>"]) + "\n"


# --- timeline -------------------------------------------------------------------------------

ROW, BAR, LEFT, TOP, RIGHT_TEXT = 16, 11, 44, 58, 330


def timeline_svg(bars: Sequence[Bar], groups: Sequence[Group], *, title: str,
                 first: dt.date = dt.date(2006, 2, 1), last: dt.date = dt.date(2006, 9, 30),
                 lang: str = "en", width: int = 980) -> str:
    """One bar per event from ``first`` to ``last``, coloured by group, with a month axis."""
    colours = {g.key: g.colour for g in groups}
    plot = width - LEFT - RIGHT_TEXT
    days = (last - first).days + 1
    scale = plot / days

    def x(day: dt.date) -> float:
        return LEFT + (min(max(day, first), last) - first).days * scale

    body = _legend(groups, LEFT, 16, lang)
    body += _month_axis(first, last, x, TOP - 8, TOP + len(bars) * ROW, lang)
    for i, bar in enumerate(sorted(bars, key=lambda b: (b.start, b.end, b.id))):
        y = TOP + i * ROW
        x0, x1 = x(bar.start), x(bar.end + dt.timedelta(days=1))
        tip = f"{bar.title} — {bar.detail}" if bar.detail else bar.title
        body.append(
            f'<a {_attrs(href=bar.href, class_="bar")}{_lang(bar.title, lang)}>'
            f'<title>{escape(tip)}</title>'
            f'<text {_attrs(x=LEFT - 6, y=y + BAR - 1, text_anchor="end", fill="#555")}>'
            f'{escape(bar.id)}</text>'
            f'<rect {_attrs(x=f"{x0:.1f}", y=y, width=f"{max(x1 - x0, 3):.1f}", height=BAR)} '
            f'{_attrs(fill=colours.get(bar.group, NO_GROUP), rx=2)}/>'
            f'<text {_attrs(x=f"{max(x1, x0 + 3) + 5:.1f}", y=y + BAR - 1)}>'
            f'{escape(_shorten(bar.title, 56))}</text></a>')
    return _svg(width, TOP + len(bars) * ROW + 10, title, body, "chart timeline")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _legend(groups: Sequence[Group], x: float, y: float, lang: str) -> list[str]:
    out = ['<g class="legend">']
    for g in groups:
        out.append(f'<rect {_attrs(x=f"{x:.0f}", y=y - 9, width=12, height=10, fill=g.colour)}/>'
                   f'<text {_attrs(x=f"{x + 16:.0f}", y=y)}{_lang(g.label, lang)}>'
                   f'{escape(g.label)}</text>')
        x += 28 + 6.2 * len(g.label)
        if x > 820:
            x, y = LEFT, y + 15
    out.append("</g>")
    return out


def _month_axis(first: dt.date, last: dt.date, x, top: float, bottom: float,
                lang: str) -> list[str]:
    out = ['<g class="axis">']
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        x0, x1 = x(max(month, first)), x(min(following, last + dt.timedelta(days=1)))
        out.append(f'<line {_attrs(x1=f"{x0:.1f}", x2=f"{x0:.1f}", y1=top - 10, y2=bottom)} '
                   'stroke="#ccc"/>')
        name = MONTHS.get(lang, MONTHS["en"])[month.month - 1]
        out.append(f'<text {_attrs(x=f"{(x0 + x1) / 2:.1f}", y=top - 2, text_anchor="middle")} '
                   f'fill="#333">{escape(name)}</text>'
                   if x1 - x0 > 60 else "")
        month = following
    out.append("</g>")
    return out


# --- map ------------------------------------------------------------------------------------

#: Equal Earth (Šavrič, Patterson & Jenny 2018): an equal-area world projection, so land keeps
#: its size; PROJ's name for it.
PROJECTION = "+proj=eqearth +lon_0=0 +datum=WGS84 +units=m"
#: Margins of the frame around the venues, in projected metres (about 25° and 14° at the equator).
MARGIN_X, MARGIN_Y = 2.5e6, 1.6e6
#: The world's frame when there are no venues: from 58° S (below it, only Antarctica) to 84° N.
SOUTH, NORTH = -58.0, 84.0
#: A ring enclosing more than half the plate carrée (in square degrees) is a lake read from outside.
HALF_WORLD = 180 * 360 / 2


class _Geo(NamedTuple):
    """The map's libraries, as :func:`_geo` imports them."""

    pyproj: ModuleType
    geometry: ModuleType  # shapely.geometry
    ops: ModuleType  # shapely.ops
    antimeridian: ModuleType


@cache
def _geo() -> _Geo:
    """The map's libraries (pyproj, shapely, antimeridian, and numpy with them), imported when a
    map is first drawn: imported with this module, they were half of every start-up of the
    server."""
    import antimeridian
    import pyproj
    import shapely.geometry
    import shapely.ops

    return _Geo(pyproj, shapely.geometry, shapely.ops, antimeridian)


@cache
def _projection() -> Transformer:
    return _geo().pyproj.Transformer.from_crs("EPSG:4326", PROJECTION, always_xy=True)


@cache
def _land() -> BaseGeometry:
    """Natural Earth's land, cut at the antimeridian and projected (metres, y to the north).

    The rings follow d3's winding (land clockwise, lakes counter-clockwise, on the sphere); the
    ``antimeridian`` package reads them as GeoJSON polygons (RFC 7946 §3.1.6, reversed winding)
    and splits those that cross ±180° (Eurasia with Chukotka, Fiji, Wrangel) into pieces.
    """
    geo = _geo()
    rings = json.loads(WORLD.read_text(encoding="utf-8"))["rings"]
    pieces = [geo.antimeridian.fix_polygon(geo.geometry.Polygon(ring[::-1]), fix_winding=False)
              for ring in rings]
    land = geo.ops.unary_union([p for p in pieces if p.area < HALF_WORLD])
    for outside_lake in (p for p in pieces if p.area >= HALF_WORLD):
        land = land.intersection(outside_lake)
    return geo.ops.transform(_projection().transform, land)


def _frame(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The projected box around the venues with a margin, or the inhabited world without any."""
    west, south, east, north = _land().bounds
    if not points:
        return west, _projection().transform(0, SOUTH)[1], east, \
            _projection().transform(0, NORTH)[1]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return (max(min(xs) - MARGIN_X, west), max(min(ys) - MARGIN_Y, south),
            min(max(xs) + MARGIN_X, east), min(max(ys) + MARGIN_Y, north))


def radius(count: int) -> float:
    """Circle radius for a venue: its area grows with its number of events."""
    return 3 + 4 * math.sqrt(count)


def map_svg(venues: Sequence[Venue], *, title: str, land_label: str = "",
            width: int = 980, lang: str = "en") -> str:
    """The venues on a world outline, each a circle sized by its number of events."""
    projected = [_projection().transform(v.longitude, v.latitude) for v in venues]
    west, south, east, north = _frame(projected)
    k = width / (east - west)
    height = (north - south) * k

    def xy(x: float, y: float) -> tuple[float, float]:
        return (x - west) * k, (north - y) * k

    land = _land().intersection(_geo().geometry.box(west, south, east, north))
    body = [f'<rect {_attrs(width=f"{width:g}", height=f"{height:.0f}")} fill="#eaf2f8"/>',
            f'<path {_attrs(d=_land_path(land, xy), fill="#d9d4c7", stroke="#b5ad9a")} '
            f'stroke-width="0.5" fill-rule="evenodd"><title>{escape(land_label)}</title></path>']
    placed: list[tuple[float, float, float, float]] = []
    circles, labels = [], []
    order = sorted(range(len(venues)), key=lambda i: (-venues[i].count, venues[i].id))
    for i in order:  # small circles drawn on top
        v, (cx, cy), r = venues[i], xy(*projected[i]), radius(venues[i].count)
        placed.append((cx - r, cy - r, cx + r, cy + r))
        circles.append((v, cx, cy, r))
    for v, cx, cy, r in circles:
        circle = (f'<circle {_attrs(cx=f"{cx:.1f}", cy=f"{cy:.1f}", r=f"{r:.1f}")} '
                  f'fill="#c0392b" fill-opacity="0.6" stroke="#7b241c" '
                  f'{_attrs(data_count=v.count)}/>')
        label = _place_label(v.label, cx, cy, r, placed)
        labels.append(f'<a {_attrs(href=v.href, class_="venue")}{_lang(v.label, lang)}>'
                      f'<title>{escape(v.label)} ({v.count})</title>{circle}{label}</a>')
    return _svg(width, round(height), title, body + labels, "chart map")


def _land_path(land: BaseGeometry, xy: Callable[[float, float], tuple[float, float]]) -> str:
    """SVG path data of the land's polygons, holes included (drawn with fill-rule evenodd)."""
    polygon_type = _geo().geometry.Polygon
    parts = []
    for polygon in getattr(land, "geoms", [land]):
        if not isinstance(polygon, polygon_type) or polygon.is_empty:
            continue  # a clip can leave a line or a point where land touches the frame
        for ring in (polygon.exterior, *polygon.interiors):
            pts = [xy(x, y) for x, y in ring.coords[:-1]]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)


def _place_label(text: str, cx: float, cy: float, r: float,
                 placed: list[tuple[float, float, float, float]]) -> str:
    """A label beside its circle, where it overlaps no other label or circle if it can."""
    w, h = 6.3 * len(text), 11
    candidates = [(cx + r + 3, cy + 4, "start"), (cx - r - 3, cy + 4, "end"),
                  (cx, cy - r - 4, "middle"), (cx, cy + r + 12, "middle")]
    for x, y, anchor in candidates:
        left = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
        box = (left, y - h + 2, left + w, y + 2)
        if not any(_overlap(box, other) for other in placed):
            placed.append(box)
            return (f'<text {_attrs(x=f"{x:.1f}", y=f"{y:.1f}", text_anchor=anchor)} '
                    f'fill="#222">{escape(text)}</text>')
    return ""  # crowded: the circle's <title> and the venue table still name it


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --- PNG ------------------------------------------------------------------------------------

def to_png(svg: str) -> bytes:
    """The chart as PNG (cairosvg, drawn with the system's libcairo)."""
    try:
        import cairosvg
    except (ImportError, OSError) as e:  # OSError: libcairo itself is missing
        raise HldgraphError(f"PNG charts need cairosvg and libcairo: {e}", status=501) from None
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=1.5)
