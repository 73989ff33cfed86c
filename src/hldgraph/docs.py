"""The ontology as a readable HTML page, made from ontology/ at build time, in each language of
the site: ``def.html`` (English) and ``def.fr.html`` (:func:`hldgraph.distributions.ontology_page`),
both served at ``doc/def.html`` as ``?lang=`` or Accept-Language choose.

One section per class, property and concept scheme, each with its labels and comments in English
and French; every term has an anchor named after it, the same in every language, so that
``def/Initiative`` resolves to ``doc/def.html#Initiative``. The page's own words (headings,
relations, footer) are :data:`hldgraph.messages.MESSAGES`, the web layer's table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from hldgraph.distributions import ontology_page
from hldgraph.labels import texts
from hldgraph.messages import LANGS, translate
from hldgraph.urls import Iris

TEMPLATES = Path(__file__).parent / "web" / "templates"


@dataclass
class Term:
    """A class, property or concept of the ontology, as the page shows it."""

    iri: str
    name: str  # the anchor: the local name, or a CURIE for terms outside the ontology
    labels: dict[str, str]
    comments: dict[str, str]
    #: (heading's message key, [(text, target)]): a term (target: where it links) or a literal
    #: (target "")
    links: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


#: Relations shown under each term: (property, its heading's key in MESSAGES).
RELATIONS = ((RDFS.subClassOf, "def_subclass_of"), (RDFS.subPropertyOf, "def_subproperty_of"),
             (RDFS.domain, "def_domain"), (RDFS.range, "def_range"),
             (OWL.inverseOf, "def_inverse_of"), (OWL.equivalentClass, "def_equivalent_class"),
             (OWL.disjointWith, "def_disjoint_with"),
             (OWL.equivalentProperty, "def_equivalent_property"), (SKOS.broader, "def_broader"),
             (SKOS.notation, "def_notation"))

#: The page's sections: (anchor, its heading's key in MESSAGES, the types of its terms). The
#: anchors are the same in every language (a link to ``#object-properties`` holds in both).
KINDS = (("classes", "def_classes", (OWL.Class, RDFS.Class)),
         ("object-properties", "def_object_properties", (OWL.ObjectProperty,)),
         ("datatype-properties", "def_datatype_properties", (OWL.DatatypeProperty,)),
         ("annotation-properties", "def_annotation_properties", (OWL.AnnotationProperty,)),
         ("concept-schemes", "def_concept_schemes", (SKOS.ConceptScheme,)),
         ("concepts", "concepts", (SKOS.Concept,)))


def _term(g: Graph, s: URIRef, base: str) -> Term:
    iri = str(s)
    name = iri[len(base):] if iri.startswith(base) else Iris(base).curie(iri)
    name = name.removeprefix("def/")
    links = []
    for p, heading in RELATIONS:
        values = sorted((Iris(base).curie(str(o)), _anchor(str(o), base))
                        if isinstance(o, URIRef) else (str(o), "")  # a literal: text, no link
                        for o in g.objects(s, p))
        if values:
            links.append((heading, values))
    return Term(iri, name, texts(g, s, (RDFS.label, SKOS.prefLabel)),
                texts(g, s, (RDFS.comment, SKOS.definition)), links)


def _anchor(iri: str, base: str) -> str:
    """Where a term's name links: its section on the page, else the term itself."""
    if iri.startswith(base + "def/"):
        return "#" + iri[len(base + "def/"):]
    return iri


def sections(g: Graph, base: str) -> list[tuple[str, str, list[Term]]]:
    """The terms of the ontology grouped by kind, each sorted by name: ``[(anchor, heading's
    key, terms)]`` in the order of :data:`KINDS`, a kind without terms left out."""
    seen: set[URIRef] = set()
    out = []
    for anchor, key, types in KINDS:
        subjects = {s for t in types for s in g.subjects(RDF.type, t)
                    if isinstance(s, URIRef) and s not in seen}
        seen |= subjects
        if subjects:
            out.append((anchor, key, sorted((_term(g, s, base) for s in subjects),
                                            key=lambda t: t.iri)))
    return out


def render_html(g: Graph, base: str, lang: str) -> str:
    """The ontology document of ``g`` (the ontology graph), for the base IRI ``base``, in
    ``lang`` (one of :data:`~hldgraph.messages.LANGS`; else KeyError): its own words, its
    ``lang`` attribute, and links to the site's pages that keep ``?lang=``."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    ontology = URIRef(base + "def/")
    return env.get_template("def.html").render(
        iri=str(ontology), lang=lang, langs=LANGS,
        t=lambda key, **values: translate(key, lang, **values),
        titles=texts(g, ontology, (DCTERMS.title, RDFS.label)),
        descriptions=texts(g, ontology, (DCTERMS.description, RDFS.comment)),
        version=str(g.value(ontology, OWL.versionInfo) or ""),
        sections=sections(g, base))


def write(folder: Path, g: Graph, base: str) -> list[Path]:
    """Writes the ontology's page in every language into a build (or release) folder; returns
    their paths, English (def.html) first."""
    paths = []
    for lang in LANGS:
        path = Path(folder) / ontology_page(lang)
        path.write_text(render_html(g, base, lang), encoding="utf-8")
        paths.append(path)
    return paths
