# Typographic dashes are meant in these texts.
# ruff: noqa: RUF002
"""A change set told in the calendar's words: "Experts Meeting on Migration and Development
moved from 3–5 April 2006 to 10–12 April 2006", "Union africaine : nouveau nom …".

:func:`describe` reads what changed between two releases (their change set, and both releases'
datasets for the context of each change) and returns one
:class:`Change` per thing and aspect: added, removed, moved (dates), venue, renamed, and the
other properties as they are. :func:`say` writes a change in English or French. Pure functions:
the releases, the labels and the IRIs are given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from hldgraph.changes import ChangeSet
from hldgraph.labels import LABELS, pick, read_labels
from hldgraph.urls import SCHEMA, Iris
from hldgraph.web.i18n import date_span, translate

#: Properties that name a thing: a change of one is a renaming.
NAMES = (SKOS.prefLabel, SCHEMA.name)
DATES = (SCHEMA.startDate, SCHEMA.endDate)
#: The kinds of change, in the order a page lists them.
KINDS = ("added", "removed", "moved", "venue", "renamed", "changed")
#: Things of the catalogue (the dataset, its distributions, the record): every release changes
#: them (dates, sizes); the "What changed" page is about the calendar.


@dataclass(frozen=True)
class Change:
    """One change of one thing between two releases.

    ``before`` and ``after`` hold, by kind: the dates ``(start, end)`` (moved), the venues'
    IRIs (venue), the labels by language (renamed: ``{lang: label}``); for ``changed``,
    ``properties`` lists ``(property IRI, removed values, added values)``.
    """

    subject: str
    kind: str
    before: tuple = ()
    after: tuple = ()
    properties: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = field(default=())


@dataclass(frozen=True)
class Snapshot:
    """A release's dataset as :func:`say` reads it: its union graph and its labels."""

    graph: Graph
    labels: dict[str, dict[str, str]]

    @classmethod
    def of(cls, graph: Graph) -> Snapshot:
        return cls(graph, read_labels(graph.query(LABELS)))  # type: ignore[arg-type]

    def label(self, iri: str, lang: str) -> str:
        return pick(self.labels, iri, lang)


def changed_things(changes: ChangeSet, iris: Iris) -> list[str]:
    """The things of the calendar that a change set touches (:meth:`ChangeSet.of_things`), in
    IRI order."""
    return sorted(str(r.iri) for r in changes.of_things(iris).resources)


def describe(changes: ChangeSet, before: Graph, after: Graph, iris: Iris) -> list[Change]:
    """Every change of a change set (:meth:`hldgraph.releases.ReleaseLog.changes`), one per
    thing and aspect, in :data:`KINDS` order then by thing. ``before``/``after`` are the two
    releases' datasets (union graphs): an unchanged end date still frames a moved event."""
    rv: list[Change] = []
    for s in changed_things(changes, iris):
        rv.extend(_of_thing(URIRef(s), before, after))
    return sorted(rv, key=lambda c: (KINDS.index(c.kind), c.subject))


def _of_thing(s: URIRef, before: Graph, after: Graph) -> list[Change]:
    was, now = (s, RDF.type, None) in before, (s, RDF.type, None) in after
    if not was or not now:
        return [Change(str(s), "added" if now else "removed")] if was or now else []
    rv: list[Change] = []
    done: set[URIRef] = set()
    old, new = _dates(before, s), _dates(after, s)
    if old != new:
        rv.append(Change(str(s), "moved", old, new))
        done.update(DATES)
    old_at, new_at = _objects(before, s, SCHEMA.location), _objects(after, s, SCHEMA.location)
    if old_at != new_at:
        rv.append(Change(str(s), "venue", old_at, new_at))
        done.add(SCHEMA.location)
    old_names, new_names = _names(before, s), _names(after, s)
    if old_names != new_names:
        rv.append(Change(str(s), "renamed", old_names, new_names))
        done.update(NAMES)
    rest = []
    predicates = {URIRef(str(p)) for g in (before, after) for p in g.predicates(s)}
    for p in sorted(predicates - done, key=str):
        gone, came = _objects(before, s, p), _objects(after, s, p)
        if gone != came:
            rest.append((str(p), tuple(v for v in gone if v not in came),
                         tuple(v for v in came if v not in gone)))
    if rest:
        rv.append(Change(str(s), "changed", properties=tuple(rest)))
    return rv


def _dates(g: Graph, s: URIRef) -> tuple:
    return tuple(_date(g.value(s, p)) for p in DATES)


def _date(value: object) -> dt.date | None:
    if isinstance(value, Literal) and isinstance(value.toPython(), dt.date):
        return value.toPython()
    return None


def _objects(g: Graph, s: URIRef, p: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in g.objects(s, p)))


def _names(g: Graph, s: URIRef) -> tuple[tuple[str, str], ...]:
    """The thing's names by language: ``(("en", "African Union"), ("fr", …))``."""
    found: dict[str, str] = {}
    for p in reversed(NAMES):  # the preferred property last, so that it wins
        for o in g.objects(s, p):
            if isinstance(o, Literal):
                found[o.language or ""] = str(o)
    return tuple(sorted(found.items()))


# --- in words ---------------------------------------------------------------------------------

def say(change: Change, lang: str, before: Snapshot, after: Snapshot, curie: Callable[[str], str]
        ) -> str:
    """The change in ``lang``, in the calendar's words (dates as the calendar prints them,
    things by their labels: a removed thing by its label in the earlier release)."""
    release = before if change.kind == "removed" else after
    name = release.label(change.subject, lang)
    if change.kind == "moved":
        return translate("change_moved", lang, name=name, old=_span(change.before, lang),
                         new=_span(change.after, lang))
    if change.kind == "venue":
        return translate("change_venue", lang, name=name,
                         old=_labels(change.before, before, lang),
                         new=_labels(change.after, after, lang))
    if change.kind == "renamed":
        return translate("change_renamed", lang, old=_name(change.before, lang),
                         new=_name(change.after, lang))
    if change.kind == "changed":
        parts = [translate("change_property", lang, property=curie(p),
                           old=_values(gone, before, lang), new=_values(came, after, lang))
                 for p, gone, came in change.properties]
        return translate("change_changed", lang, name=name, what="; ".join(parts))
    return translate(f"change_{change.kind}", lang, name=name)


def _span(dates: tuple, lang: str) -> str:
    start, end = dates if len(dates) == 2 else (None, None)
    return date_span(start, end, lang) if start else "?"


def _name(names: tuple[tuple[str, str], ...], lang: str) -> str:
    found = dict(names)
    return next((found[k] for k in (lang, "en", "fr", "") if found.get(k)),
                next(iter(found.values()), "?"))


def _labels(iris: tuple[str, ...], release: Snapshot, lang: str) -> str:
    return ", ".join(release.label(i, lang) for i in iris) or "—"


def _values(values: tuple[str, ...], release: Snapshot, lang: str) -> str:
    return ", ".join(release.label(v, lang) if v.startswith(("http://", "https://")) else v
                     for v in values) or "—"
