"""The lookup file of a build: every thing of the graph with its labels, types and the properties
that tell namesakes apart, for the search box and the reconciliation service.

The pipeline writes it into the build folder (:func:`render`, file :data:`FILE`); the web reads
it once per build (:func:`read`) and searches it with :class:`hldgraph.finder.Finder`. It is made
of four SELECTs that an rdflib graph and the Store both answer, so that a synthetic calendar
loaded in a store gets the same file as a real build.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from hldgraph.distributions import LOOKUP as FILE
from hldgraph.labels import LABELS, Label, choose, pick, read_labels
from hldgraph.urls import ELI, ORG, PREFIXES, SCHEMA, WD, Iris

__all__ = ["ANY", "FILE", "KINDS", "OTHER", "Contents", "Entry", "collect", "kind_mask", "read",
           "render"]
GEONAMES = "https://sws.geonames.org/"

#: Every label a person may type: names, alternative names and spellings, in any language.
NAME_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, RDFS.label, SCHEMA.name, SCHEMA.alternateName,
                   ELI.title, DCTERMS.title, ELI.id_local)
#: Property key of the file -> the graph's property (an IRI value unless said otherwise).
PROPERTIES = {
    "country": SCHEMA.addressCountry, "startDate": SCHEMA.startDate,
    "endDate": SCHEMA.endDate, "location": SCHEMA.location, "organizer": SCHEMA.organizer,
    "sponsor": SCHEMA.sponsor, "about": SCHEMA.about, "parent": ORG.subOrganizationOf,
    "broader": SKOS.broader, "bodyType": ORG.classification,
}
#: Properties whose values name the same thing elsewhere (Wikidata, GeoNames).
SAME = (SCHEMA.sameAs, OWL.sameAs, RDFS.seeAlso)
#: The kinds of thing the reconciliation service offers as types, as bits of a mask.
KINDS = {str(SCHEMA.Event): 1, str(ORG.Organization): 2, str(SCHEMA.Place): 4,
         str(SKOS.Concept): 8}
ANY = 0xFF
OTHER = 0x10


def kind_mask(types: Iterable[str]) -> int:
    """The bits of :data:`KINDS` of a thing's types (:data:`OTHER` when it has none of them)."""
    return sum({KINDS[t] for t in types if t in KINDS}) or OTHER

Answer = Callable[[str], Iterable[Mapping[str, Any]]]


def _values(*terms: object) -> str:
    return " ".join(f"<{t}>" for t in terms)


_NAMES = f"""SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_values(*NAME_PROPERTIES)} }}
  ?s ?p ?o FILTER(isIRI(?s) && isLiteral(?o)) }}"""
_TYPES = f"SELECT ?s ?o WHERE {{ ?s <{RDF.type}> ?o FILTER(isIRI(?s) && isIRI(?o)) }}"
_LINKS = f"""SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_values(*PROPERTIES.values(), *SAME)} }}
  ?s ?p ?o FILTER(isIRI(?s)) }}"""
_CLASSES = f"SELECT DISTINCT ?c WHERE {{ ?s <{RDF.type}> ?c FILTER(isIRI(?c)) }}"
_PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"


@dataclass
class Entry:
    """One thing: its IRI, types, the label shown per language, every label a person may type
    (text, language tag or ""), properties by key (:data:`PROPERTIES`, plus ``wikidata`` and
    ``geonames`` ids) and a short description per language."""

    id: str
    types: list[str] = field(default_factory=list)
    name: dict[str, str] = field(default_factory=dict)
    labels: list[tuple[str, str]] = field(default_factory=list)
    props: dict[str, list[str]] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)

    def shown(self, lang: str) -> Label:
        """The name shown in ``lang``, as a :class:`~hldgraph.labels.Label` that knows its own
        language (the file keeps the text only): the tag of the label it was chosen from, by
        the one rule (:func:`~hldgraph.labels.choose`); "" for a name made from the IRI."""
        text = self.name.get(lang, self.id)
        return choose({tag: text for said, tag in self.labels if said == text}, lang) \
            or Label(text)


@dataclass
class Contents:
    """What the lookup file holds: the things, and the classes and properties the data uses."""

    base: str
    entries: list[Entry]
    classes: list[str]
    properties: list[str]
    prefixes: dict[str, str]


