"""The curated tables in data/ agree with the leaflet they are taken from.

The leaflet's text is read from the shared reference material; each check names the table, row
and column that disagrees with it, so a researcher can correct the cell.
"""

from __future__ import annotations

import csv
import re
import tomllib
from datetime import date
from functools import cache
from typing import Any

import pytest
from conftest import ROOT, shared_path

DATA = ROOT / "data"
LEAFLET = ("source", "000_eefde8b6324fe4e8.txt")

# The columns of each table, as docs/model.md defines them.
COLUMNS = {
    "events.csv": ["id", "row", "parent", "start", "end", "venue", "title", "organizers",
                   "sponsors", "responsible_as_printed", "date_as_printed"],
    "event_editorial.csv": ["id", "themes", "category", "super_event", "title_fr", "note"],
    "bodies.csv": ["id", "spellings", "acronym", "acronym_fr", "name_en", "name_fr", "type",
                   "parent", "wikidata", "wikidata_checked", "note"],
    "places.csv": ["id", "name_as_printed", "name_en", "name_fr", "country", "wikidata",
                   "geonames", "latitude", "longitude"],
    "paragraphs.csv": ["number", "text_fr", "text_en"],
    "initiatives.csv": ["number", "text_fr", "label_en", "label_fr", "text_en", "paragraphs",
                        "bodies"],
    "themes.csv": ["id", "broader", "position", "label_fr", "label_en"],
}
BODY_TYPES = {"un-body", "intergovernmental-organisation", "government",
              "regional-consultative-process", "foundation-ngo", "academic-institution",
              "office-holder"}
CATEGORIES = {"un", "iom", "other"}
AREAS = ["migration-and-development", "labour-migration", "human-rights-of-migrants",
         "international-migration-law", "migration-management"]
# Month names as the calendar's Date cells print them.
MONTHS = {"Feb": 2, "Mar": 3, "Apr": 4, "April": 4, "May": 5, "June": 6, "July": 7,
          "August": 8, "Sept.": 9}
ELISION = "[…]"


# --- the tables -------------------------------------------------------------------------------

