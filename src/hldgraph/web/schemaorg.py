"""schema.org JSON-LD of the pages, for search engines.

What Google's rich results ask of an Event (name, startDate, location with its address;
eventStatus, description, organizers with a url) and of a Dataset
(https://developers.google.com/search/docs/appearance/structured-data/event and .../dataset)
is made here from the graph; the Dataset itself comes from the catalogue record.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from rdflib.namespace import DCTERMS, OWL, SKOS

from hldgraph.urls import ELI, ORG, SCHEMA
from hldgraph.web.http import get_settings, get_store
from hldgraph.web.i18n import date_span, translate
from hldgraph.web.links import LEAFLET_IRI, canonical_page, iris
from hldgraph.web.readmodel import RECORD, index, site
from hldgraph.web.schema_dataset import dataset_jsonld
from hldgraph.web.thing import Thing, Value


def _ref(t: Thing, v: Value, type_: str) -> dict[str, str]:
    rv = {"@type": type_, "@id": v.iri, "name": v.text}
    if iris().is_local(v.iri):  # a thing of this graph: its page
        with suppress(ValueError):  # an IRI of this base with no page has no url
            rv["url"] = canonical_page(v.iri)
    return rv


def schema_org(t: Thing, kind: str) -> dict[str, Any]:
    """The thing as schema.org JSON-LD (a dict for ``json.dumps``), for search engines.

    The dataset's own page carries the whole Dataset, as the landing page does.
    """
    if kind == "dataset":
        return {**dataset_markup(), "@context": "https://schema.org"}
    rv: dict[str, Any] = {"@context": "https://schema.org", "@id": str(t.iri), "name": t.label,
                          "url": canonical_page(t.iri), "inLanguage": t.lang}
    rv.update(_SCHEMA.get(kind, lambda t: {"@type": "Thing"})(t))
    return {k: v for k, v in rv.items() if v not in (None, "", [])}


def _schema_event(t: Thing) -> dict[str, Any]:
    place = next(iter(t.out(SCHEMA.location)), None)
    return {"@type": "Event", "startDate": t.text(SCHEMA.startDate),
            "endDate": t.text(SCHEMA.endDate),
            "eventStatus": "https://schema.org/EventScheduled",  # none was cancelled or moved
            "description": _event_description(t, place),
            "location": _location(t, place) if place else None,
            "organizer": [_ref(t, v, "Organization") for v in t.out(SCHEMA.organizer)],
            "sponsor": [_ref(t, v, "Organization") for v in t.out(SCHEMA.sponsor)],
            "superEvent": [_ref(t, v, "Event") for v in t.out(SCHEMA.superEvent)],
            "subEvent": [_ref(t, v, "Event") for v in t.out(SCHEMA.subEvent)],
            "about": [_ref(t, v, "DefinedTerm") for v in t.out(SCHEMA.about)],
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode"}


def _location(t: Thing, place: Value) -> dict[str, Any]:
    """The venue with its address: the city (the venue's label) and the country's ISO code."""
    rv: dict[str, Any] = _ref(t, place, "Place")
    known = index().places.get(place.iri)
    address = {"@type": "PostalAddress", "addressLocality": place.text,
               "addressCountry": known.country if known else ""}
    rv["address"] = {k: v for k, v in address.items() if v}
    return rv


def _event_description(t: Thing, place: Value | None) -> str:
    """A sentence of the event's facts: dates, venue, organisers (the graph has no abstract)."""
    event = next((e for e in index().events if e.iri == str(t.iri)), None)
    when = date_span(event.start, event.end, t.lang) if event else t.text(SCHEMA.startDate)
    where = f", {place.text}" if place else ""
    by = ", ".join(v.text for v in t.out(SCHEMA.organizer))
    summary = translate("event_summary", t.lang, name=t.label, when=when, where=where)
    return summary + (" " + translate("organised_by", t.lang, by=by) if by else "")


def _schema_catalog(t: Thing) -> dict[str, Any]:
    dataset = dataset_markup()
    return {"@type": "DataCatalog", "description": t.text(DCTERMS.description),
            "publisher": dataset.get("creator"),
            "dataset": [{k: dataset[k] for k in ("@type", "@id", "name", "url", "description")
                         if k in dataset}]}


def _schema_org(t: Thing) -> dict[str, Any]:
    return {"@type": "Organization",
            "alternateName": [v.text for v in t.out(SKOS.altLabel)],
            "sameAs": [v.iri for v in t.out(OWL.sameAs)],
            "parentOrganization": [_ref(t, v, "Organization")
                                   for v in t.out(ORG.subOrganizationOf)],
            "subOrganization": [_ref(t, v, "Organization")
                                for v in t.out(ORG.hasSubOrganization)]}


def _schema_place(t: Thing) -> dict[str, Any]:
    lat, lon = t.text(SCHEMA.latitude), t.text(SCHEMA.longitude)
    return {"@type": "Place", "sameAs": [v.iri for v in t.out(SCHEMA.sameAs)],
            "geo": {"@type": "GeoCoordinates", "latitude": float(lat), "longitude": float(lon)}
            if lat and lon else None,
            "address": {"@type": "PostalAddress", "addressCountry": t.text(SCHEMA.addressCountry)}
            if t.text(SCHEMA.addressCountry) else None}


def _schema_legislation(t: Thing) -> dict[str, Any]:
    return {"@type": "Legislation", "legislationIdentifier": t.text(ELI.id_local),
            "legislationDate": t.text(ELI.date_document),
            "text": t.text(DCTERMS.description),
            "isPartOf": [_ref(t, v, "Legislation") for v in t.out(ELI.is_part_of)],
            "hasPart": [_ref(t, v, "Legislation") for v in t.out(ELI.has_part)]}


def _schema_term(t: Thing) -> dict[str, Any]:
    return {"@type": "DefinedTerm", "termCode": t.text(SKOS.notation),
            "description": t.text(SKOS.definition),
            "inDefinedTermSet": [_ref(t, v, "DefinedTermSet") for v in t.out(SKOS.inScheme)]}


def _schema_scheme(t: Thing) -> dict[str, Any]:
    return {"@type": "DefinedTermSet",
            "hasDefinedTerm": [_ref(t, v, "DefinedTerm") for v in t.inc(SKOS.inScheme)]}


def _schema_work(t: Thing) -> dict[str, Any]:
    return {"@type": "CreativeWork", "description": t.text(DCTERMS.description),
            "datePublished": t.text(DCTERMS.issued),
            "publisher": [_ref(t, v, "Organization") for v in t.out(DCTERMS.publisher)],
            "isPartOf": [_ref(t, v, "CreativeWork") for v in t.out(DCTERMS.isPartOf)]}


_SCHEMA: dict[str, Callable[[Thing], dict[str, Any]]] = {
    "event": _schema_event, "org": _schema_org, "place": _schema_place,
    "resolution": _schema_legislation, "paragraph": _schema_legislation,
    "theme": _schema_term, "body-type": _schema_term, "event-category": _schema_term,
    "themes": _schema_scheme, "body-types": _schema_scheme, "event-categories": _schema_scheme,
    "initiative": _schema_work, "document": _schema_work, "work": _schema_work,
    "contact": lambda t: {"@type": "ContactPoint", "telephone": t.text(SCHEMA.telephone)},
    "catalog": _schema_catalog,
}


def dataset_markup() -> dict[str, Any]:
    """The schema.org Dataset markup of the landing page, made from the catalogue record."""
    i = iris()
    record = get_store().query(site().q(RECORD, graph=i.graph("catalog"),
                                        leaflet=i(LEAFLET_IRI))).graph
    return dataset_jsonld(get_settings(), record=record)

