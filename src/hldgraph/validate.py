"""SHACL validation -> a report that names the record, the property, and the data file and row.

Two engines read the same shapes and give the same report: pyshacl-turbo (Rust, the engine every
build and ``hldgraph validate`` run) and pyshacl (Python, the reference the shape tests hold both
to: tests/test_shapes.py, tests/test_shacl_engines.py). The turbo engine is handed the shapes in
the same kind of graph as the data (rdflib or pyoxigraph): mixed, a plain string of an ``sh:in``
list matches none of the data's.

One finding per problem: a typed literal that is not of its datatype (``"2006-2-08"^^xsd:date``)
is one finding that says so, not a datatype violation plus the range and order checks that a
value which is not a date fails too; identical findings are one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

from hldgraph.build import load_ontology
from hldgraph.catalog import build_dataset
from hldgraph.dataset import new_dataset, union_graph
from hldgraph.errors import DataError
from hldgraph.settings import Settings
from hldgraph.urls import Iris, rebase

if TYPE_CHECKING:
    import pyoxigraph

#: The SHACL engines: the build's (Rust) and the reference (Python).
ENGINES = ("turbo", "pyshacl")


@dataclass(frozen=True)
class Finding:
    severity: str
    focus: str
    path: str
    value: str
    message: str
    origin: tuple[str, int] | None = None

    def __str__(self) -> str:
        where = f" ({self.origin[0]}, line {self.origin[1]})" if self.origin else ""
        value = f" value {self.value}:" if self.value else ""
        return f"{self.severity}: {self.focus}{where} {self.path}:{value} {self.message}"


@dataclass
class Report:
    conforms: bool
    findings: list[Finding] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph)

    @property
    def violations(self) -> int:
        return sum(f.severity == "Violation" for f in self.findings)

    def text(self) -> str:
        if not self.findings:
            return "conforms: 0 violations"
        return "\n".join(str(f) for f in self.findings)


def load_shapes(settings: Settings) -> Graph:
    shapes = Graph()
    for path in sorted(Path(settings.shapes_dir).glob("*.ttl")):
        shapes.parse(data=rebase(path.read_text(encoding="utf-8"), settings.base_iri),
                     format="turtle")
    return shapes


def _shapes_store(settings: Settings) -> pyoxigraph.Store:
    import pyoxigraph

    store = pyoxigraph.Store()
    for path in sorted(Path(settings.shapes_dir).glob("*.ttl")):
        store.load(rebase(path.read_text(encoding="utf-8"), settings.base_iri),
                   format=pyoxigraph.RdfFormat.TURTLE)
    return store


def _run(data: Any, settings: Settings, engine: str) -> tuple[bool, Graph]:
    """(conforms, the report graph) of one engine; ``data`` an rdflib graph or (turbo only) a
    pyoxigraph store whose default graph is the union of its named graphs."""
    # advanced: the shapes use SPARQL-based targets (SHACL Advanced Features)
    options: dict[str, Any] = {"inference": "none", "allow_warnings": True, "advanced": True}
    if engine == "turbo":
        from pyshacl_turbo import validate as turbo_validate

        shapes = load_shapes(settings) if isinstance(data, Graph) else _shapes_store(settings)
        conforms, results, _ = turbo_validate(data, shacl_graph=shapes, **options)
    elif engine == "pyshacl":
        from pyshacl import validate as shacl_validate

        conforms, results, _ = shacl_validate(data, shacl_graph=load_shapes(settings), **options)
    else:
        raise ValueError(f"unknown SHACL engine {engine!r} (one of {', '.join(ENGINES)})")
    return bool(conforms), results


def validate_graph(data: Graph, settings: Settings,
                   origins: dict[URIRef, tuple[str, int]] | None = None,
                   engine: str = "turbo") -> Report:
    """Validates ``data`` (which already holds the ontology) against shapes/ with ``engine``
    (one of :data:`ENGINES`); both give the same findings.

    A malformed typed literal (:func:`malformed`) is one finding; what SHACL reports about that
    same value (datatype, range, order) is its consequence and is left out."""
    origins = origins or {}
    with quiet_literals():
        conforms, results = _run(data, settings, engine)
        bad = malformed(data, origins)
    return _report(conforms, results, data, origins, bad)


def _report(conforms: bool, results: Graph, names: Graph,
            origins: dict[URIRef, tuple[str, int]], bad: list[Finding]) -> Report:
    """The findings of ``results`` less the consequences of a malformed value, and those."""
    values = {(f.focus, f.value) for f in bad}
    findings = {f for f in _findings(results, names, origins) if (f.focus, f.value) not in values}
    return Report(conforms and not bad, sorted(findings | set(bad), key=str), results)


def validate_store(store: pyoxigraph.Store, settings: Settings, prefixes: Graph,
                   origins: dict[URIRef, tuple[str, int]] | None = None) -> Report:
    """Validates a pyoxigraph store (the ontology in one of its named graphs) with the turbo
    engine; ``prefixes`` names terms in the findings as the
    dataset's prefixes do. For graphs too large for rdflib."""
    conforms, results = _run(store, settings, "turbo")
    with quiet_literals():
        bad = malformed(_typed_literals(store, prefixes), origins)
    return _report(conforms, results, prefixes, origins or {}, bad)