@cache
def table(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def items(cell: str) -> list[str]:
    """A list cell's items (`;`-separated); an empty cell is an empty list."""
    return cell.split(";") if cell else []


def by_id(name: str, key: str = "id") -> dict[str, dict[str, str]]:
    return {r[key]: r for r in table(name)}


def leaflet_toml() -> dict[str, Any]:
    return tomllib.loads((DATA / "leaflet.toml").read_text(encoding="utf-8"))


EVENTS = table("events.csv")
BODIES = table("bodies.csv")


def where(name: str, row: dict[str, str], column: str) -> str:
    key = "number" if "number" in row else "id"
    return f"data/{name}, {key} {row[key]!r}, column {column!r}"


# --- the leaflet ------------------------------------------------------------------------------

def norm(text: str) -> str:
    """White space normalised: every run of spaces, tabs, line breaks and no-break spaces -> ' '."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def raw() -> str:
    return shared_path(*LEAFLET).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def leaflet(raw: str) -> str:
    return norm(raw)


@pytest.fixture(scope="module")
def calendar(raw: str) -> dict[int, list[str]]:
    """Calendar row number -> its cells [date, venue, initiatives, responsible], normalised.

    A cell starts on a line beginning with a tab; untabbed lines continue the cell before them
    (row 17's two side events, row 37's title on two lines).
    """
    text = raw[raw.index("Draft calendar"):raw.index("Note: Blue")]
    parts = re.split(r"^\t(\d+)\. *$", text, flags=re.M)
    rows = {}
    for number, body in zip(parts[1::2], parts[2::2], strict=True):
        cells: list[str] = []
        for line in body.split("\n"):
            if line.startswith("\t"):
                cells.append(line)
            elif line.strip():
                cells[-1] += " " + line
        rows[int(number)] = [norm(c) for c in cells]
    return rows


@pytest.fixture(scope="module")
def encadre2(raw: str) -> dict[int, str]:
    """Encadré 2's items, numbered as printed, normalised."""
    text = raw[raw.index("Encadré 2"):raw.index("Encadré 1")]
    parts = re.split(r"\n\s*(\d)\)\s", text)
    return {int(n): norm(body) for n, body in zip(parts[1::2], parts[2::2], strict=True)}


@pytest.fixture(scope="module")
def encadre1(raw: str) -> dict[str, str]:
    """Encadré 1's areas: printed label -> the printed text after it."""
    text = raw[raw.index("Encadré 1"):]
    areas = {}
    for block in text.split("\n\n")[1:]:
        label, sep, rest = norm(block).partition(": ")
        if sep:
            areas[label] = rest
    return areas


def cited_paragraphs(text: str) -> set[str]:
    """Paragraph numbers cited in a French text: 'par. 11', 'par.15', 'paragraphe 16'."""
    return set(re.findall(r"\bpar(?:\.|agraphe)\s*(\d+)", text))


# --- headers and cells ------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_headers_follow_the_model(name: str) -> None:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == COLUMNS[name], f"data/{name}: header {header} != {COLUMNS[name]}"


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_cells_have_normalised_white_space(name: str) -> None:
    for row in table(name):
        assert None not in row, f"data/{name}: a row has more cells than the header: {row}"
        for column, cell in row.items():
            assert cell is not None, f"{where(name, row, column)}: missing cell"
            assert cell == norm(cell), f"{where(name, row, column)}: white space {cell!r}"


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_ids_are_unique(name: str) -> None:
    key = COLUMNS[name][0]
    ids = [r[key] for r in table(name)]
    assert len(ids) == len(set(ids)), f"data/{name}: repeated {key}"


# --- events -----------------------------------------------------------------------------------

def children(event_id: str) -> list[dict[str, str]]:
    return [e for e in EVENTS if e["parent"] == event_id]


def printed_dates(cell: str) -> tuple[date, date]:
    """'Feb 27-Mar 10' -> (2006-02-27, 2006-03-10); 'Sept. 13' -> (2006-09-13, 2006-09-13)."""
    first, _, last = cell.partition("-")
    month, day = first.rsplit(" ", 1)
    start = date(2006, MONTHS[month], int(day))
    if not last:
        return start, start
    if " " in last:
        month, last = last.rsplit(" ", 1)
    return start, date(2006, MONTHS[month], int(last))


def test_calendar_has_all_50_rows() -> None:
    main = [e for e in EVENTS if not e["parent"]]
    assert [e["row"] for e in main] == [str(n) for n in range(1, 51)]
    assert all(e["id"] == e["row"] for e in main), "a calendar row's id is its row number"
    assert {e["id"] for e in EVENTS if e["parent"]} == {"17a", "17b"}


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e["id"])
def test_dates_are_in_2006_and_ordered(event: dict[str, str]) -> None:
    start, end = date.fromisoformat(event["start"]), date.fromisoformat(event["end"])
    assert start.year == end.year == 2006, where("events.csv", event, "start")
    assert start <= end, where("events.csv", event, "end")
    assert (start, end) == printed_dates(event["date_as_printed"]), (
        f"{where('events.csv', event, 'start')}: dates do not read {event['date_as_printed']!r}")


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e["id"])
def test_event_matches_its_calendar_row(
    event: dict[str, str], calendar: dict[int, list[str]]
) -> None:
    printed_date, venue, initiatives, responsible = calendar[int(event["row"])]
    assert event["date_as_printed"] == printed_date, where("events.csv", event, "date_as_printed")
    assert event["responsible_as_printed"] == responsible, (
        where("events.csv", event, "responsible_as_printed"))
    place = by_id("places.csv").get(event["venue"], {})
    assert place.get("name_as_printed") == venue, where("events.csv", event, "venue")
    assert event["title"] in initiatives, where("events.csv", event, "title")


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e["id"])
def test_title_is_the_whole_cell_or_its_heading(
    event: dict[str, str], calendar: dict[int, list[str]]
) -> None:
    """A row's title is its whole cell, unless the cell also lists its sub-events after it."""
    if event["parent"]:
        return
    cell = calendar[int(event["row"])][2]
    subs = [s["title"] for s in children(event["id"])]
    if not subs:
        assert event["title"] == cell, where("events.csv", event, "title")
        return
    assert cell.startswith(event["title"]), where("events.csv", event, "title")
    rest = cell[len(event["title"]):]
    positions = [rest.find(title) for title in subs]
    assert -1 not in positions and positions == sorted(positions), (
        f"{where('events.csv', event, 'title')}: sub-event titles {subs} not in {rest!r}")


