"""Records -> the RDF dataset: one named graph for the leaflet's facts, one for editorial additions
and one for the ontology (docs/model.md). The fourth, the catalogue, describes these three and is
written by the next stage (:mod:`hldgraph.catalog`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from hldgraph.dataset import Built, new_dataset
from hldgraph.load import Data, Row, load_data
from hldgraph.settings import Settings
from hldgraph.urls import ELI, LANG, ORG, SCHEMA, WD, Iris, rebase
from hldgraph.versioning import state_version

GEONAMES = "https://sws.geonames.org/{}/"


class _Builder:
    def __init__(self, data: Data, iris: Iris) -> None:
        self.data, self.iris, self.hld = data, iris, iris.hld
        self.built = Built(new_dataset(iris), iris)
        self.source = self.built.graph("source")
        self.editorial = self.built.graph("editorial")
        self.leaflet = iris("id/document/leaflet")
        self.calendar = iris("id/document/calendar")
        self.hld_event = iris.event(str(data.leaflet["resolution"]["hld_event"]))

    def origin(self, iri: URIRef, row: Row) -> URIRef:
        self.built.origins[iri] = (row.file, row.line)
        return iri

    def fact(self, s: URIRef, p: URIRef, o: URIRef | Literal | str | None, lang: str = "") -> None:
        _add(self.source, s, p, o, lang)

    def note(self, s: URIRef, p: URIRef, o: URIRef | Literal | str | None, lang: str = "") -> None:
        _add(self.editorial, s, p, o, lang)

    def derived(self, s: URIRef, origin: URIRef | None = None) -> None:
        self.fact(s, PROV.wasDerivedFrom, origin or self.leaflet)


def _add(g: Graph, s: URIRef, p: URIRef, o: URIRef | Literal | str | None, lang: str) -> None:
    """Adds one triple; an empty cell adds nothing, a string becomes a (language-tagged) literal."""
    if o is None or o == "":
        return
    if isinstance(o, str) and not isinstance(o, URIRef | Literal):
        o = Literal(o, lang=lang or None)
    g.add((s, p, o))


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _events(b: _Builder) -> None:
    hld, iris = b.hld, b.iris
    for row in b.data.rows("events.csv"):
        e = b.origin(iris.event(row["id"]), row)
        is_hld = e == b.hld_event
        b.fact(e, RDF.type, SCHEMA.Event)
        b.fact(e, RDF.type, hld.HighLevelDialogue if is_hld else hld.PreparatoryEvent)
        b.fact(e, SCHEMA.name, row["title"], "en")
        b.fact(e, SCHEMA.startDate, _date(row.date("start")))
        b.fact(e, SCHEMA.endDate, _date(row.date("end")))
        b.fact(e, SCHEMA.location, iris.place(row["venue"]))
        b.fact(e, hld.calendarRow, Literal(row.int("row")))
        b.fact(e, hld.responsibleAsPrinted, row["responsible_as_printed"])
        b.fact(e, hld.dateAsPrinted, row["date_as_printed"])
        for body in row.list("organizers"):
            b.fact(e, SCHEMA.organizer, iris.org(body))
        for body in row.list("sponsors"):
            b.fact(e, SCHEMA.sponsor, iris.org(body))
        for parent in row.list("parent"):
            b.fact(e, SCHEMA.superEvent, iris.event(parent))
            b.fact(iris.event(parent), SCHEMA.subEvent, e)
        if not is_hld:
            b.fact(e, hld.preparatoryEventOf, b.hld_event)
        b.derived(e, b.calendar)
    for row in b.data.rows("event_editorial.csv"):
        e = iris.event(row["id"])
        for theme in row.list("themes"):
            b.note(e, SCHEMA.about, iris.theme(theme))
        if row["category"]:
            b.note(e, hld.category, iris(f"id/event-category/{row['category']}"))
        for parent in row.list("super_event"):
            b.note(e, SCHEMA.superEvent, iris.event(parent))
            b.note(iris.event(parent), SCHEMA.subEvent, e)
        b.note(e, SCHEMA.name, row["title_fr"], "fr")
        b.note(e, SKOS.editorialNote, row["note"], "en")


def _bodies(b: _Builder) -> None:
    iris = b.iris
    for row in b.data.rows("bodies.csv"):
        o = b.origin(iris.org(row["id"]), row)
        # a body the leaflet prints is typed there; one only the editors add, in their graph
        printed = bool(row.list("spellings"))
        (b.fact if printed else b.note)(o, RDF.type, ORG.Organization)
        for spelling in row.list("spellings"):
            b.fact(o, SKOS.altLabel, spelling)
        if printed:
            b.derived(o)
        if row["type"] != "office-holder":
            b.note(o, RDF.type, ORG.FormalOrganization)
        b.note(o, SKOS.prefLabel, row["name_en"], "en")
        b.note(o, SKOS.prefLabel, row["name_fr"], "fr")
        if row["acronym"] and row["acronym"] not in row.list("spellings"):
            b.note(o, SKOS.altLabel, row["acronym"])
        b.note(o, ORG.classification, iris(f"id/body-type/{row['type']}"))
        for parent in row.list("parent"):
            b.note(o, ORG.subOrganizationOf, iris.org(parent))
            b.note(iris.org(parent), ORG.hasSubOrganization, o)
        if row["wikidata"]:
            _same_as(b, o, WD[row["wikidata"]], checked=row["wikidata_checked"] == "yes")
        b.note(o, SKOS.editorialNote, row["note"], "en")


def _same_as(b: _Builder, s: URIRef, target: URIRef, checked: bool) -> None:
    """A checked identity link is asserted; an unchecked one is only a pointer (rdfs:seeAlso)."""
    if checked:
        b.note(s, SCHEMA.sameAs, target)
        b.note(s, OWL.sameAs, target)
    else:
        b.note(s, RDFS.seeAlso, target)


def _places(b: _Builder) -> None:
    for row in b.data.rows("places.csv"):
        p = b.origin(b.iris.place(row["id"]), row)
        b.fact(p, RDF.type, SCHEMA.Place)
        b.fact(p, SCHEMA.name, row["name_as_printed"], "en")
        b.derived(p, b.calendar)
        if row["name_en"] != row["name_as_printed"]:  # one name per language: the printed one
            b.note(p, SCHEMA.alternateName, row["name_en"], "en")
        b.note(p, SCHEMA.name, row["name_fr"], "fr")
        b.note(p, SCHEMA.addressCountry, row["country"])
        for column in ("latitude", "longitude"):
            value = row.decimal(column)
            if value is not None:
                b.note(p, SCHEMA[column], Literal(Decimal(row[column]), datatype=XSD.decimal))
        if row["wikidata"]:
            _same_as(b, p, WD[row["wikidata"]], checked=True)
        if row["geonames"]:
            b.note(p, SCHEMA.sameAs, URIRef(GEONAMES.format(row["geonames"])))


def _resolution(b: _Builder) -> None:
    res, meta = b.iris.resolution, b.data.leaflet["resolution"]
    b.fact(res, RDF.type, ELI.LegalResource)
    b.fact(res, RDFS.label, meta["symbol_as_printed"])
    b.derived(res)
    b.note(res, ELI.id_local, meta["symbol"])
    b.note(res, ELI.date_document, _date(meta["adopted"]))
    b.note(res, ELI.passed_by, b.iris.org(meta["adopted_by"]))
    b.note(res, ELI.title, meta["title_en"], "en")
    b.note(res, ELI.title, meta["title_fr"], "fr")
    b.fact(b.hld_event, b.hld.convenedBy, res)
    for key in ("hld_name_fr", "hld_abbreviation_fr", "hld_name_en", "hld_abbreviation_en"):
        b.fact(b.hld_event, SCHEMA.alternateName, meta[key], key[-2:])
    for row in b.data.rows("paragraphs.csv"):
        p = b.origin(b.iris.paragraph(row["number"]), row)
        b.fact(p, RDF.type, ELI.LegalResourceSubdivision)
        b.fact(p, ELI.number, row["number"])
        b.fact(p, ELI.is_part_of, res)
        b.fact(res, ELI.has_part, p)
        b.fact(p, DCTERMS.description, row["text_fr"], "fr")
        b.derived(p)
        b.note(p, DCTERMS.description, row["text_en"], "en")


def _initiatives(b: _Builder) -> None:
    hld = b.hld
    for row in b.data.rows("initiatives.csv"):
        i = b.origin(b.iris.initiative(row["number"]), row)
        b.fact(i, RDF.type, hld.Initiative)
        b.fact(i, RDF.type, PROV.Plan)
        b.fact(i, SCHEMA.position, Literal(row.int("number")))
        b.fact(i, DCTERMS.description, row["text_fr"], "fr")
        for number in row.list("paragraphs"):
            paragraph = b.iris.paragraph(number)
            b.fact(i, hld.envisagedBy, paragraph)
            b.fact(i, DCTERMS.source, paragraph)
            b.fact(paragraph, hld.envisages, i)
        for body in row.list("bodies"):
            b.fact(i, hld.involves, b.iris.org(body))
            b.fact(i, DCTERMS.relation, b.iris.org(body))
        b.derived(i)
        for lang in ("en", "fr"):
            b.note(i, RDFS.label, row[f"label_{lang}"], lang)
        b.note(i, DCTERMS.description, row["text_en"], "en")


def _themes(b: _Builder) -> None:
    scheme = b.iris("id/themes")
    b.fact(scheme, RDF.type, SKOS.ConceptScheme)
    b.derived(scheme)
    for p in (SKOS.prefLabel, DCTERMS.title):  # dct:title: DCAT-AP asks it of a scheme
        b.note(scheme, p, "Thematic areas of the High-Level Dialogue", "en")
        b.note(scheme, p, "Domaines thématiques du Dialogue de haut niveau", "fr")
    rows = b.data.by_id["themes.csv"]
    for row in b.data.rows("themes.csv"):
        c = b.origin(b.iris.theme(row["id"]), row)
        b.fact(c, RDF.type, SKOS.Concept)
        b.fact(c, SKOS.inScheme, scheme)
        b.fact(c, SKOS.prefLabel, row["label_fr"], "fr")
        b.note(c, SKOS.prefLabel, row["label_en"], "en")
        if row["broader"]:
            parent = b.iris.theme(row["broader"])
            b.fact(c, SKOS.broader, parent)
            b.fact(parent, SKOS.narrower, c)
            notation = f"{rows[row['broader']]['position']}.{row['position']}"
        else:
            b.fact(c, RDF.type, b.hld.ThematicArea)
            b.fact(c, SKOS.topConceptOf, scheme)
            b.fact(scheme, SKOS.hasTopConcept, c)
            notation = row["position"]
        b.fact(c, SKOS.notation, notation)
        b.derived(c)


#: ISO 639-1 codes of data/leaflet.toml -> the EU language authority's codes.
LANGUAGES = {"fr": "FRA", "en": "ENG"}


def _leaflet(b: _Builder) -> None:
    meta = b.data.leaflet
    doc, cal, iom = b.leaflet, b.calendar, b.iris.org(meta["leaflet"]["publisher"])
    for t in (SCHEMA.CreativeWork, FOAF.Document):
        b.fact(doc, RDF.type, t)
    b.fact(doc, DCTERMS.title, meta["leaflet"]["title"], "fr")
    b.fact(doc, DCTERMS.publisher, iom)
    b.fact(doc, DCTERMS.issued, Literal(str(meta["leaflet"]["issued"]), datatype=XSD.gYear))
    for key in ("language", "table_language"):
        b.fact(doc, DCTERMS.language, LANG[LANGUAGES[meta["leaflet"][key]]])
    b.fact(doc, DCTERMS.subject, b.hld_event)
    b.fact(cal, RDF.type, SCHEMA.CreativeWork)
    b.fact(cal, DCTERMS.title, meta["calendar"]["title"], "en")
    b.fact(cal, DCTERMS.date, _date(meta["calendar"]["as_of"]))
    b.fact(cal, DCTERMS.isPartOf, doc)
    b.fact(doc, DCTERMS.hasPart, cal)
    b.fact(cal, SKOS.note, meta["calendar"]["legend"], "en")
    _iom(b, iom, meta["iom"])
    for work in meta.get("work", []):
        w = b.iris(f"id/work/{work['slug']}")
        b.fact(w, RDF.type, SCHEMA.CreativeWork)
        b.fact(w, SCHEMA.name, work["name_fr"], "fr")
        b.fact(w, SCHEMA.creator, iom)
        if work.get("in_progress"):
            b.fact(w, SCHEMA.creativeWorkStatus, "en cours", "fr")
        b.derived(w)
        b.note(w, SCHEMA.name, work.get("name_en", ""), "en")
        b.note(w, SCHEMA.genre, work.get("kind", ""), "en")


def _iom(b: _Builder, iom: URIRef, meta: dict) -> None:
    contact = b.iris(f"id/contact/{meta['contact_slug']}")
    b.fact(iom, b.hld.presentInCountries, Literal(int(meta["countries"])))
    b.fact(iom, SCHEMA.url, URIRef(meta["contact_website"]))
    b.fact(iom, SCHEMA.contactPoint, contact)
    b.fact(contact, RDF.type, SCHEMA.ContactPoint)
    b.fact(contact, SCHEMA.name, meta["contact_name_fr"], "fr")
    b.fact(contact, SCHEMA.telephone, meta["contact_phone"])
    b.fact(contact, SCHEMA.url, URIRef(meta["contact_website"]))
    b.derived(contact)
    b.note(contact, SCHEMA.name, meta.get("contact_name_en", ""), "en")
    for n, text in enumerate(meta.get("statements_fr", []), start=1):
        claim = b.iris(f"id/statement/{n}")
        b.fact(claim, RDF.type, SCHEMA.Claim)
        b.fact(claim, SCHEMA.text, text, "fr")
        b.fact(claim, SCHEMA.about, iom)
        b.fact(claim, SCHEMA.position, Literal(n))
        b.derived(claim)


def _graph_provenance(b: _Builder) -> None:
    """Says of each named graph what it is, so the editorial part can be told apart."""
    catalog_graph = b.built.graph("catalog")
    editors = b.iris("id/agent/editors")
    catalog_graph.add((editors, RDF.type, PROV.Agent))
    catalog_graph.add((editors, RDF.type, FOAF.Agent))
    catalog_graph.add((editors, FOAF.name, Literal("hldgraph editors", lang="en")))
    for name in ("source", "editorial", "ontology"):
        g = b.iris.graph(name)
        catalog_graph.add((g, RDF.type, PROV.Entity))
        catalog_graph.add((g, PROV.wasDerivedFrom, b.leaflet))
    catalog_graph.add((b.iris.graph("editorial"), PROV.wasAttributedTo, editors))
    catalog_graph.add((b.iris.graph("source"), PROV.wasAttributedTo, b.iris.org("iom")))


def load_ontology(settings: Settings, iris: Iris) -> Graph:
    """ontology/*.ttl (and *.jsonld is not an ontology: skipped), rebased to ``iris.base``."""
    g = Graph()
    for path in sorted(Path(settings.ontology_dir).glob("*.ttl")):
        g.parse(data=rebase(path.read_text(encoding="utf-8"), iris.base), format="turtle")
    return g


def _materialise(b: _Builder, ontology: Graph) -> None:
    """States each value of an hld: property with the standard property it specialises too, in
    the same graph, so that clients that do not reason still read it (docs/model.md)."""
    for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
        if not str(sub).startswith(b.hld) or str(sup).startswith(b.iris.base):
            continue
        for g in (b.source, b.editorial):
            for s, o in list(g.subject_objects(sub)):
                g.add((s, sup, o))


STAGES = (_events, _bodies, _places, _resolution, _initiatives, _themes, _leaflet,
          _graph_provenance)


def build(data: Data, settings: Settings, version: str | None = None) -> Built:
    """Turns loaded records into the dataset's content graphs: source, editorial, ontology
    (of release ``version`` when one is being made: the ontology's version IRI names it)."""
    b = _Builder(data, Iris(settings.base_iri))
    for stage in STAGES:
        stage(b)
    ontology = b.built.graph("ontology")
    for triple in load_ontology(settings, b.iris):
        ontology.add(triple)
    _materialise(b, ontology)
    state_version(settings, ontology, version)
    return b.built


def build_content(settings: Settings, version: str | None = None) -> Built:
    """data/ and ontology/ -> the source, editorial and ontology graphs (no catalog graph yet:
    :func:`hldgraph.catalog.build_dataset` adds it)."""
    return build(load_data(Path(settings.data_dir)), settings, version)