def collect(answer: Answer, iris: Iris) -> Contents:
    """The lookup file's contents, from the answers of ``answer(select)`` (rows of terms)."""
    entries: dict[str, Entry] = {}

    def entry(iri: str) -> Entry:
        return entries.setdefault(iri, Entry(iri))

    for row in answer(_NAMES):
        if iris.is_local(str(row["s"])):
            o = row["o"]
            label = (str(o), (o.language or "") if isinstance(o, Literal) else "")
            if label not in entry(str(row["s"])).labels:
                entries[str(row["s"])].labels.append(label)
    for row in answer(_TYPES):
        if str(row["s"]) in entries:
            entries[str(row["s"])].types.append(str(row["o"]))
    keys = {str(p): k for k, p in PROPERTIES.items()}
    for row in answer(_LINKS):
        e, value = entries.get(str(row["s"])), str(row["o"])
        if e is None:
            continue
        key = keys.get(str(row["p"])) or _same_key(value)
        if key:
            value = _same_id(key, value)
            if value not in e.props.setdefault(key, []):
                e.props[key].append(value)
    names = read_labels(answer(LABELS))
    for e in entries.values():
        e.types.sort()
        e.labels.sort()
        for values in e.props.values():
            values.sort()
        e.name = {lang: pick(names, e.id, lang) for lang in ("en", "fr")}
        e.description = {lang: describe(e, names, lang) for lang in ("en", "fr")}
    prefixes = {**{p: str(ns) for p, ns in PREFIXES.items()}, "hld": str(iris.hld)}
    return Contents(iris.base, sorted(entries.values(), key=lambda e: e.id),
                    sorted(str(r["c"]) for r in answer(_CLASSES)),
                    sorted(str(r["p"]) for r in answer(_PREDICATES)), prefixes)


def _same_key(value: str) -> str:
    return "wikidata" if value.startswith(str(WD)) else \
        "geonames" if value.startswith(GEONAMES) else ""


def _same_id(key: str, value: str) -> str:
    """A Wikidata or GeoNames IRI -> its id (``Q71``, ``2660646``); other values as they are."""
    if key == "wikidata":
        return value.removeprefix(str(WD))
    if key == "geonames":
        return value.removeprefix(GEONAMES).strip("/")
    return value


def describe(e: Entry, names: Mapping[str, Mapping[str, str]], lang: str) -> str:
    """What tells a thing from its namesakes: an event's dates and venue, a body's type and
    parent, a place's country, a concept's broader concept."""
    p = e.props

    def label(key: str) -> str:
        return ", ".join(pick(names, v, lang) for v in p.get(key, []))

    if "startDate" in p:
        start, end = p["startDate"][0], p.get("endDate", p["startDate"])[0]
        dates = start if end == start else f"{start} \u2013 {end}"  # an en dash
        return " · ".join(v for v in (dates, label("location")) if v)
    parts = [label("bodyType"), label("parent"), label("broader"), ", ".join(p.get("country", []))]
    return " · ".join(v for v in parts if v)


def render(contents: Contents) -> bytes:
    """The lookup file: UTF-8 JSON, one entry a line, the same bytes for the same graph."""
    head = {"base": contents.base, "classes": contents.classes,
            "properties": contents.properties, "prefixes": contents.prefixes}
    lines = [json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1] + ', "entries": [']
    lines += [json.dumps(_plain(e), ensure_ascii=False, sort_keys=True) + ","
              for e in contents.entries]
    if contents.entries:
        lines[-1] = lines[-1][:-1]
    return ("\n".join(lines) + "\n]}\n").encode("utf-8")


def _plain(e: Entry) -> dict[str, Any]:
    return {"id": e.id, "types": e.types, "name": e.name, "labels": e.labels, "props": e.props,
            "description": e.description}


def read(path: Path) -> Contents:
    """A lookup file written by :func:`render`.

    Raises OSError where it cannot be read and ValueError where it is not a lookup file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    try:
        entries = [Entry(d["id"], d["types"], d["name"], [tuple(x) for x in d["labels"]],
                         d["props"], d["description"]) for d in data["entries"]]
        return Contents(data["base"], entries, data["classes"], data["properties"],
                        data["prefixes"])
    except (KeyError, TypeError) as e:
        raise ValueError(f"{path} is not a lookup file ({e!r} missing or malformed)") from None