def test_every_title_appears_in_the_leaflet(leaflet: str) -> None:
    for event in EVENTS:
        assert event["title"] in leaflet, where("events.csv", event, "title")


@pytest.mark.parametrize("event", [e for e in EVENTS if e["parent"]], ids=lambda e: e["id"])
def test_sub_events_share_their_row(event: dict[str, str]) -> None:
    parent = by_id("events.csv").get(event["parent"])
    assert parent and not parent["parent"], where("events.csv", event, "parent")
    for column in ("row", "start", "end", "venue", "organizers", "sponsors",
                   "responsible_as_printed", "date_as_printed"):
        assert event[column] == parent[column], where("events.csv", event, column)


# --- the Responsible cells and the bodies -----------------------------------------------------

def spelling_index() -> dict[str, str]:
    return {s: b["id"] for b in BODIES for s in items(b["spellings"])}


def printed_names(part: str) -> list[str]:
    """The names in a Responsible cell (or the part after 'with the support of')."""
    names = (p.strip().removeprefix("the ") for p in re.split(r",| and ", part))
    return [n for n in names if n]


def body_of(name: str, index: dict[str, str]) -> str | None:
    """The body a printed name stands for; 'African Union (AU)': both parts, one body."""
    bracketed = re.fullmatch(r"(.+) \((.+)\)", name)
    if bracketed:
        outer, inner = (index.get(n) for n in bracketed.groups())
        return outer if outer == inner else None
    return index.get(name)


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e["id"])
def test_responsible_cell_names_the_organizers(event: dict[str, str]) -> None:
    index = spelling_index()
    organizers, _, sponsors = event["responsible_as_printed"].partition(" with the support of ")
    for column, part in (("organizers", organizers), ("sponsors", sponsors)):
        expected = [body_of(n, index) for n in printed_names(part)]
        assert items(event[column]) == expected, (
            f"{where('events.csv', event, column)}: the cell "
            f"{event['responsible_as_printed']!r} reads as {expected}")


def test_spellings_appear_in_the_leaflet(leaflet: str) -> None:
    for body in BODIES:
        for spelling in items(body["spellings"]):
            found = re.search(rf"(?<!\w){re.escape(spelling)}(?!\w)", leaflet)
            assert found, f"{where('bodies.csv', body, 'spellings')}: {spelling!r} not printed"


def test_no_spelling_under_two_bodies() -> None:
    seen: dict[str, str] = {}
    for body in BODIES:
        for spelling in items(body["spellings"]):
            assert spelling not in seen, (
                f"data/bodies.csv: {spelling!r} is listed under {seen[spelling]!r} "
                f"and {body['id']!r}")
            seen[spelling] = body["id"]


def test_referenced_bodies_exist() -> None:
    bodies = by_id("bodies.csv")
    for event in EVENTS:
        for column in ("organizers", "sponsors"):
            for body in items(event[column]):
                assert body in bodies, f"{where('events.csv', event, column)}: {body!r}"
    for initiative in table("initiatives.csv"):
        for body in items(initiative["bodies"]):
            assert body in bodies, f"{where('initiatives.csv', initiative, 'bodies')}: {body!r}"
    for body in BODIES:
        if body["parent"]:
            assert body["parent"] in bodies, where("bodies.csv", body, "parent")


