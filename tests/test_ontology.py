"""The ontology and the fixed vocabularies: documented in English and French, and aligned."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from hldgraph.urls import VANN

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
BASE = "https://w3id.org/hld2006/"
HLD = Namespace(BASE + "def/")
ONTOLOGY = URIRef(BASE + "def/")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
              RDF.Property, RDFS.Class)
ALIGNMENTS = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty)
BODY_TYPES = ("un-body", "intergovernmental-organisation", "government",
              "regional-consultative-process", "foundation-ngo", "academic-institution",
              "office-holder")
EVENT_CATEGORIES = ("un", "iom", "other")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _terms(graph: Graph) -> list[URIRef]:
    terms = {s for t in TERM_TYPES for s in graph.subjects(RDF.type, t)
             if isinstance(s, URIRef) and s.startswith(HLD) and s != ONTOLOGY}
    return sorted(terms)


def _languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def test_the_terms_of_the_contract_are_defined(ontology: Graph) -> None:
    expected = {"PreparatoryEvent", "HighLevelDialogue", "Initiative", "ThematicArea",
                "preparatoryEventOf", "calendarRow", "responsibleAsPrinted", "dateAsPrinted",
                "category", "envisagedBy", "envisages", "involves", "convenedBy",
                "presentInCountries"}
    assert {str(t)[len(HLD):] for t in _terms(ontology)} >= expected


@pytest.mark.parametrize("predicate", [RDFS.label, RDFS.comment])
def test_every_term_is_documented_in_english_and_french(ontology: Graph,
                                                        predicate: URIRef) -> None:
    missing = [f"{t} {predicate.n3(ontology.namespace_manager)}" for t in _terms(ontology)
               if not {"en", "fr"} <= _languages(ontology, t, predicate)]
    assert not missing, missing


def test_every_term_is_defined_by_the_ontology(ontology: Graph) -> None:
    assert ontology.value(ONTOLOGY, RDF.type) == OWL.Ontology
    undefined = [t for t in _terms(ontology) if (t, RDFS.isDefinedBy, ONTOLOGY) not in ontology]
    assert not undefined, undefined


def _standard(term: object) -> bool:
    return isinstance(term, URIRef) and not term.startswith(BASE)


def test_every_term_specialises_a_standard_term(ontology: Graph) -> None:
    """A term with no standard super-term must say why in both languages and point to the
    closest standard term, so that the gap is documented rather than silent."""
    unaligned = []
    for term in _terms(ontology):
        aligned = any(_standard(o) for p in ALIGNMENTS for o in ontology.objects(term, p))
        explained = ({"en", "fr"} <= _languages(ontology, term, SKOS.scopeNote)
                     and any(_standard(o) for o in ontology.objects(term, RDFS.seeAlso)))
        if not (aligned or explained):
            unaligned.append(term)
    assert not unaligned, unaligned


@pytest.mark.parametrize(("term", "superterm"), [
    ("PreparatoryEvent", "http://schema.org/Event"),
    ("HighLevelDialogue", "http://schema.org/Event"),
    ("Initiative", "http://www.w3.org/ns/prov#Plan"),
    ("ThematicArea", "http://www.w3.org/2004/02/skos/core#Concept"),
    ("calendarRow", "http://schema.org/position"),
    ("envisagedBy", "http://purl.org/dc/terms/source"),
    ("involves", "http://purl.org/dc/terms/relation"),
    ("convenedBy", "http://purl.org/dc/terms/references"),
])
def test_alignments_named_in_the_contract(ontology: Graph, term: str, superterm: str) -> None:
    supers = set(ontology.objects(HLD[term], RDFS.subClassOf)) | set(
        ontology.objects(HLD[term], RDFS.subPropertyOf))
    assert URIRef(superterm) in supers


def test_properties_have_domain_and_range(ontology: Graph) -> None:
    properties = [t for t in _terms(ontology)
                  if (t, RDF.type, OWL.ObjectProperty) in ontology
                  or (t, RDF.type, OWL.DatatypeProperty) in ontology]
    assert properties
    incomplete = [p for p in properties
                  if None in (ontology.value(p, RDFS.domain), ontology.value(p, RDFS.range))]
    assert not incomplete, incomplete


def test_envisages_is_the_inverse_of_envisaged_by(ontology: Graph) -> None:
    assert (HLD.envisagedBy, OWL.inverseOf, HLD.envisages) in ontology
    assert ontology.value(HLD.envisages, RDFS.domain) == ontology.value(HLD.envisagedBy, RDFS.range)
    assert ontology.value(HLD.envisages, RDFS.range) == ontology.value(HLD.envisagedBy, RDFS.domain)


def test_header_metadata(ontology: Graph) -> None:
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert {"en", "fr"} <= _languages(ontology, ONTOLOGY, predicate), predicate
    version = ontology.value(ONTOLOGY, OWL.versionInfo)
    assert version is not None
    # the version IRI is the build's: the release in which the ontology last changed
    # (tests/test_releases.py), never written by hand
    assert ontology.value(ONTOLOGY, OWL.versionIRI) is None
    assert (ONTOLOGY, DCTERMS.license,
            URIRef("https://creativecommons.org/licenses/by/4.0/")) in ontology
    for predicate in (DCTERMS.creator, DCTERMS.created, DCTERMS.modified):
        assert ontology.value(ONTOLOGY, predicate) is not None, predicate
    assert str(ontology.value(ONTOLOGY, VANN.preferredNamespacePrefix)) == "hld"
    assert str(ontology.value(ONTOLOGY, VANN.preferredNamespaceUri)) == str(HLD)


def test_the_base_appears_only_as_a_whole_so_that_it_can_be_replaced() -> None:
    """The build swaps the base by plain string replacement: every IRI of the project must
    spell the whole base, never a relative reference or a base-less @prefix."""
    for path in ONTOLOGY_DIR.glob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        assert "@base" not in text, path
        rebased = Graph().parse(data=text.replace(BASE, "http://example.org/x/"),
                                format="turtle")
        assert not [t for t in rebased.all_nodes() if str(t).startswith(BASE)], path
        assert any(str(t).startswith("http://example.org/x/") for t in rebased.all_nodes())


@pytest.mark.parametrize(("scheme", "slugs"), [
    ("body-types", [f"body-type/{s}" for s in BODY_TYPES]),
    ("event-categories", [f"event-category/{s}" for s in EVENT_CATEGORIES]),
])
def test_fixed_vocabularies(ontology: Graph, scheme: str, slugs: list[str]) -> None:
    scheme_iri = URIRef(f"{BASE}id/{scheme}")
    assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in ontology
    assert {"en", "fr"} <= _languages(ontology, scheme_iri, SKOS.prefLabel)
    expected = {URIRef(f"{BASE}id/{slug}") for slug in slugs}
    assert set(ontology.subjects(SKOS.inScheme, scheme_iri)) == expected
    assert set(ontology.objects(scheme_iri, SKOS.hasTopConcept)) == expected
    for concept in expected:
        assert (concept, RDF.type, SKOS.Concept) in ontology
        assert (concept, SKOS.topConceptOf, scheme_iri) in ontology
        for predicate in (SKOS.prefLabel, SKOS.definition):
            languages = [o.language for o in ontology.objects(concept, predicate)]
            assert sorted(languages) == ["en", "fr"], (concept, predicate)
