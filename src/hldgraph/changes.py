"""Change sets between two states of the dataset: as RDF Patch and as statements per resource.

A state is a set of N-Quads lines (every dump of hldgraph is sorted N-Quads without blank
nodes, so a quad has one spelling and set operations on lines are set operations on quads).

RDF Patch (https://afs.github.io/rdf-patch/, media type ``text/rdf-patch``): a header
``H id <{base}release/{new}> .`` (and ``H prev <{base}release/{old}> .``), then one transaction
``TX .`` … ``TC .`` holding every deleted quad (``D s p o g .``) then every added one
(``A s p o g .``), each group sorted. Terms are written as in N-Quads.

:class:`ChangeSet` reads the same change per resource (the subject of the statements):

- ``ChangeSet.resources``: a :class:`ResourceChange` per changed subject, sorted by IRI, with
  ``status`` ``"added"`` (described only after), ``"removed"`` (only before) or ``"changed"``;
- ``ResourceChange.properties``: a :class:`PropertyChange` per (predicate, graph) with its
  ``old`` and ``new`` values; ``kind`` is ``"added"`` (no old value), ``"removed"`` (no new
  value) or ``"changed"`` (e.g. schema:startDate 2006-04-03 -> 2006-04-10);
- ``ChangeSet.resource(iri)``, ``.added`` / ``.removed`` / ``.changed`` (IRIs),
  ``.without_graphs(...)`` (e.g. leave out graph/catalog, which changes with every release).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from hldgraph.urls import WRITTEN_BASE, Iris, rebase

Status = str  # "added" | "removed" | "changed"


def subject_of(line: str) -> str:
    """The subject IRI of an N-Quads line (``<iri> <p> ...``), without its brackets."""
    return line[1:line.index(">")] if line.startswith("<") else line.split(" ", 1)[0]


def patch_lines(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The quads an RDF Patch adds and deletes, as N-Quads lines: ``(added, removed)``.

    Header, transaction and prefix rows are skipped. Raises ValueError for another row.
    """
    added, removed = set(), set()
    for number, row in enumerate(text.splitlines(), start=1):
        op, _, rest = row.partition(" ")
        if op == "A":
            added.add(rest)
        elif op == "D":
            removed.add(rest)
        elif op not in {"H", "TX", "TC", "TA", "PA", "PD", ""}:
            raise ValueError(f"line {number}: {op!r} is no RDF Patch operation")
    return frozenset(added), frozenset(removed)


def write_patch(added: Iterable[str], removed: Iterable[str], id_: str,
                prev: str | None = None) -> str:
    """RDF Patch text: header, then one transaction deleting ``removed`` and adding ``added``."""
    rows = [f"H id <{id_}> ."]
    if prev:
        rows.append(f"H prev <{prev}> .")
    rows.append("TX .")
    rows += [f"D {line}" for line in sorted(removed)]
    rows += [f"A {line}" for line in sorted(added)]
    rows.append("TC .")
    return "\n".join(rows) + "\n"


@dataclass(frozen=True)
class PropertyChange:
    """The values of one property of a resource, in one named graph, before and after."""

    predicate: URIRef
    graph: URIRef
    old: tuple[Node, ...]
    new: tuple[Node, ...]

    @property
    def kind(self) -> Status:
        return "added" if not self.old else "removed" if not self.new else "changed"


@dataclass(frozen=True)
class ResourceChange:
    """How the statements about one resource changed."""

    iri: URIRef
    status: Status
    properties: tuple[PropertyChange, ...]

    def of(self, predicate: URIRef) -> list[PropertyChange]:
        return [p for p in self.properties if p.predicate == predicate]


#: Paths of the catalogue's own resources, left out of :meth:`ChangeSet.of_things`.
CATALOGUE_PATHS = ("id/dataset/", "id/catalog")


@dataclass(frozen=True)
class ChangeSet:
    """What changed from release ``old`` (None: nothing) to release ``new``."""

    old: str | None
    new: str
    patch: str  # RDF Patch, text/rdf-patch
    resources: tuple[ResourceChange, ...] = field(default=())

    def resource(self, iri: str) -> ResourceChange | None:
        return next((r for r in self.resources if str(r.iri) == str(iri)), None)

    def _with(self, status: Status) -> list[URIRef]:
        return [r.iri for r in self.resources if r.status == status]

    @property
    def added(self) -> list[URIRef]:
        return self._with("added")

    @property
    def removed(self) -> list[URIRef]:
        return self._with("removed")

    @property
    def changed(self) -> list[URIRef]:
        return self._with("changed")

    def of_things(self, iris: Iris) -> ChangeSet:
        """The changes to the things the data describes (``id/…`` IRIs), as a person reads
        them: the catalogue's record (graph/catalog, the dataset's and the catalogue's own
        IRIs), which every release changes, left out. The patch is kept."""
        kept = self.without_graphs(iris.graph("catalog"))
        things = tuple(r for r in kept.resources if iris.is_local(r.iri)
                       and iris.path_of(r.iri).startswith("id/")
                       and not iris.path_of(r.iri).startswith(CATALOGUE_PATHS))
        return ChangeSet(self.old, self.new, self.patch, things)

    def without_graphs(self, *graphs: URIRef) -> ChangeSet:
        """The same change set, leaving out statements in ``graphs`` (the patch is kept)."""
        kept = []
        for r in self.resources:
            props = tuple(p for p in r.properties if p.graph not in graphs)
            if props:
                kept.append(ResourceChange(r.iri, r.status, props))
        return ChangeSet(self.old, self.new, self.patch, tuple(kept))


