"""Synthetic calendars shaped like the real graph, of any size, for the benchmark.

    python bench/synth.py EVENTS OUT.nq [--seed N]

The same seed and size give the same file. Events, bodies and places have the IRIs, properties
and named graphs of docs/model.md (facts in graph/source, additions in graph/editorial); the
ontology graph of a real build is copied in when one is given with --ontology-from. About 15
triples per event: 100,000 events make about 1.5 million triples. There is always a
``place/geneva`` and an ``event/7``, which the benchmark queries ask for.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

BASE = "https://w3id.org/hld2006/"
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
HLD = BASE + "def/"
SOURCE, EDITORIAL, CATALOG = (f"<{BASE}graph/{g}>" for g in ("source", "editorial", "catalog"))
WORDS = ("Regional", "Conference", "Migration", "Development", "Remittances", "Labour",
         "Ministerial", "Seminar", "Dialogue", "Consultation", "Diaspora", "Workshop",
         "Panel", "Expert", "Meeting", "International", "Commission", "Session")
CITIES = ("Geneva", "New York", "Brussels", "Rabat", "Bangkok", "Cairo", "Lima", "Dakar",
          "Manila", "Vienna", "Santiago", "Nairobi", "Istanbul", "Tunis", "Moscow")
THEMES = ("migration-and-development", "labour-migration", "remittances", "irregular-migration",
          "protection-of-migrants", "capacity-building")


def iri(path: str) -> str:
    return f"<{BASE}{path}>"


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    return f'"{escaped}"^^<{datatype}>' if datatype else f'"{escaped}"'


def quad(s: str, p: str, o: str, g: str) -> str:
    return f"{s} <{p}> {o} {g} .\n"


def places(n: int) -> Iterator[str]:
    for i in range(n):
        slug = "geneva" if i == 0 else f"city-{i}"
        name = CITIES[i % len(CITIES)] + ("" if i < len(CITIES) else f" {i}")
        p = iri(f"id/place/{slug}")
        yield quad(p, RDF_TYPE, f"<{SCHEMA}Place>", SOURCE)
        yield quad(p, SCHEMA + "name", lit(name, "en"), EDITORIAL)
        yield quad(p, SCHEMA + "name", lit(name + " (fr)", "fr"), EDITORIAL)
        yield quad(p, SCHEMA + "addressCountry", lit("CH" if i == 0 else "XX"), EDITORIAL)


def bodies(n: int) -> Iterator[str]:
    for i in range(n):
        slug = "iom" if i == 0 else f"body-{i}"
        b = iri(f"id/org/{slug}")
        yield quad(b, RDF_TYPE, f"<{ORG}Organization>", SOURCE)
        yield quad(b, SKOS + "altLabel", lit(slug.upper()), SOURCE)
        yield quad(b, SKOS + "prefLabel", lit(f"Body {i} of the calendar", "en"), EDITORIAL)
        yield quad(b, SKOS + "prefLabel", lit(f"Organisme {i} du calendrier", "fr"), EDITORIAL)
        yield quad(b, ORG + "classification", iri("id/body-type/government"), EDITORIAL)


def events(n: int, n_places: int, n_bodies: int, rng: random.Random) -> Iterator[str]:
    start_of_year = dt.date(2006, 1, 1)
    for i in range(1, n + 1):
        e = iri(f"id/event/{i}")
        start = start_of_year + dt.timedelta(days=rng.randrange(365))
        end = start + dt.timedelta(days=rng.choice((0, 0, 1, 2, 4)))
        title = " ".join(rng.choice(WORDS) for _ in range(5))
        yield quad(e, RDF_TYPE, f"<{SCHEMA}Event>", SOURCE)
        yield quad(e, RDF_TYPE, f"<{HLD}PreparatoryEvent>", SOURCE)
        yield quad(e, SCHEMA + "name", lit(title, "en"), SOURCE)
        yield quad(e, SCHEMA + "startDate", lit(start.isoformat(), datatype=XSD + "date"), SOURCE)
        yield quad(e, SCHEMA + "endDate", lit(end.isoformat(), datatype=XSD + "date"), SOURCE)
        place = 0 if rng.random() < 0.2 else rng.randrange(n_places)
        yield quad(e, SCHEMA + "location",
                   iri("id/place/" + ("geneva" if place == 0 else f"city-{place}")), SOURCE)
        for b in sorted(rng.sample(range(n_bodies), rng.choice((1, 1, 2, 3)))):
            yield quad(e, SCHEMA + "organizer", iri("id/org/" + ("iom" if b == 0 else f"body-{b}")),
                       SOURCE)
        # each hld: property with the standard one it specialises, as the build states them
        row = lit(str(i), datatype=XSD + "integer")
        printed = lit(start.strftime("%b %-d"))
        category = iri("id/event-category/" + rng.choice(("un", "iom", "other")))
        for p, o, g in ((HLD + "calendarRow", row, SOURCE), (SCHEMA + "position", row, SOURCE),
                        (HLD + "dateAsPrinted", printed, SOURCE), (SKOS + "note", printed, SOURCE),
                        (HLD + "category", category, EDITORIAL),
                        (DCT + "type", category, EDITORIAL)):
            yield quad(e, p, o, g)
        yield quad(e, PROV + "wasDerivedFrom", iri("id/document/calendar"), SOURCE)
        yield quad(e, SCHEMA + "name", lit(title + " (fr)", "fr"), EDITORIAL)
        yield quad(e, SCHEMA + "about", iri("id/theme/" + rng.choice(THEMES)), EDITORIAL)


def write(n_events: int, out: Path, seed: int = 2006, ontology_from: Path | None = None) -> int:
    """Write the calendar as N-Quads; return the number of quads."""
    rng = random.Random(seed)
    n_places, n_bodies = max(15, n_events // 50), max(40, n_events // 20)
    count = 0
    with open(out, "w", encoding="utf-8") as f:
        parts = [places(n_places), bodies(n_bodies), events(n_events, n_places, n_bodies, rng)]
        for part in parts:
            for line in part:
                f.write(line)
                count += 1
        dataset = iri("id/dataset/hld2006")
        f.write(quad(dataset, RDF_TYPE, "<http://www.w3.org/ns/dcat#Dataset>", CATALOG))
        count += 1
        if ontology_from:
            with open(ontology_from, encoding="utf-8") as src:
                for line in src:
                    if line.rstrip().endswith(f"<{BASE}graph/ontology> ."):
                        f.write(line)
                        count += 1
    return count


def _subjects(lines: list[str], kind: str) -> dict[str, list[str]]:
    """Quads of a build whose subject is an ``id/{kind}/…`` IRI, by subject."""
    prefix = f"<{BASE}id/{kind}/"
    out: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith(prefix):
            out.setdefault(line.split(" ", 1)[0], []).append(line)
    return out


def _clones(things: dict[str, list[str]], skip: tuple[str, ...]) -> list[list[str]]:
    """The records fit to copy: none that links to another of its kind (sub-events, parents)."""
    return [quads for _, quads in sorted(things.items())
            if not any(f"<{p}>" in q for q in quads for p in skip)]


def write_like_build(n_events: int, out: Path, build_nq: Path) -> int:
    """A calendar that conforms to shapes/ as a published build does: every quad of the build
    (``build_nq``, a hld2006.nq) but its catalogue description, which a build recomputes, and
    ``n_events`` more events copied from its own, each with a new IRI, row kept, linked to copies
    of its bodies and places (``n_events // 20`` bodies, ``n_events // 50`` places). Returns the
    number of quads."""
    lines = build_nq.read_text(encoding="utf-8").splitlines(keepends=True)
    catalog = f"<{BASE}graph/catalog> .\n"
    keep = [line for line in lines if not line.endswith(catalog)
            or line.startswith((f"<{BASE}graph/", f"<{BASE}id/agent/"))]
    events = _clones(_subjects(lines, "event"), (SCHEMA + "superEvent", SCHEMA + "subEvent",
                                                  HLD + "convenedBy"))
    bodies = _clones(_subjects(lines, "org"), (ORG + "subOrganizationOf",
                                               ORG + "hasSubOrganization"))
    places = _clones(_subjects(lines, "place"), ())
    n_bodies, n_places = max(1, n_events // 20), max(1, n_events // 50)
    count = 0
    with open(out, "w", encoding="utf-8") as f:
        for line in keep:
            f.write(line)
            count += 1
        for kind, records, n in (("org", bodies, n_bodies), ("place", places, n_places)):
            for i in range(n):
                quads = records[i % len(records)]
                old, new = quads[0].split(" ", 1)[0], iri(f"id/{kind}/copy-{i}")
                for q in quads:
                    f.write(new + q[len(old):])
                    count += 1
        for i in range(n_events):
            quads = events[i % len(events)]
            old, new = quads[0].split(" ", 1)[0], iri(f"id/event/copy-{i}")
            copied = []
            for q in quads:
                q = new + q[len(old):]
                for kind, n in (("org", n_bodies), ("place", n_places)):
                    mark = f"> <{BASE}id/{kind}/"
                    if mark in q:  # the copy links to a copy of its body or place
                        q = f"{q.split(mark, 1)[0]}> {iri(f'id/{kind}/copy-{i % n}')}" \
                            f" {q.rsplit(' ', 2)[1]} .\n"
                copied.append(q)
            for q in dict.fromkeys(copied):  # two organisers may become one copy
                f.write(q)
                count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("events", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2006)
    parser.add_argument("--ontology-from", type=Path, help="a build's hld2006.nq")
    args = parser.parse_args()
    if args.events < 7:
        parser.error("at least 7 events (the benchmark asks for event/7)")
    quads = write(args.events, args.out, args.seed, args.ontology_from)
    print(f"{args.out}: {args.events} events, {quads} quads")


if __name__ == "__main__":
    main()
