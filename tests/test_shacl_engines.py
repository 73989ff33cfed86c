"""The build's SHACL engine (pyshacl-turbo, Rust) reports exactly what the reference (pyshacl)
reports: on the real graph, on every break of tests/test_shapes.py, and on a synthetic calendar
too large to read through rdflib, validated from a pyoxigraph store."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.namespace import SH
from test_shapes import BREAKS, PREFIXES, Break, _record

from hldgraph.dataset import new_dataset, union_graph
from hldgraph.urls import Iris
from hldgraph.validate import Report, validate_graph, validate_store

ROOT = Path(__file__).resolve().parents[1]


def _results(report: Report) -> set[tuple[str, ...]]:
    """Every result of the report graph, as the fields a reader sees."""
    g = report.graph
    return {tuple(str(g.value(r, p)) for p in (SH.focusNode, SH.sourceShape,
                                               SH.sourceConstraintComponent, SH.resultSeverity,
                                               SH.resultMessage, SH.value))
            for r in g.objects(None, SH.result)}


def _same(data: Graph, settings: object) -> Report:
    reference = validate_graph(data, settings, engine="pyshacl")
    turbo = validate_graph(data, settings, engine="turbo")
    assert turbo.conforms == reference.conforms
    assert turbo.text() == reference.text()
    assert _results(turbo) == _results(reference)
    return turbo


def test_the_real_graph_conforms_in_both(built, settings) -> None:
    report = _same(union_graph(built.dataset), settings)
    assert report.conforms
    # the report as `hldgraph validate --format turtle` writes it
    assert report.graph.serialize(format="turtle") == validate_graph(
        union_graph(built.dataset), settings, engine="pyshacl").graph.serialize(format="turtle")


@pytest.mark.parametrize("case", BREAKS, ids=[b.name for b in BREAKS])
def test_each_break_is_reported_alike(case: Break, settings) -> None:
    vocabularies = Graph().parse(ROOT / "ontology" / "vocabularies.ttl", format="turtle")
    data = _record(vocabularies, case.ontology)
    data.update(PREFIXES + case.update)
    assert not _same(data, settings).conforms


def test_a_broken_synthetic_calendar_is_reported_alike_from_a_store(settings, tmp_path) -> None:
    """The older synthetic calendar (bench/synth.py ``write``) breaks several constraints on
    every event: read from a pyoxigraph store, the findings are pyshacl's."""
    sys.path.insert(0, str(ROOT / "bench"))
    import synth

    from hldgraph.build import load_ontology

    nq = tmp_path / "synthetic.nq"
    synth.write(60, nq)
    store = pyoxigraph.Store()
    store.load(path=nq, format=pyoxigraph.RdfFormat.N_QUADS)
    iris = Iris(settings.base_iri)
    ontology = load_ontology(settings, iris)
    store.extend(pyoxigraph.Quad(*(_ox(t) for t in triple), pyoxigraph.NamedNode(
        str(iris.graph("ontology")))) for triple in ontology)
    prefixes = union_graph(new_dataset(iris))
    turbo = validate_store(store, settings, prefixes)

    ds = new_dataset(iris)
    ds.parse(nq, format="nquads")
    data = union_graph(ds)
    data += ontology
    reference = validate_graph(data, settings, engine="pyshacl")
    assert turbo.violations > 60
    assert turbo.violations == reference.violations
    assert _results(turbo) == _results(reference)


def _ox(term: object) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    if term.datatype:
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
    return pyoxigraph.Literal(str(term))