def test_body_hierarchy_has_no_cycles() -> None:
    parents = {b["id"]: b["parent"] for b in BODIES}
    for start in parents:
        seen, current = {start}, parents[start]
        while current:
            assert current not in seen, f"data/bodies.csv: {start!r} is its own ancestor"
            seen.add(current)
            current = parents.get(current, "")


def test_every_body_is_used() -> None:
    """A body no event, initiative or other body refers to is likely a duplicate."""
    used = {b for e in EVENTS for c in ("organizers", "sponsors") for b in items(e[c])}
    used |= {b for i in table("initiatives.csv") for b in items(i["bodies"])}
    used |= {b["parent"] for b in BODIES}
    unused = sorted({b["id"] for b in BODIES} - used)
    assert not unused, f"data/bodies.csv: bodies referred to nowhere: {unused}"


@pytest.mark.parametrize("body", BODIES, ids=lambda b: b["id"])
def test_body_cells_are_well_formed(body: dict[str, str]) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", body["id"]), where("bodies.csv", body, "id")
    assert body["type"] in BODY_TYPES, where("bodies.csv", body, "type")
    assert body["name_en"] and body["name_fr"], where("bodies.csv", body, "name_en")
    if body["wikidata"]:
        assert re.fullmatch(r"Q[1-9]\d*", body["wikidata"]), where("bodies.csv", body, "wikidata")
        assert body["wikidata_checked"] in {"yes", "no"}, (
            where("bodies.csv", body, "wikidata_checked"))
    else:
        assert body["wikidata_checked"] in {"", "no"}, (
            where("bodies.csv", body, "wikidata_checked"))


def test_office_holders_belong_to_an_organ() -> None:
    for body in BODIES:
        if body["type"] == "office-holder":
            assert body["parent"], where("bodies.csv", body, "parent")


# --- places -----------------------------------------------------------------------------------

def test_every_venue_is_a_place(calendar: dict[int, list[str]]) -> None:
    printed = {cells[1] for cells in calendar.values()}
    places = {p["name_as_printed"] for p in table("places.csv")}
    assert printed == places, (
        f"data/places.csv: missing {printed - places}, extra {places - printed}")
    venues = {e["venue"] for e in EVENTS}
    assert venues == set(by_id("places.csv")), "data/events.csv: venue ids and places differ"


@pytest.mark.parametrize("place", table("places.csv"), ids=lambda p: p["id"])
def test_place_cells_are_well_formed(place: dict[str, str]) -> None:
    assert re.fullmatch(r"[A-Z]{2}", place["country"]), where("places.csv", place, "country")
    assert re.fullmatch(r"Q[1-9]\d*", place["wikidata"]), where("places.csv", place, "wikidata")
    assert re.fullmatch(r"[1-9]\d*", place["geonames"]), where("places.csv", place, "geonames")
    assert -90 <= float(place["latitude"]) <= 90, where("places.csv", place, "latitude")
    assert -180 <= float(place["longitude"]) <= 180, where("places.csv", place, "longitude")
    assert place["name_en"] and place["name_fr"], where("places.csv", place, "name_en")


def test_place_ids_are_not_shared() -> None:
    for column in ("wikidata", "geonames"):
        values = [p[column] for p in table("places.csv")]
        assert len(values) == len(set(values)), f"data/places.csv: repeated {column}"


# --- Encadré 2: paragraphs and initiatives ----------------------------------------------------

def test_the_nine_cited_paragraphs(encadre2: dict[int, str]) -> None:
    cited = set().union(*(cited_paragraphs(text) for text in encadre2.values()))
    numbers = [p["number"] for p in table("paragraphs.csv")]
    assert len(numbers) == 9 and set(numbers) == cited, (
        f"data/paragraphs.csv: {sorted(numbers, key=int)} != cited {sorted(cited, key=int)}")