def _typed_literals(store: pyoxigraph.Store, prefixes: Graph) -> Graph:
    """The statements of ``store`` whose object is a typed literal, as rdflib reads them, named
    with the prefixes of ``prefixes``."""
    from hldgraph.store.native import to_rdflib

    rv = Graph()
    for prefix, namespace in prefixes.namespaces():
        rv.bind(prefix, namespace, override=True)
    for q in store:
        o = q.object
        if getattr(o, "datatype", None) is not None and o.datatype.value not in _PLAIN:
            rv.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(o)))
    return rv


_PLAIN = {str(XSD.string), "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


#: How to write a value of a datatype, for the message about one that is not (XML Schema 1.1
#: Part 2 §3.3.9 date, §3.3.7 dateTime).
FORMS = {XSD.date: "YYYY-MM-DD, e.g. 2006-02-08",
         XSD.dateTime: "YYYY-MM-DDThh:mm:ss, e.g. 2006-09-14T10:00:00"}


def malformed(data: Graph, origins: dict[URIRef, tuple[str, int]] | None = None
              ) -> list[Finding]:
    """A finding for each typed literal of ``data`` that is not of its datatype (one that rdflib
    cannot read as a value of it: RDF 1.1 Concepts §3.3, an ill-typed literal)."""
    out = []
    for s, p, o in data:
        if isinstance(o, Literal) and o.ill_typed and o.datatype is not None:
            kind, form = _short(o.datatype, data), FORMS.get(o.datatype, "")
            out.append(Finding("Violation", str(s), _short(p, data), _short(o, data),
                               f"not a valid {kind}" + (f" (write {form})" if form else ""),
                               origins.get(s) if origins and isinstance(s, URIRef) else None))
    return out


class _IllTyped(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


@contextmanager
def quiet_literals() -> Iterator[None]:
    """Silences rdflib's warning (with a traceback) for each ill-typed literal it reads or
    copies: :func:`malformed` reports them, once each, in words."""
    log, only = logging.getLogger("rdflib.term"), _IllTyped()
    log.addFilter(only)
    try:
        yield
    finally:
        log.removeFilter(only)


def _short(term: object, data: Graph) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return data.namespace_manager.normalizeUri(term)
        except Exception:  # a term no prefix fits is shown whole
            return f"<{term}>"
    return repr(str(term))


def _findings(results: Graph, data: Graph,
              origins: dict[URIRef, tuple[str, int]]) -> list[Finding]:
    def short(term: object) -> str:
        if isinstance(term, BNode) and (inverse := results.value(term, SH.inversePath)):
            return f"^{short(inverse)}"  # SHACL §2.3.1.3, written as in SPARQL paths
        return _short(term, data)

    rows = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        rows.append(Finding(
            severity=severity,
            focus=str(focus),
            path=short(results.value(result, SH.resultPath)),
            value=short(results.value(result, SH.value)),
            message=str(results.value(result, SH.resultMessage) or ""),
            origin=origins.get(focus) if isinstance(focus, URIRef) else None,
        ))
    return rows


def validate_settings_data(settings: Settings) -> Report:
    """Builds data/ in memory and validates it; findings name the data file and row."""
    built = build_dataset(settings)
    return validate_graph(union_graph(built.dataset), settings, built.origins)


#: File endings -> rdflib parser names.
PARSERS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads",
           ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml"}


def validate_file(path: Path, settings: Settings) -> Report:
    """Validates any RDF file, read with the ontology so that the vocabularies resolve."""
    fmt = PARSERS.get(path.suffix.lower())
    if fmt is None:
        raise DataError(path.name, None, f"unknown RDF file type (use one of {', '.join(PARSERS)})")
    ds = new_dataset()
    try:
        with quiet_literals():
            ds.parse(path, format=fmt)
    except Exception as e:  # every parser has its own exception types: report them all alike
        raise DataError(path.name, None, f"not valid {fmt}: {e}") from None
    data = union_graph(ds)
    data += load_ontology(settings, Iris(settings.base_iri))
    return validate_graph(data, settings)
