"""The SHACL shapes: a minimal correct record of every kind conforms, and breaking exactly one
thing in it makes pyshacl report exactly the constraint that protects that thing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/hld2006/"
ID = Namespace(BASE + "id/")
HLDSH = Namespace(BASE + "shapes/")

PREFIXES = f"""
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
PREFIX owl:    <http://www.w3.org/2002/07/owl#>
PREFIX dct:    <http://purl.org/dc/terms/>
PREFIX foaf:   <http://xmlns.com/foaf/0.1/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX org:    <http://www.w3.org/ns/org#>
PREFIX eli:    <http://data.europa.eu/eli/ontology#>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX wd:     <http://www.wikidata.org/entity/>
PREFIX lang:   <http://publications.europa.eu/resource/authority/language/>
PREFIX hld:    <{BASE}def/>
PREFIX id:     <{BASE}id/>
PREFIX ev:     <{BASE}id/event/>
PREFIX body:   <{BASE}id/org/>
PREFIX place:  <{BASE}id/place/>
PREFIX res:    <{BASE}id/resolution/>
PREFIX para:   <{BASE}id/resolution/a-res-60-227/para/>
PREFIX ini:    <{BASE}id/initiative/>
PREFIX theme:  <{BASE}id/theme/>
PREFIX md:     <{BASE}id/theme/migration-and-development/>
PREFIX doc:    <{BASE}id/document/>
PREFIX contact: <{BASE}id/contact/>
PREFIX bt:     <{BASE}id/body-type/>
PREFIX ec:     <{BASE}id/event-category/>
"""

# One correct record of every kind, small enough to read, linked the way the graph links them.
VALID = PREFIXES.replace("PREFIX ", "@prefix ").replace(">\n", "> .\n") + """
ev:50 a schema:Event , hld:HighLevelDialogue ;
    schema:name "HLD on Migration and Development"@en ;
    schema:startDate "2006-09-14"^^xsd:date ; schema:endDate "2006-09-15"^^xsd:date ;
    schema:location place:new-york ; schema:organizer body:unga ;
    hld:calendarRow 50 ; hld:responsibleAsPrinted "UNGA" ; hld:dateAsPrinted "Sept. 14-15" ;
    hld:category ec:un ; schema:about theme:migration-and-development ;
    schema:subEvent ev:49 ; hld:convenedBy res:a-res-60-227 ;
    schema:position 50 ; skos:note "UNGA" , "Sept. 14-15" ; dct:type ec:un ;
    dct:references res:a-res-60-227 ;
    prov:wasDerivedFrom doc:calendar .

ev:49 a schema:Event , hld:PreparatoryEvent ;
    schema:name "HLD Side Event: Capacity Building on Migration for Development"@en ,
        "Manifestation parallèle du DHN : renforcement des capacités"@fr ;
    schema:startDate "2006-09-15"^^xsd:date ; schema:endDate "2006-09-15"^^xsd:date ;
    schema:location place:new-york ; schema:organizer body:iom ; schema:sponsor body:unga ;
    hld:calendarRow 49 ; hld:responsibleAsPrinted "IOM" ; hld:dateAsPrinted "Sept. 15" ;
    hld:category ec:iom ; schema:about md:1 ;
    schema:superEvent ev:50 ; hld:preparatoryEventOf ev:50 ;
    schema:position 49 ; skos:note "IOM" , "Sept. 15" ; dct:type ec:iom ; dct:relation ev:50 ;
    prov:wasDerivedFrom doc:calendar .

body:iom a org:Organization , org:FormalOrganization ;
    skos:prefLabel "International Organization for Migration"@en ,
        "Organisation internationale pour les migrations"@fr ;
    skos:altLabel "IOM" ; org:classification bt:intergovernmental-organisation ;
    schema:sameAs wd:Q123 ; owl:sameAs wd:Q123 ; hld:presentInCountries 118 ;
    schema:contactPoint contact:observer ;
    skos:editorialNote "Read as the organisation, not its office."@en .

body:unga a org:Organization , org:FormalOrganization ;
    skos:prefLabel "United Nations General Assembly"@en ; skos:altLabel "UNGA"@en ;
    org:classification bt:un-body ; org:hasSubOrganization body:ga-president .

body:ga-president a org:Organization ;
    skos:prefLabel "President of the General Assembly"@en ;
    org:classification bt:office-holder ; org:subOrganizationOf body:unga .

place:new-york a schema:Place ;
    schema:name "New York"@en , "New York"@fr ; schema:addressCountry "US" ;
    schema:latitude 40.71 ; schema:longitude -74.01 ;
    schema:sameAs wd:Q60 , <https://sws.geonames.org/5128581/> .

res:a-res-60-227 a eli:LegalResource ;
    eli:id_local "A/RES/60/227" ; eli:date_document "2005-12-23"^^xsd:date ;
    eli:title "International migration and development"@en ; eli:has_part para:15 .

para:15 a eli:LegalResourceSubdivision ;
    eli:number "15" ; eli:is_part_of res:a-res-60-227 ;
    hld:envisages ini:1 ; dct:relation ini:1 ;
    dct:description "tableau détaillé des études et analyses"@fr ,
        "comprehensive overview of studies and analyses"@en .

ini:1 a hld:Initiative , prov:Plan ;
    schema:position 1 ; rdfs:label "Overview of studies"@en ;
    dct:description "L'établissement, par le Secrétaire général, d'un tableau détaillé"@fr ;
    hld:envisagedBy para:15 ; dct:source para:15 ;
    hld:involves body:unga ; dct:relation body:unga .

contact:observer a schema:ContactPoint ;
    schema:name "Bureau de l'Observateur permanent"@fr ; schema:telephone "(212) 681-7000" ;
    schema:url <http://www.un.int/iom> .

id:themes a skos:ConceptScheme ;
    skos:prefLabel "Thematic areas of the HLD"@en , "Domaines du DHN"@fr .

theme:migration-and-development a skos:Concept , hld:ThematicArea ;
    skos:prefLabel "Migration et développement"@fr , "Migration and development"@en ;
    skos:inScheme id:themes ; skos:topConceptOf id:themes ; skos:notation "1" ;
    skos:narrower md:1 .

md:1 a skos:Concept ;
    skos:prefLabel "veiller à la circulation des pratiques efficaces"@fr ,
        "Sharing effective practices"@en ;
    skos:inScheme id:themes ; skos:broader theme:migration-and-development ;
    skos:notation "1.1" .

doc:leaflet a schema:CreativeWork , foaf:Document ;
    dct:title "L'OIM et le Dialogue de haut niveau"@fr ; dct:publisher body:iom ;
    dct:language lang:FRA , lang:ENG ; dct:issued "2006"^^xsd:gYear .