@pytest.mark.parametrize("paragraph", table("paragraphs.csv"), ids=lambda p: p["number"])
def test_paragraph_text_is_printed(paragraph: dict[str, str], encadre2: dict[int, str]) -> None:
    """Each excerpt (pieces between '[…]') is printed, in order, in the item citing it."""
    pieces = [p.strip() for p in paragraph["text_fr"].split(ELISION)]
    citing = [t for t in encadre2.values() if paragraph["number"] in cited_paragraphs(t)]
    assert any(_in_order(pieces, text) for text in citing), (
        where("paragraphs.csv", paragraph, "text_fr"))
    assert paragraph["text_en"], where("paragraphs.csv", paragraph, "text_en")


def _in_order(pieces: list[str], text: str) -> bool:
    position = 0
    for piece in pieces:
        position = text.find(piece, position)
        if position < 0:
            return False
        position += len(piece)
    return True


def test_seven_initiatives(encadre2: dict[int, str]) -> None:
    numbers = [int(i["number"]) for i in table("initiatives.csv")]
    assert numbers == sorted(encadre2) == list(range(1, 8))


@pytest.mark.parametrize("initiative", table("initiatives.csv"), ids=lambda i: i["number"])
def test_initiative_is_the_printed_item(
    initiative: dict[str, str], encadre2: dict[int, str]
) -> None:
    printed = encadre2[int(initiative["number"])].rstrip(";").rstrip()
    assert initiative["text_fr"] == printed, where("initiatives.csv", initiative, "text_fr")
    assert set(items(initiative["paragraphs"])) == cited_paragraphs(printed), (
        where("initiatives.csv", initiative, "paragraphs"))
    paragraphs = by_id("paragraphs.csv", "number")
    assert all(p in paragraphs for p in items(initiative["paragraphs"])), (
        where("initiatives.csv", initiative, "paragraphs"))
    for column in ("label_en", "label_fr", "text_en"):
        assert initiative[column], where("initiatives.csv", initiative, column)


def named_bodies(text: str) -> set[str]:
    """Bodies a French text names: spellings found in it, unless inside a longer spelling found
    (the UN in "Secrétaire général des Nations Unies" is not named on its own)."""
    found = [(m.start(), m.end(), body)
             for spelling, body in spelling_index().items()
             for m in re.finditer(rf"(?<!\w){re.escape(spelling)}(?!\w)", text)]
    return {body for start, end, body in found
            if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in found)}


@pytest.mark.parametrize("initiative", table("initiatives.csv"), ids=lambda i: i["number"])
def test_initiative_lists_the_bodies_it_names(initiative: dict[str, str]) -> None:
    listed = set(items(initiative["bodies"]))
    named = named_bodies(initiative["text_fr"])
    assert listed == named, (
        f"{where('initiatives.csv', initiative, 'bodies')}: lists {sorted(listed)}, "
        f"the text names {sorted(named)}")


# --- Encadré 1: themes ------------------------------------------------------------------------

def areas() -> list[dict[str, str]]:
    return [t for t in table("themes.csv") if not t["broader"]]


def test_five_areas_in_printed_order(encadre1: dict[str, str]) -> None:
    assert [a["id"] for a in areas()] == AREAS
    assert [a["position"] for a in areas()] == ["1", "2", "3", "4", "5"]
    assert [a["label_fr"] for a in areas()] == list(encadre1)


@pytest.mark.parametrize("area", areas(), ids=lambda a: a["id"])
def test_sub_points_are_the_printed_text(area: dict[str, str], encadre1: dict[str, str]) -> None:
    subs = [t for t in table("themes.csv") if t["broader"] == area["id"]]
    assert [s["id"] for s in subs] == [f"{area['id']}/{n}" for n in range(1, len(subs) + 1)]
    assert [s["position"] for s in subs] == [str(n) for n in range(1, len(subs) + 1)]
    printed = encadre1[area["label_fr"]].rstrip(".")
    assert " ; ".join(s["label_fr"] for s in subs) == printed, (
        f"data/themes.csv: sub-points of {area['id']!r} do not split {printed!r}")


def test_theme_labels_are_printed(leaflet: str) -> None:
    for theme in table("themes.csv"):
        assert theme["label_fr"] in leaflet, where("themes.csv", theme, "label_fr")
        assert theme["label_en"], where("themes.csv", theme, "label_en")


