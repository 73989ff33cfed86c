"""The ontology as a readable HTML page (def.html), made from ontology/ at build time.

One section per class, property and concept scheme, each with its labels and comments in English
and French; every term has an anchor named after it, so that ``def/Initiative`` resolves to
``doc/def.html#Initiative``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from hldgraph.distributions import ONTOLOGY_PAGE
from hldgraph.labels import texts
from hldgraph.urls import Iris

FILE_NAME = ONTOLOGY_PAGE
TEMPLATES = Path(__file__).parent / "web" / "templates"
LANGS = ("en", "fr")


@dataclass
class Term:
    """A class, property or concept of the ontology, as the page shows it."""

    iri: str
    name: str  # the anchor: the local name, or a CURIE for terms outside the ontology
    labels: dict[str, str]
    comments: dict[str, str]
    #: (heading, [(text, target)]): a term (target: where it links) or a literal (target "")
    links: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


#: Relations shown under each term: (property, heading).
RELATIONS = ((RDFS.subClassOf, "subclass of"), (RDFS.subPropertyOf, "subproperty of"),
             (RDFS.domain, "domain"), (RDFS.range, "range"), (OWL.inverseOf, "inverse of"),
             (OWL.equivalentClass, "equivalent class"), (OWL.disjointWith, "disjoint with"),
             (OWL.equivalentProperty, "equivalent property"), (SKOS.broader, "broader"),
             (SKOS.notation, "notation"))


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


def sections(g: Graph, base: str) -> list[tuple[str, list[Term]]]:
    """The terms of the ontology grouped by kind, each sorted by name."""
    kinds = (("Classes", (OWL.Class, RDFS.Class)),
             ("Object properties", (OWL.ObjectProperty,)),
             ("Datatype properties", (OWL.DatatypeProperty,)),
             ("Annotation properties", (OWL.AnnotationProperty,)),
             ("Concept schemes", (SKOS.ConceptScheme,)),
             ("Concepts", (SKOS.Concept,)))
    seen: set[URIRef] = set()
    out = []
    for heading, types in kinds:
        subjects = {s for t in types for s in g.subjects(RDF.type, t)
                    if isinstance(s, URIRef) and s not in seen}
        seen |= subjects
        if subjects:
            out.append((heading, sorted((_term(g, s, base) for s in subjects),
                                        key=lambda t: t.iri)))
    return out


def render_html(g: Graph, base: str) -> str:
    """The ontology document of ``g`` (the ontology graph), for the base IRI ``base``."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    ontology = URIRef(base + "def/")
    return env.get_template("def.html").render(
        iri=str(ontology), langs=LANGS,
        titles=texts(g, ontology, (DCTERMS.title, RDFS.label)),
        descriptions=texts(g, ontology, (DCTERMS.description, RDFS.comment)),
        version=str(g.value(ontology, OWL.versionInfo) or ""),
        sections=sections(g, base))


def write(folder: Path, g: Graph, base: str) -> Path:
    """Writes def.html into a build folder."""
    path = Path(folder) / FILE_NAME
    path.write_text(render_html(g, base), encoding="utf-8")
    return path