Quad = tuple[str, str, Node, str]  # subject, predicate, object, graph


def _quads(lines: Iterable[str], base: str) -> list[Quad]:
    """N-Quads lines (at WRITTEN_BASE) parsed, at ``base``."""
    text = rebase("\n".join(lines), base)
    if not text.strip():
        return []
    ds = Dataset()
    ds.parse(data=text, format="nquads")
    return [(str(s), str(p), o, str(g.identifier if isinstance(g, Graph) else g))
            for s, p, o, g in ds.quads()]


def _properties(removed: Iterable[str], added: Iterable[str],
                base: str) -> dict[str, list[PropertyChange]]:
    """Subject -> how each of its (predicate, graph) changed."""
    values: dict[tuple[str, str, str], tuple[list[Node], list[Node]]] = defaultdict(
        lambda: ([], []))
    for side, lines in ((0, removed), (1, added)):
        for s, p, o, g in _quads(lines, base):
            values[(s, p, g)][side].append(o)
    by_subject: dict[str, list[PropertyChange]] = defaultdict(list)
    for (s, p, g), (olds, news) in sorted(values.items()):
        by_subject[s].append(PropertyChange(URIRef(p), URIRef(g), tuple(sorted(olds, key=str)),
                                            tuple(sorted(news, key=str))))
    return by_subject


def diff(before: frozenset[str], after: frozenset[str], old: str | None, new: str,
         iris: Iris) -> ChangeSet:
    """The change set from state ``before`` to state ``after`` (lines at WRITTEN_BASE),
    its statements and patch at ``iris.base``."""
    added, removed = after - before, before - after
    patch = write_patch((rebase(line, iris.base) for line in added),
                        (rebase(line, iris.base) for line in removed),
                        iris.release(new), iris.release(old) if old else None)
    touched = {subject_of(line) for line in added | removed}
    had = {subject_of(line) for line in before if subject_of(line) in touched}
    has = {subject_of(line) for line in after if subject_of(line) in touched}
    resources = []
    for s, props in sorted(_properties(removed, added, iris.base).items()):
        written = WRITTEN_BASE + s[len(iris.base):] if iris.is_local(s) else s
        status = ("added" if written not in had else "removed" if written not in has
                  else "changed")
        resources.append(ResourceChange(URIRef(s), status, tuple(props)))
    return ChangeSet(old, new, patch, tuple(resources))


@dataclass(frozen=True)
class History:
    """A resource across the releases: those that describe it, and how it changed in each."""

    iri: str
    describes: tuple[str, ...]  # versions in which it is the subject of a statement
    changes: tuple[tuple[str, Status], ...]  # (version, "added" | "changed" | "removed")

    @property
    def changed_in(self) -> tuple[str, ...]:
        return tuple(version for version, _ in self.changes)

    @property
    def last(self) -> str | None:
        """The last release that describes it (a removed resource's page links there)."""
        return self.describes[-1] if self.describes else None


class Timeline:
    """Every resource's history through the releases, built once, release after release
    (:meth:`add`), so that a resource's history is then a lookup (:meth:`history`)."""

    def __init__(self) -> None:
        self.versions: list[str] = []
        self.present: dict[str, frozenset[str]] = {}  # version -> subjects described
        self.changes: dict[str, list[tuple[str, Status]]] = defaultdict(list)
        self._before: frozenset[str] = frozenset()
        self._had: frozenset[str] = frozenset()

    def add(self, version: str, state: frozenset[str]) -> None:
        """Release ``version``, whose quads are ``state`` (lines), after the ones added."""
        has = frozenset(subject_of(line) for line in state)
        touched = {subject_of(line) for line in state ^ self._before}
        for s in touched:
            status = ("added" if s not in self._had else "removed" if s not in has
                      else "changed")
            self.changes[s].append((version, status))
        self.versions.append(version)
        self.present[version] = has
        self._before, self._had = state, has

    def history(self, iri: str) -> History:
        """The history of ``iri`` (as the states spell it)."""
        return History(iri, tuple(v for v in self.versions if iri in self.present[v]),
                       tuple(self.changes.get(iri, ())))