# --- editorial additions per event ------------------------------------------------------------

def test_every_event_has_one_editorial_row() -> None:
    assert [e["id"] for e in table("event_editorial.csv")] == [e["id"] for e in EVENTS]


@pytest.mark.parametrize("extra", table("event_editorial.csv"), ids=lambda e: e["id"])
def test_editorial_cells_are_well_formed(extra: dict[str, str]) -> None:
    themes = by_id("themes.csv")
    assert items(extra["themes"]), where("event_editorial.csv", extra, "themes")
    assert all(t in themes for t in items(extra["themes"])), (
        where("event_editorial.csv", extra, "themes"))
    assert extra["category"] in CATEGORIES, where("event_editorial.csv", extra, "category")
    assert extra["title_fr"], where("event_editorial.csv", extra, "title_fr")
    if extra["super_event"]:
        events = by_id("events.csv")
        assert extra["super_event"] in events and extra["super_event"] != extra["id"], (
            where("event_editorial.csv", extra, "super_event"))
        assert events[extra["id"]]["parent"] != extra["super_event"], (
            f"{where('event_editorial.csv', extra, 'super_event')}: already the source parent")


def test_hld_side_events_are_part_of_the_hld() -> None:
    side = {e["id"] for e in EVENTS if e["title"].startswith("HLD Side Event")}
    parts = {e["id"] for e in table("event_editorial.csv") if e["super_event"] == "50"}
    assert side and side <= parts


# --- leaflet.toml -----------------------------------------------------------------------------

def test_leaflet_and_calendar_as_printed(leaflet: str) -> None:
    doc = leaflet_toml()
    assert doc["leaflet"]["title"] in leaflet
    assert doc["leaflet"]["publisher"] in by_id("bodies.csv")
    calendar = doc["calendar"]
    for key in ("title", "as_of_as_printed", "legend"):
        assert calendar[key] in leaflet, f"data/leaflet.toml [calendar] {key}"
    assert calendar["as_of"] == date(2006, 8, 8)
    assert calendar["as_of"].strftime("%B %-d, %Y") in calendar["as_of_as_printed"]
    assert set(calendar["legend_categories"].values()) == CATEGORIES
    assert all(colour in calendar["legend"] for colour in calendar["legend_categories"])


def test_resolution_and_the_hld(leaflet: str) -> None:
    resolution = leaflet_toml()["resolution"]
    assert resolution["symbol_as_printed"] in leaflet
    assert resolution["symbol"].upper() == resolution["symbol_as_printed"].upper()
    for key in ("hld_name_fr", "hld_name_en", "hld_abbreviation_fr", "hld_abbreviation_en"):
        assert resolution[key] in leaflet, f"data/leaflet.toml [resolution] {key}"
    hld = by_id("events.csv")[resolution["hld_event"]]
    assert resolution["hld_start"].isoformat() == hld["start"]
    assert resolution["hld_end"].isoformat() == hld["end"]
    assert resolution["hld_venue"] == hld["venue"]
    assert resolution["adopted_by"] in by_id("bodies.csv")


def test_iom_statements_as_printed(leaflet: str) -> None:
    iom = leaflet_toml()["iom"]
    assert iom["body"] in by_id("bodies.csv")
    assert f"{iom['countries']} pays" in leaflet
    for key in ("contact_name_fr", "contact_phone", "contact_website"):
        assert iom[key] in leaflet, f"data/leaflet.toml [iom] {key}"
    for statement in iom["statements_fr"]:
        assert statement in leaflet, f"data/leaflet.toml [iom] statements_fr: {statement!r}"


def test_the_three_works(leaflet: str) -> None:
    works = leaflet_toml()["work"]
    assert len(works) == 3 and len({w["slug"] for w in works}) == 3
    for work in works:
        assert work["name_fr"] in leaflet, f"data/leaflet.toml [[work]] {work['slug']}"
        assert work["name_en"], f"data/leaflet.toml [[work]] {work['slug']} name_en"