doc:calendar a schema:CreativeWork ;
    dct:isPartOf doc:leaflet ; dct:date "2006-08-08"^^xsd:date .
"""


@dataclass(frozen=True)
class Break:
    """One thing broken in the valid record, and the violations it must cause: (shape,
    constraint component) on ``focus``, or (other focus, shape, component) where the break
    also breaks a record that links to it."""

    name: str
    update: str
    focus: str
    expected: tuple[tuple[str, ...], ...]
    #: validate with the ontology in the graph, as the build does
    ontology: bool = False
    #: the property a shape without sh:path reports
    path: str = ""

    def violations(self) -> set[tuple[str, str, str]]:
        return {(self.focus, *v) if len(v) == 2 else (v[0], v[1], v[2]) for v in self.expected}


def _b(name: str, update: str, focus: str, *expected: tuple[str, ...],
       ontology: bool = False, path: str = "") -> Break:
    return Break(name, update, focus, expected, ontology, path)


# Updates are SPARQL Update operations on the valid record (prefixes above).
BREAKS = [
    # ---- events
    _b("event title in French only", 'DELETE DATA { ev:50 schema:name "HLD on Migration and '
       'Development"@en } ; INSERT DATA { ev:50 schema:name "DHN"@fr }', "event/50",
       ("Event-name-en", "QualifiedMinCount")),
    _b("event title untagged", 'INSERT DATA { ev:50 schema:name "HLD" }', "event/50",
       ("Event-name", "LanguageIn")),
    _b("two English event titles", 'INSERT DATA { ev:50 schema:name "HLD"@en }', "event/50",
       ("Event-name", "UniqueLang")),
    _b("no start date", "DELETE WHERE { ev:49 schema:startDate ?d }", "event/49",
       ("Event-startDate", "MinCount")),
    _b("two start dates", 'INSERT DATA { ev:49 schema:startDate "2006-09-14"^^xsd:date }',
       "event/49", ("Event-startDate", "MaxCount")),
    _b("start date as text", 'DELETE WHERE { ev:49 schema:startDate ?d } ; '
       'INSERT DATA { ev:49 schema:startDate "2006-09-15" }', "event/49",
       # a text cannot be compared with dates either
       ("Event-startDate", "Datatype"), ("Event-startDate", "MinInclusive"),
       ("Event-startDate", "MaxInclusive"), ("Event-dateOrder", "SPARQL")),
    _b("malformed start date", 'DELETE WHERE { ev:49 schema:startDate ?d } ; '
       'INSERT DATA { ev:49 schema:startDate "2006-13-45"^^xsd:date }', "event/49",
       ("Event-startDate", "Datatype"), ("Event-startDate", "MinInclusive"),
       ("Event-startDate", "MaxInclusive")),
    _b("start date before 2006", 'DELETE WHERE { ev:49 schema:startDate ?d } ; '
       'INSERT DATA { ev:49 schema:startDate "2005-12-31"^^xsd:date }', "event/49",
       ("Event-startDate", "MinInclusive")),
    _b("start date after September 2006", 'DELETE WHERE { ev:49 schema:startDate ?d ; '
       'schema:endDate ?e } ; INSERT DATA { ev:49 schema:startDate "2006-10-01"^^xsd:date ; '
       'schema:endDate "2006-09-30"^^xsd:date }', "event/49",
       ("Event-startDate", "MaxInclusive"), ("Event-dateOrder", "SPARQL")),
    _b("end date before start date", 'DELETE WHERE { ev:50 schema:endDate ?d } ; '
       'INSERT DATA { ev:50 schema:endDate "2006-09-13"^^xsd:date }', "event/50",
       ("Event-dateOrder", "SPARQL")),
    _b("no end date", "DELETE WHERE { ev:50 schema:endDate ?d }", "event/50",
       ("Event-endDate", "MinCount")),
    _b("two end dates", 'INSERT DATA { ev:50 schema:endDate "2006-09-16"^^xsd:date }',
       "event/50", ("Event-endDate", "MaxCount")),
    _b("end date as a date-time", 'DELETE WHERE { ev:50 schema:endDate ?d } ; INSERT DATA '
       '{ ev:50 schema:endDate "2006-09-15T18:00:00"^^xsd:dateTime }', "event/50",
       ("Event-endDate", "Datatype"), ("Event-endDate", "MinInclusive"),
       ("Event-endDate", "MaxInclusive")),
    _b("end date before 2006", 'DELETE WHERE { ev:50 schema:startDate ?s ; schema:endDate ?e }'
       ' ; INSERT DATA { ev:50 schema:startDate "2006-01-01"^^xsd:date ; '
       'schema:endDate "2005-12-31"^^xsd:date }', "event/50",
       ("Event-endDate", "MinInclusive"), ("Event-dateOrder", "SPARQL")),
    _b("end date after September 2006", 'DELETE WHERE { ev:50 schema:endDate ?d } ; '
       'INSERT DATA { ev:50 schema:endDate "2006-10-01"^^xsd:date }', "event/50",
       ("Event-endDate", "MaxInclusive")),
    _b("no venue", "DELETE WHERE { ev:49 schema:location ?p }", "event/49",
       ("Event-location", "MinCount")),
    _b("two venues", "INSERT { ev:49 schema:location place:new-york2 . place:new-york2 ?p ?o }"
       " WHERE { place:new-york ?p ?o }", "event/49", ("Event-location", "MaxCount")),
    _b("venue not in the graph", "DELETE WHERE { ev:49 schema:location ?p } ; "
       "INSERT DATA { ev:49 schema:location place:nowhere }", "event/49",
       ("Event-location", "Class")),
    _b("no organizer", "DELETE WHERE { ev:49 schema:organizer ?o }", "event/49",
       ("Event-organizer", "MinCount")),
    _b("organizer not in the graph", "INSERT DATA { ev:49 schema:organizer body:unknown }",
       "event/49", ("Event-organizer", "Class")),
    _b("supporter not in the graph", "INSERT DATA { ev:49 schema:sponsor body:unknown }",
       "event/49", ("Event-sponsor", "Class")),
    _b("theme outside Encadré 1", "INSERT DATA { ev:49 schema:about bt:government }",
       "event/49", ("Event-about", "Node")),
    _b("no category", "DELETE WHERE { ev:49 hld:category ?c }", "event/49",
       ("Event-category", "MinCount")),
    _b("two categories", "INSERT DATA { ev:49 hld:category ec:un }", "event/49",
       ("Event-category", "MaxCount")),
    _b("category outside the legend", "DELETE WHERE { ev:49 hld:category ?c } ; "
       "INSERT DATA { ev:49 hld:category ec:blue }", "event/49", ("Event-category", "In")),
    _b("super-event not an event", "INSERT DATA { ev:49 schema:superEvent place:new-york . "
       "place:new-york schema:subEvent ev:49 }", "event/49",
       ("Event-superEvent", "Class")),
    _b("sub-event not an event", "INSERT DATA { ev:50 schema:subEvent body:iom . "
       "body:iom schema:superEvent ev:50 }", "event/50", ("Event-subEvent", "Class")),
    _b("super-event without the sub-event link back",
       "DELETE DATA { ev:50 schema:subEvent ev:49 }", "event/50",
       ("Event-subEvent-inverse", "Equals")),
    _b("sub-event without the super-event link back",
       "DELETE DATA { ev:49 schema:superEvent ev:50 }", "event/50",
       ("Event-subEvent-inverse", "Equals")),
    _b("no calendar row", "DELETE WHERE { ev:49 hld:calendarRow ?r }", "event/49",
       ("Event-calendarRow", "MinCount")),
    _b("two calendar rows", "INSERT DATA { ev:49 hld:calendarRow 48 }", "event/49",
       ("Event-calendarRow", "MaxCount")),
    _b("calendar row as text", 'DELETE WHERE { ev:49 hld:calendarRow ?r } ; '
       'INSERT DATA { ev:49 hld:calendarRow "49" }', "event/49",
       ("Event-calendarRow", "Datatype"), ("Event-calendarRow", "MinInclusive"),
       ("Event-calendarRow", "MaxInclusive")),
    _b("calendar row 0", "DELETE WHERE { ev:49 hld:calendarRow ?r } ; "
       "INSERT DATA { ev:49 hld:calendarRow 0 }", "event/49",
       ("Event-calendarRow", "MinInclusive")),
    _b("calendar row 51", "DELETE WHERE { ev:49 hld:calendarRow ?r } ; "
       "INSERT DATA { ev:49 hld:calendarRow 51 }", "event/49",
       ("Event-calendarRow", "MaxInclusive")),
    _b("no Responsible cell", "DELETE WHERE { ev:49 hld:responsibleAsPrinted ?r }",
       "event/49", ("Event-responsibleAsPrinted", "MinCount")),
    _b("two Responsible cells", 'INSERT DATA { ev:49 hld:responsibleAsPrinted "UNFPA" }',
       "event/49", ("Event-responsibleAsPrinted", "MaxCount")),
    _b("Responsible cell tagged", 'DELETE WHERE { ev:49 hld:responsibleAsPrinted ?r } ; '
       'INSERT DATA { ev:49 hld:responsibleAsPrinted "IOM"@en }', "event/49",
       ("Event-responsibleAsPrinted", "Datatype")),
    _b("no Date cell", "DELETE WHERE { ev:49 hld:dateAsPrinted ?d }", "event/49",
       ("Event-dateAsPrinted", "MinCount")),
    _b("two Date cells", 'INSERT DATA { ev:49 hld:dateAsPrinted "Sept. 16" }', "event/49",
       ("Event-dateAsPrinted", "MaxCount")),
    _b("Date cell as a date", 'DELETE WHERE { ev:49 hld:dateAsPrinted ?r } ; '
       'INSERT DATA { ev:49 hld:dateAsPrinted "2006-09-15"^^xsd:date }', "event/49",
       ("Event-dateAsPrinted", "Datatype")),
    _b("prepares two dialogues", "INSERT { ev:49 hld:preparatoryEventOf ev:51 . ev:51 ?p ?o }"
       " WHERE { ev:50 ?p ?o FILTER (?p != schema:subEvent) }", "event/49",
       ("Event-preparatoryEventOf", "MaxCount")),
    _b("prepares a non-dialogue", "DELETE WHERE { ev:49 hld:preparatoryEventOf ?e } ; "
       "INSERT DATA { ev:49 hld:preparatoryEventOf ev:48 }", "event/49",
       ("Event-preparatoryEventOf", "Class")),
    _b("not derived from the calendar", "DELETE WHERE { ev:49 prov:wasDerivedFrom ?d }",
       "event/49", ("Event-source", "HasValue")),
    _b("preparatory event not typed schema:Event",
       "DELETE DATA { ev:49 a schema:Event }", "event/49", ("PreparatoryEvent", "Class"),
       ("event/50", "Event-subEvent", "Class")),
    _b("preparatory event preparing nothing",
       "DELETE WHERE { ev:49 hld:preparatoryEventOf ?e }", "event/49",
       ("PreparatoryEvent-of", "MinCount")),
    _b("dialogue not typed schema:Event", "DELETE DATA { ev:50 a schema:Event }", "event/50",
       ("HighLevelDialogue", "Class"), ("event/49", "Event-superEvent", "Class")),
    _b("dialogue without its resolution", "DELETE WHERE { ev:50 hld:convenedBy ?r }",
       "event/50", ("HighLevelDialogue-convenedBy", "MinCount")),
    _b("dialogue with two resolutions", "INSERT { ev:50 hld:convenedBy res:other . "
       "res:other ?p ?o ; eli:has_part para:o . para:o ?q ?v ; eli:is_part_of res:other } "
       "WHERE { res:a-res-60-227 ?p ?o FILTER (?p != eli:has_part) "
       "para:15 ?q ?v FILTER (?q != eli:is_part_of) }", "event/50",
       ("HighLevelDialogue-convenedBy", "MaxCount")),
    _b("convened by a non-resolution", "DELETE WHERE { ev:50 hld:convenedBy ?r } ; "
       "INSERT DATA { ev:50 hld:convenedBy para:15 }", "event/50",
       ("HighLevelDialogue-convenedBy", "Class")),
    # ---- standard super-properties stated with the hld: ones
    _b("calendar row not stated as a position", "DELETE DATA { ev:49 schema:position 49 }",
       "event/49", ("Materialised", "SPARQL"), ontology=True, path=BASE + "def/calendarRow"),
    _b("category not stated as a type", "DELETE DATA { ev:50 dct:type ec:un }", "event/50",
       ("Materialised", "SPARQL"), ontology=True, path=BASE + "def/category"),
    _b("initiative envisaged not stated as related", "DELETE DATA { para:15 dct:relation "
       "ini:1 }", "resolution/a-res-60-227/para/15", ("Materialised", "SPARQL"),
       ontology=True, path=BASE + "def/envisages"),
    _b("a plain-schema.org client would miss the convening resolution",
       "DELETE DATA { ev:50 dct:references res:a-res-60-227 }", "event/50",
       ("Materialised", "SPARQL"), ontology=True, path=BASE + "def/convenedBy"),
    # ---- bodies
    _b("office holder typed formal organisation",
       "INSERT DATA { body:ga-president a org:FormalOrganization }", "org/ga-president",
       ("Body", "Xone")),
    _b("organisation not typed formal", "DELETE DATA { body:iom a org:FormalOrganization }",
       "org/iom", ("Body", "Xone")),
    _b("body name untagged", 'INSERT DATA { body:iom skos:prefLabel "OIM" }', "org/iom",
       ("Body-prefLabel", "LanguageIn")),
    _b("two English body names", 'INSERT DATA { body:iom skos:prefLabel "IOM"@en }',
       "org/iom", ("Body-prefLabel", "UniqueLang")),
    _b("body without English name", 'DELETE DATA { body:iom skos:prefLabel '
       '"International Organization for Migration"@en }', "org/iom",
       ("Body-prefLabel-en", "QualifiedMinCount")),
    _b("spelling tagged Spanish", 'INSERT DATA { body:iom skos:altLabel "OIM"@es }',
       "org/iom", ("Body-altLabel", "Or")),
    _b("body without type", "DELETE WHERE { body:iom org:classification ?t }", "org/iom",
       ("Body-classification", "MinCount")),
    _b("body with two types", "INSERT DATA { body:iom org:classification bt:un-body }",
       "org/iom", ("Body-classification", "MaxCount")),
    _b("body type outside the scheme", "DELETE WHERE { body:iom org:classification ?t } ; "
       "INSERT DATA { body:iom org:classification bt:company }", "org/iom",
       ("Body-classification", "In")),
    _b("parent body not in the graph", "INSERT DATA { body:iom org:subOrganizationOf "
       "body:un . body:un org:hasSubOrganization body:iom }", "org/iom",
       ("Body-subOrganizationOf", "Class")),
    _b("parent without the link back",
       "DELETE DATA { body:unga org:hasSubOrganization body:ga-president }",
       "org/ga-president", ("Body-subOrganizationOf-inverse", "Equals")),
    _b("child without the link up",
       "DELETE DATA { body:ga-president org:subOrganizationOf body:unga }",
       "org/ga-president", ("Body-subOrganizationOf-inverse", "Equals")),
    _b("two Wikidata items", "INSERT DATA { body:iom schema:sameAs wd:Q124 ; "
       "owl:sameAs wd:Q124 }", "org/iom", ("Body-sameAs", "MaxCount")),
    _b("sameAs outside Wikidata", "DELETE WHERE { body:iom schema:sameAs ?s ; owl:sameAs ?o }"
       " ; INSERT DATA { body:iom schema:sameAs <https://www.wikidata.org/wiki/Q123> ; "
       "owl:sameAs <https://www.wikidata.org/wiki/Q123> }", "org/iom",
       ("Body-sameAs", "Node")),
    _b("owl:sameAs without schema:sameAs", "DELETE WHERE { body:iom schema:sameAs ?s }",
       "org/iom", ("Body-owlSameAs", "Equals")),
    _b("editorial note untagged", 'INSERT DATA { body:iom skos:editorialNote "note" }',
       "org/iom", ("Body-editorialNote", "LanguageIn")),
    _b("body with a code", 'INSERT DATA { body:iom skos:notation "IOM" }', "org/iom",
       ("Body-notation", "MaxCount")),
    _b("two counts of countries", "INSERT DATA { body:iom hld:presentInCountries 120 }",
       "org/iom", ("Body-presentInCountries", "MaxCount")),
    _b("count of countries as text", 'DELETE WHERE { body:iom hld:presentInCountries ?n } ; '
       'INSERT DATA { body:iom hld:presentInCountries "118" }', "org/iom",
       ("Body-presentInCountries", "Datatype"), ("Body-presentInCountries", "MinInclusive")),
    _b("present in no country", "DELETE WHERE { body:iom hld:presentInCountries ?n } ; "
       "INSERT DATA { body:iom hld:presentInCountries 0 }", "org/iom",
       ("Body-presentInCountries", "MinInclusive")),
    # ---- contact point
    _b("contact name untagged", 'INSERT DATA { contact:observer schema:name "Bureau" }',
       "contact/observer", ("ContactPoint-name", "LanguageIn")),
    _b("two French contact names", 'INSERT DATA { contact:observer schema:name "Bureau"@fr }',
       "contact/observer", ("ContactPoint-name", "UniqueLang")),
    _b("contact name in English only", 'DELETE WHERE { contact:observer schema:name ?n } ; '
       'INSERT DATA { contact:observer schema:name "Office of the Permanent Observer"@en }',
       "contact/observer", ("ContactPoint-name-fr", "QualifiedMinCount")),
    _b("contact without telephone", "DELETE WHERE { contact:observer schema:telephone ?t }",
       "contact/observer", ("ContactPoint-telephone", "MinCount")),
    _b("contact with two telephones", 'INSERT DATA { contact:observer schema:telephone '
       '"(212) 681-7001" }', "contact/observer", ("ContactPoint-telephone", "MaxCount")),
    _b("telephone tagged", 'DELETE WHERE { contact:observer schema:telephone ?t } ; '
       'INSERT DATA { contact:observer schema:telephone "(212) 681-7000"@en }',
       "contact/observer", ("ContactPoint-telephone", "Datatype")),
    _b("telephone with words", 'DELETE WHERE { contact:observer schema:telephone ?t } ; '
       'INSERT DATA { contact:observer schema:telephone "call New York" }',
       "contact/observer", ("ContactPoint-telephone", "Pattern")),
    _b("web site as text", 'INSERT DATA { contact:observer schema:url "http://www.un.int" }',
       "contact/observer", ("ContactPoint-url", "NodeKind")),
    _b("web site not on the web", "INSERT DATA { contact:observer schema:url "
       "<mailto:iom@example.org> }", "contact/observer", ("ContactPoint-url", "Pattern")),
    # ---- places
    _b("venue name untagged", 'INSERT DATA { place:new-york schema:name "NYC" }',
       "place/new-york", ("Place-name", "LanguageIn")),
    _b("two English venue names", 'INSERT DATA { place:new-york schema:name "NYC"@en }',
       "place/new-york", ("Place-name", "UniqueLang")),
    _b("venue without English name", 'DELETE DATA { place:new-york schema:name '
       '"New York"@en }', "place/new-york", ("Place-name-en", "QualifiedMinCount")),
    _b("venue without country", "DELETE WHERE { place:new-york schema:addressCountry ?c }",
       "place/new-york", ("Place-addressCountry", "MinCount")),
    _b("venue with two countries", 'INSERT DATA { place:new-york schema:addressCountry "CA" }',
       "place/new-york", ("Place-addressCountry", "MaxCount")),
    _b("country tagged", 'DELETE WHERE { place:new-york schema:addressCountry ?c } ; '
       'INSERT DATA { place:new-york schema:addressCountry "US"@en }', "place/new-york",
       ("Place-addressCountry", "Datatype")),
    _b("country as a name", 'DELETE WHERE { place:new-york schema:addressCountry ?c } ; '
       'INSERT DATA { place:new-york schema:addressCountry "USA" }', "place/new-york",
       ("Place-addressCountry", "Pattern")),
    _b("venue without latitude", "DELETE WHERE { place:new-york schema:latitude ?l }",
       "place/new-york", ("Place-latitude", "MinCount")),
    _b("venue with two latitudes", "INSERT DATA { place:new-york schema:latitude 40.72 }",
       "place/new-york", ("Place-latitude", "MaxCount")),
    _b("latitude as a double", "DELETE WHERE { place:new-york schema:latitude ?l } ; "
       "INSERT DATA { place:new-york schema:latitude 40.71e0 }", "place/new-york",
       ("Place-latitude", "Datatype")),
    _b("latitude below -90", "DELETE WHERE { place:new-york schema:latitude ?l } ; "
       "INSERT DATA { place:new-york schema:latitude '-90.5'^^xsd:decimal }", "place/new-york",
       ("Place-latitude", "MinInclusive")),
    _b("latitude above 90", "DELETE WHERE { place:new-york schema:latitude ?l } ; "
       "INSERT DATA { place:new-york schema:latitude 90.5 }", "place/new-york",
       ("Place-latitude", "MaxInclusive")),
    _b("venue without longitude", "DELETE WHERE { place:new-york schema:longitude ?l }",
       "place/new-york", ("Place-longitude", "MinCount")),
    _b("venue with two longitudes",
       "INSERT DATA { place:new-york schema:longitude '-74.0'^^xsd:decimal }",
       "place/new-york", ("Place-longitude", "MaxCount")),
    _b("longitude as text", 'DELETE WHERE { place:new-york schema:longitude ?l } ; '
       'INSERT DATA { place:new-york schema:longitude "-74.01" }', "place/new-york",
       ("Place-longitude", "Datatype"), ("Place-longitude", "MinInclusive"),
       ("Place-longitude", "MaxInclusive")),
    _b("longitude below -180", "DELETE WHERE { place:new-york schema:longitude ?l } ; "
       "INSERT DATA { place:new-york schema:longitude '-180.5'^^xsd:decimal }", "place/new-york",
       ("Place-longitude", "MinInclusive")),
    _b("longitude above 180", "DELETE WHERE { place:new-york schema:longitude ?l } ; "
       "INSERT DATA { place:new-york schema:longitude 180.5 }", "place/new-york",
       ("Place-longitude", "MaxInclusive")),
    _b("venue identifier outside Wikidata and GeoNames", "INSERT DATA { place:new-york "
       "schema:sameAs <http://dbpedia.org/resource/New_York_City> }", "place/new-york",
       ("Place-sameAs", "Or")),
    _b("venue without Wikidata item", "DELETE DATA { place:new-york schema:sameAs wd:Q60 }",
       "place/new-york", ("Place-sameAs-wikidata", "QualifiedMinCount")),
    _b("venue with two Wikidata items", "INSERT DATA { place:new-york schema:sameAs wd:Q61 }",
       "place/new-york", ("Place-sameAs-wikidata", "QualifiedMaxCount")),
    _b("venue without GeoNames feature", "DELETE DATA { place:new-york schema:sameAs "
       "<https://sws.geonames.org/5128581/> }", "place/new-york",
       ("Place-sameAs-geonames", "QualifiedMinCount")),
    _b("venue with two GeoNames features", "INSERT DATA { place:new-york schema:sameAs "
       "<https://sws.geonames.org/5128582/> }", "place/new-york",
       ("Place-sameAs-geonames", "QualifiedMaxCount")),
    # ---- resolution and paragraphs
    _b("resolution without symbol", "DELETE WHERE { res:a-res-60-227 eli:id_local ?i }",
       "resolution/a-res-60-227", ("Resolution-idLocal", "MinCount")),
    _b("resolution with two symbols", 'INSERT DATA { res:a-res-60-227 eli:id_local '
       '"A/RES/60/228" }', "resolution/a-res-60-227", ("Resolution-idLocal", "MaxCount")),
    _b("symbol tagged", 'DELETE WHERE { res:a-res-60-227 eli:id_local ?i } ; INSERT DATA '
       '{ res:a-res-60-227 eli:id_local "A/RES/60/227"@en }', "resolution/a-res-60-227",
       ("Resolution-idLocal", "Datatype")),
    _b("symbol in another form", 'DELETE WHERE { res:a-res-60-227 eli:id_local ?i } ; '
       'INSERT DATA { res:a-res-60-227 eli:id_local "A/Res/60/227" }',
       "resolution/a-res-60-227", ("Resolution-idLocal", "Pattern")),
    _b("resolution without date", "DELETE WHERE { res:a-res-60-227 eli:date_document ?d }",
       "resolution/a-res-60-227", ("Resolution-dateDocument", "MinCount")),
    _b("resolution with two dates", 'INSERT DATA { res:a-res-60-227 eli:date_document '
       '"2005-12-22"^^xsd:date }', "resolution/a-res-60-227",
       ("Resolution-dateDocument", "MaxCount")),
    _b("resolution date as text", 'DELETE WHERE { res:a-res-60-227 eli:date_document ?d } ; '
       'INSERT DATA { res:a-res-60-227 eli:date_document "23 December 2005" }',
       "resolution/a-res-60-227", ("Resolution-dateDocument", "Datatype")),
    _b("resolution without title", "DELETE WHERE { res:a-res-60-227 eli:title ?t }",
       "resolution/a-res-60-227", ("Resolution-title", "MinCount")),
    _b("resolution title untagged", 'INSERT DATA { res:a-res-60-227 eli:title "Migration" }',
       "resolution/a-res-60-227", ("Resolution-title", "LanguageIn")),
    _b("two English resolution titles", 'INSERT DATA { res:a-res-60-227 eli:title '
       '"Migration"@en }', "resolution/a-res-60-227", ("Resolution-title", "UniqueLang")),
    _b("resolution without paragraphs", "DELETE WHERE { ?r eli:has_part ?p } ; "
       "DELETE WHERE { ?p eli:is_part_of ?r } ; "
       "DELETE WHERE { ?p a eli:LegalResourceSubdivision }", "resolution/a-res-60-227",
       ("Resolution-hasPart", "MinCount"), ("initiative/1", "Initiative-envisagedBy", "Class")),
    _b("paragraph not in the graph", "INSERT DATA { res:a-res-60-227 eli:has_part para:99 . "
       "para:99 eli:is_part_of res:a-res-60-227 }", "resolution/a-res-60-227",
       ("Resolution-hasPart", "Class")),
    _b("paragraph without the link down",
       "DELETE DATA { res:a-res-60-227 eli:has_part para:15 }", "resolution/a-res-60-227",
       ("Resolution-hasPart-inverse", "Equals"), ("Resolution-hasPart", "MinCount")),
    _b("paragraph without number", "DELETE WHERE { para:15 eli:number ?n }",
       "resolution/a-res-60-227/para/15", ("Paragraph-number", "MinCount")),
    _b("paragraph with two numbers", 'INSERT DATA { para:15 eli:number "16" }',
       "resolution/a-res-60-227/para/15", ("Paragraph-number", "MaxCount")),
    _b("paragraph the leaflet does not cite", 'DELETE WHERE { para:15 eli:number ?n } ; '
       'INSERT DATA { para:15 eli:number "12" }', "resolution/a-res-60-227/para/15",
       ("Paragraph-number", "In")),
    _b("paragraph number as an integer", "DELETE WHERE { para:15 eli:number ?n } ; "
       "INSERT DATA { para:15 eli:number 15 }", "resolution/a-res-60-227/para/15",
       ("Paragraph-number", "In")),
    _b("paragraph outside any resolution", "DELETE WHERE { para:15 eli:is_part_of ?r }",
       "resolution/a-res-60-227/para/15", ("Paragraph-isPartOf", "MinCount"),
       ("resolution/a-res-60-227", "Resolution-hasPart-inverse", "Equals")),
    _b("paragraph in two resolutions", "INSERT DATA { para:15 eli:is_part_of res:other . "
       "res:other eli:has_part para:15 }", "resolution/a-res-60-227/para/15",
       ("Paragraph-isPartOf", "MaxCount"), ("Paragraph-isPartOf", "Class")),
    _b("paragraph text untagged", 'INSERT DATA { para:15 dct:description "texte" }',
       "resolution/a-res-60-227/para/15", ("Paragraph-description", "LanguageIn")),
    _b("two French paragraph texts", 'INSERT DATA { para:15 dct:description "texte"@fr }',
       "resolution/a-res-60-227/para/15", ("Paragraph-description", "UniqueLang")),
    _b("paragraph without French text", 'DELETE DATA { para:15 dct:description '
       '"tableau détaillé des études et analyses"@fr }', "resolution/a-res-60-227/para/15",
       ("Paragraph-description-fr", "QualifiedMinCount")),
    # ---- initiatives
    _b("initiative not typed prov:Plan", "DELETE DATA { ini:1 a prov:Plan }", "initiative/1",
       ("Initiative", "Class")),
    _b("initiative without number", "DELETE WHERE { ini:1 schema:position ?p }",
       "initiative/1", ("Initiative-position", "MinCount")),
    _b("initiative with two numbers", "INSERT DATA { ini:1 schema:position 2 }",
       "initiative/1", ("Initiative-position", "MaxCount")),
    _b("initiative number as text", 'DELETE WHERE { ini:1 schema:position ?p } ; '
       'INSERT DATA { ini:1 schema:position "1" }', "initiative/1",
       ("Initiative-position", "Datatype"), ("Initiative-position", "MinInclusive"),
       ("Initiative-position", "MaxInclusive")),
    _b("initiative number 0", "DELETE WHERE { ini:1 schema:position ?p } ; "
       "INSERT DATA { ini:1 schema:position 0 }", "initiative/1",
       ("Initiative-position", "MinInclusive")),
    _b("initiative number 8", "DELETE WHERE { ini:1 schema:position ?p } ; "
       "INSERT DATA { ini:1 schema:position 8 }", "initiative/1",
       ("Initiative-position", "MaxInclusive")),
    _b("initiative citing no paragraph", "DELETE WHERE { ini:1 hld:envisagedBy ?p ; "
       "dct:source ?s }", "initiative/1", ("Initiative-envisagedBy", "MinCount")),
    _b("initiative citing an undescribed paragraph", "INSERT DATA { ini:1 hld:envisagedBy "
       "para:16 ; dct:source para:16 }", "initiative/1", ("Initiative-envisagedBy", "Class")),
    _b("cited paragraph not stated as source", "DELETE WHERE { ini:1 dct:source ?s }",
       "initiative/1", ("Initiative-envisagedBy", "Equals")),
    _b("body named by an initiative not in the graph", "INSERT DATA { ini:1 hld:involves "
       "body:sg ; dct:relation body:sg }", "initiative/1", ("Initiative-involves", "Class")),
    _b("named body not stated as relation", "DELETE WHERE { ini:1 dct:relation ?r }",
       "initiative/1", ("Initiative-involves", "Equals")),
    _b("initiative text untagged", 'INSERT DATA { ini:1 dct:description "texte" }',
       "initiative/1", ("Initiative-description", "LanguageIn")),
    _b("two French initiative texts", 'INSERT DATA { ini:1 dct:description "texte"@fr }',
       "initiative/1", ("Initiative-description", "UniqueLang")),
    _b("initiative without French text", 'DELETE WHERE { ini:1 dct:description ?d } ; '
       'INSERT DATA { ini:1 dct:description "The Secretary-General\'s overview"@en }',
       "initiative/1", ("Initiative-description-fr", "QualifiedMinCount")),
    _b("initiative without label", "DELETE WHERE { ini:1 rdfs:label ?l }", "initiative/1",
       ("Initiative-label", "MinCount")),
    _b("initiative label untagged", 'INSERT DATA { ini:1 rdfs:label "Overview" }',
       "initiative/1", ("Initiative-label", "LanguageIn")),
    _b("two English initiative labels", 'INSERT DATA { ini:1 rdfs:label "Overview"@en }',
       "initiative/1", ("Initiative-label", "UniqueLang")),
    # ---- thematic areas
    _b("scheme name untagged", 'INSERT DATA { id:themes skos:prefLabel "Themes" }', "themes",
       ("ConceptScheme-prefLabel", "LanguageIn")),
    _b("two English scheme names", 'INSERT DATA { id:themes skos:prefLabel "Themes"@en }',
       "themes", ("ConceptScheme-prefLabel", "UniqueLang")),
    _b("scheme without English name", 'DELETE DATA { id:themes skos:prefLabel '
       '"Thematic areas of the HLD"@en }', "themes", ("ConceptScheme-prefLabel-en",
                                                "QualifiedMinCount")),
    _b("area not typed skos:Concept",
       "DELETE DATA { theme:migration-and-development a skos:Concept }",
       "theme/migration-and-development", ("ThemeConcept", "Class")),
    _b("sub-point not typed skos:Concept", "DELETE DATA { md:1 a skos:Concept }",
       "theme/migration-and-development/1", ("ThemeConcept", "Class")),
    _b("theme label untagged", 'INSERT DATA { theme:migration-and-development skos:prefLabel '
       '"Migration" }', "theme/migration-and-development",
       ("ThemeConcept-prefLabel", "LanguageIn")),
    _b("two French theme labels", 'INSERT DATA { theme:migration-and-development '
       'skos:prefLabel "Migration"@fr }', "theme/migration-and-development",
       ("ThemeConcept-prefLabel", "UniqueLang")),
    _b("theme without French label", 'DELETE DATA { theme:migration-and-development '
       'skos:prefLabel "Migration et développement"@fr }', "theme/migration-and-development",
       ("ThemeConcept-prefLabel-fr", "QualifiedMinCount")),
    _b("theme without English label", 'DELETE DATA { theme:migration-and-development '
       'skos:prefLabel "Migration and development"@en }', "theme/migration-and-development",
       ("ThemeConcept-prefLabel-en", "QualifiedMinCount")),
    _b("theme outside the scheme", "DELETE DATA { md:1 skos:inScheme id:themes }",
       "theme/migration-and-development/1", ("ThemeConcept-inScheme", "HasValue"),
       ("event/49", "Event-about", "Node")),
    _b("theme without number", "DELETE WHERE { theme:migration-and-development "
       "skos:notation ?n }", "theme/migration-and-development",
       ("ThemeConcept-notation", "MinCount")),
    _b("theme with two numbers", 'INSERT DATA { theme:migration-and-development '
       'skos:notation "2" }', "theme/migration-and-development",
       ("ThemeConcept-notation", "MaxCount")),
    _b("theme number not a number", 'DELETE WHERE { theme:migration-and-development '
       'skos:notation ?n } ; INSERT DATA { theme:migration-and-development '
       'skos:notation "I" }', "theme/migration-and-development",
       ("ThemeConcept-notation", "Pattern")),
    _b("area not a top concept", "DELETE WHERE { theme:migration-and-development "
       "skos:topConceptOf ?s }", "theme/migration-and-development",
       ("ThematicArea-topConceptOf", "HasValue"),
       ("theme/migration-and-development/1", "SubPoint-broader", "Node")),
    _b("area top concept of two schemes", "INSERT DATA { theme:migration-and-development "
       "skos:topConceptOf id:body-types }", "theme/migration-and-development",
       ("ThematicArea-topConceptOf", "MaxCount")),
    _b("area with a broader concept", "INSERT DATA { theme:migration-and-development "
       "skos:broader theme:migration-and-development }", "theme/migration-and-development",
       ("ThematicArea-broader", "MaxCount"), ("SubPoint-topConceptOf", "MaxCount"),
       ("SubPoint-notation", "Pattern"), ("ThematicArea-narrower-inverse", "Equals")),
    _b("area without the narrower link", "DELETE WHERE { theme:migration-and-development "
       "skos:narrower ?n }", "theme/migration-and-development",
       ("ThematicArea-narrower-inverse", "Equals")),
    _b("sub-point with two areas", "INSERT DATA { md:1 skos:broader theme:labour . "
       "theme:labour skos:topConceptOf id:themes ; skos:narrower md:1 }",
       "theme/migration-and-development/1", ("SubPoint-broader", "MaxCount")),
    _b("sub-point under a sub-point", "INSERT DATA { theme:x skos:broader md:1 ; "
       'a skos:Concept ; skos:inScheme id:themes ; skos:prefLabel "x"@fr , "x"@en ; '
       'skos:notation "1.1" . md:1 skos:narrower theme:x }', "theme/x",
       ("SubPoint-broader", "Node")),
    _b("sub-point as top concept", "INSERT DATA { md:1 skos:topConceptOf id:themes }",
       "theme/migration-and-development/1",
       ("SubPoint-topConceptOf", "MaxCount")),
    _b("sub-point numbered like an area", "DELETE WHERE { md:1 skos:notation ?n } ; "
       "INSERT DATA { md:1 skos:notation '2' }", "theme/migration-and-development/1",
       ("SubPoint-notation", "Pattern")),
    # ---- the leaflet and its calendar
    _b("leaflet not a creative work", "DELETE DATA { doc:leaflet a "
       "schema:CreativeWork }", "document/leaflet", ("Leaflet", "Class")),
    _b("leaflet not a document", "DELETE DATA { doc:leaflet a foaf:Document }",
       "document/leaflet", ("Leaflet", "Class")),
    _b("leaflet title untagged", 'INSERT DATA { doc:leaflet dct:title "OIM" }',
       "document/leaflet", ("Leaflet-title", "LanguageIn")),
    _b("two French leaflet titles", 'INSERT DATA { doc:leaflet dct:title "OIM"@fr }',
       "document/leaflet", ("Leaflet-title", "UniqueLang")),
    _b("leaflet title in English only", 'DELETE WHERE { doc:leaflet dct:title ?t } ;'
       ' INSERT DATA { doc:leaflet dct:title "IOM and the HLD"@en }',
       "document/leaflet", ("Leaflet-title-fr", "QualifiedMinCount")),
    _b("leaflet without publisher", "DELETE WHERE { doc:leaflet dct:publisher ?p }",
       "document/leaflet", ("Leaflet-publisher", "MinCount")),
    _b("leaflet with two publishers", "INSERT DATA { doc:leaflet dct:publisher "
       "body:unga }", "document/leaflet", ("Leaflet-publisher", "MaxCount")),
    _b("publisher not in the graph", "DELETE WHERE { doc:leaflet dct:publisher ?p }"
       " ; INSERT DATA { doc:leaflet dct:publisher body:oim }", "document/leaflet",
       ("Leaflet-publisher", "Class")),
    _b("leaflet without language", "DELETE WHERE { doc:leaflet dct:language ?l }",
       "document/leaflet", ("Leaflet-language", "MinCount")),
    _b("language as a code", 'INSERT DATA { doc:leaflet dct:language "FRA" }',
       "document/leaflet", ("Leaflet-language", "NodeKind"), ("Leaflet-language", "Pattern")),
    _b("language outside the EU table", "INSERT DATA { doc:leaflet dct:language "
       "<http://id.loc.gov/vocabulary/iso639-2/fre> }", "document/leaflet",
       ("Leaflet-language", "Pattern")),
    _b("leaflet without year", "DELETE WHERE { doc:leaflet dct:issued ?y }",
       "document/leaflet", ("Leaflet-issued", "MinCount")),
    _b("leaflet with two years", 'INSERT DATA { doc:leaflet dct:issued '
       '"2007"^^xsd:gYear }', "document/leaflet", ("Leaflet-issued", "MaxCount")),
    _b("leaflet year as text", 'DELETE WHERE { doc:leaflet dct:issued ?y } ; '
       'INSERT DATA { doc:leaflet dct:issued "2006" }', "document/leaflet",
       ("Leaflet-issued", "Datatype")),
    _b("calendar outside the leaflet", "DELETE WHERE { doc:calendar dct:isPartOf "
       "?l }", "document/calendar", ("Calendar-isPartOf", "HasValue")),
    _b("calendar without date", "DELETE WHERE { doc:calendar dct:date ?d }",
       "document/calendar", ("Calendar-date", "MinCount")),
    _b("calendar with two dates", 'INSERT DATA { doc:calendar dct:date '
       '"2006-08-09"^^xsd:date }', "document/calendar", ("Calendar-date", "MaxCount")),
    _b("calendar date as text", 'DELETE WHERE { doc:calendar dct:date ?d } ; '
       'INSERT DATA { doc:calendar dct:date "as of August 8, 2006" }',
       "document/calendar", ("Calendar-date", "Datatype")),
]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def vocabularies() -> Graph:
    return Graph().parse(ROOT / "ontology" / "vocabularies.ttl", format="turtle")


def _record(vocabularies: Graph, ontology: bool = False) -> Graph:
    # rdflib binds schema: to https://schema.org/ by default, and that binding would win over
    # the PREFIX of the updates below.
    graph = Graph(bind_namespaces="none").parse(data=VALID, format="turtle")
    # The fixed schemes are part of the published graph. The ontology is too, but is left out
    # unless asked for, so that a class the record fails to assert is not inferred from it.
    for triple in vocabularies:
        graph.add(triple)
    if ontology:
        graph.parse(ROOT / "ontology" / "hld.ttl", format="turtle")
    return graph


def _path(graph: Graph, node: object) -> object:
    """A property path comparable across graphs (inverse paths are blank nodes)."""
    if isinstance(node, BNode):
        return ("inverse", graph.value(node, SH.inversePath))
    return node


def _violations(data: Graph, shapes: Graph) -> set[tuple[str, str, str, object]]:
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    found = set()
    # Results of nested shapes (sh:detail) are explained by the result that holds them.
    for result in report.objects(None, SH.result):
        shape = report.value(result, SH.sourceShape)
        component = str(report.value(result, SH.sourceConstraintComponent))
        found.add((str(report.value(result, SH.focusNode))[len(BASE + "id/"):],
                   str(shape)[len(HLDSH):],
                   component.removeprefix(str(SH)).removesuffix("ConstraintComponent"),
                   _path(report, report.value(result, SH.resultPath))))
    assert conforms == (not found)
    return found


def test_the_valid_record_conforms(shapes: Graph, vocabularies: Graph) -> None:
    assert _violations(_record(vocabularies), shapes) == set()


def test_the_valid_record_conforms_with_the_ontology(shapes: Graph, vocabularies: Graph) -> None:
    """The published graph holds the ontology too: its terms must not be taken for records."""
    assert _violations(_record(vocabularies, ontology=True), shapes) == set()


@pytest.mark.parametrize("case", BREAKS, ids=[b.name for b in BREAKS])
def test_each_break_is_reported_by_its_constraint(case: Break, shapes: Graph,
                                                  vocabularies: Graph) -> None:
    data = _record(vocabularies, case.ontology)
    before = set(data)
    data.update(PREFIXES + case.update)
    assert set(data) != before, "the update changed nothing"
    expected = {(focus, shape, component,
                 _path(shapes, shapes.value(HLDSH[shape], SH.path)) or URIRef(case.path) or None)
                for focus, shape, component in case.violations()}
    assert _violations(data, shapes) == expected


def _top_level_shapes(shapes: Graph) -> set[URIRef]:
    targeted = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                            SH.targetObjectsOf, SH.target) for s in shapes.subjects(p, None)}
    properties = {o for s in targeted for o in shapes.objects(s, SH.property)}
    return targeted | properties


# Constraint parameters and the component that reports them.
PARAMETERS = {
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH.datatype: "Datatype",
    SH["class"]: "Class", SH.node: "Node", SH["in"]: "In", SH.pattern: "Pattern",
    SH.languageIn: "LanguageIn", SH.uniqueLang: "UniqueLang", SH.hasValue: "HasValue",
    SH.equals: "Equals", SH.lessThanOrEquals: "LessThanOrEquals", SH.sparql: "SPARQL",
    SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive",
    SH.nodeKind: "NodeKind", SH["or"]: "Or", SH.xone: "Xone",
    SH.qualifiedMinCount: "QualifiedMinCount", SH.qualifiedMaxCount: "QualifiedMaxCount",
}


def test_every_constraint_is_made_to_fail_by_some_break(shapes: Graph) -> None:
    constraints = {(str(s)[len(HLDSH):], component)
                   for s in _top_level_shapes(shapes)
                   for p, component in PARAMETERS.items() if (s, p, None) in shapes}
    broken = {(shape, component) for case in BREAKS for _, shape, component in case.violations()}
    assert constraints - broken == set()
    assert broken - constraints == set()


def test_every_shape_has_a_name_and_a_message(shapes: Graph) -> None:
    every = _top_level_shapes(shapes) | set(shapes.subjects(RDF.type, SH.NodeShape)) | {
        o for p in (SH.node, SH.qualifiedValueShape, SH.property) for o in shapes.objects(None, p)}
    assert len(every) > 50
    unnamed = []
    for shape in every:
        assert isinstance(shape, URIRef), f"anonymous shape {shape}: give it an IRI"
        for predicate in (SH.name, SH.message):
            values = list(shapes.objects(shape, predicate))
            if predicate == SH.message:  # a SPARQL constraint's own message speaks for its shape
                values += [m for c in shapes.objects(shape, SH.sparql)
                           for m in shapes.objects(c, SH.message)]
            if not any(isinstance(v, Literal) and v.language == "en" and len(v) > 2
                       for v in values):
                unnamed.append(f"{shape} {predicate}")
    assert not unnamed, unnamed


def test_no_constraint_is_listed_twice(shapes: Graph) -> None:
    """Property shapes are reached once each, so a violation names one shape."""
    reached = [o for _, o in shapes.subject_objects(SH.property)]
    assert len(reached) == len(set(reached))
