"""The schema.org ``Dataset`` markup that the landing page embeds, made from the catalogue record.

The record (graph/catalog of the served build) is the one description of the dataset; this says it
in schema.org terms for search engines (https://schema.org/Dataset, Google's Dataset rich results).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDFS
from rdflib.term import Node

from hldgraph.dist import last_good, read_record
from hldgraph.distributions import DCAT3, DOWNLOADS, Download, Record
from hldgraph.labels import choose, texts
from hldgraph.settings import Settings
from hldgraph.urls import Iris


def dataset_jsonld(settings: Settings, record: Graph | None = None) -> dict[str, Any]:
    """The schema.org ``Dataset`` (a dict for ``json.dumps``) that the landing page embeds.

    ``record`` defaults to the record of the last good build in ``settings.dist_dir``.
    """
    iris = Iris(settings.base_iri)
    if record is None:
        folder = last_good(Path(settings.dist_dir))
        record = read_record(folder, iris) if folder else Graph()
    return schema_dataset(record, iris)

def schema_dataset(record: Graph, iris: Iris) -> dict[str, Any]:
    """The DCAT-AP record said in schema.org terms."""
    rec = Record(iris)
    d = rec.dataset

    def en(s: Node | None, p: URIRef) -> str:  # search engines are given the English text
        return choose(texts(record, s, (p,)), "en") or ""

    licence = record.value(record.value(d, DCTERMS.license), RDFS.seeAlso)
    publisher = record.value(d, DCTERMS.publisher)
    period = record.value(d, DCTERMS.temporal)
    leaflet = rec.leaflet
    rv: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": str(d),
        "name": en(d, DCTERMS.title),
        "description": en(d, DCTERMS.description),
        "url": str(rec.landing),
        "identifier": str(d),
        "license": str(licence or record.value(d, DCTERMS.license)),
        "isAccessibleForFree": True,
        "inLanguage": ["en", "fr"],
        "keywords": sorted(str(k) for k in record.objects(d, DCAT.keyword)),
        "version": str(record.value(d, DCAT3.version) or ""),
        "dateModified": str(record.value(d, DCTERMS.modified) or ""),
        "datePublished": str(record.value(d, DCTERMS.issued) or ""),
        "creator": {"@type": "Organization", "@id": str(publisher),
                    "name": en(publisher, FOAF.name), "url": str(rec.landing)},
        "isBasedOn": {"@type": "CreativeWork", "@id": str(leaflet),
                      "name": en(leaflet, DCTERMS.title) or "IOM leaflet (2006)",
                      "publisher": {"@type": "Organization",
                                    "name": "International Organization for Migration"}},
        "distribution": [_data_download(record, rec, dl) for dl in DOWNLOADS],
    }
    if period is not None:
        rv["temporalCoverage"] = (f"{record.value(period, DCAT.startDate)}/"
                                  f"{record.value(period, DCAT.endDate)}")
    rv["spatialCoverage"] = _schema_place(record, rec)
    return rv


def _data_download(record: Graph, rec: Record, dl: Download) -> dict[str, Any]:
    dist = rec.distribution(dl)
    rv = {"@type": "DataDownload", "name": str(record.value(dist, DCTERMS.title) or dl.title),
          "encodingFormat": dl.media_type, "contentUrl": str(rec.download_url(dl.file))}
    size = record.value(dist, DCAT.byteSize)
    if size is not None:
        rv["contentSize"] = f"{size} B"
    return rv


def _schema_place(record: Graph, rec: Record) -> dict[str, Any]:
    where = rec.part("coverage")
    rv: dict[str, Any] = {"@type": "Place", "name": "Venues of the events"}
    bbox = record.value(where, DCAT.bbox)
    if bbox is not None:
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", str(bbox))]
        xs, ys = numbers[0::2], numbers[1::2]
        rv["geo"] = {"@type": "GeoShape", "box": f"{min(ys)} {min(xs)} {max(ys)} {max(xs)}"}
    return rv
