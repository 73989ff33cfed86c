"""DCAT 3 versioning in the catalogue record: the dataset, each of its releases, and their links.

DCAT 3 §11 (https://www.w3.org/TR/vocab-dcat-3/#dataset-versions): the dataset
``{base}id/dataset/hld2006`` ``dcat:hasVersion`` each release ``{dataset}/{version}`` and
``dcat:hasCurrentVersion`` the last; each release is a ``dcat:Dataset`` (and a VoID dataset)
with its ``dcat:version``, ``adms:versionNotes``, ``dct:issued``, ``dcat:previousVersion`` and
its own distributions, downloaded under ``release/{version}/download/``. Their checksums are
in the served record only (:func:`hldgraph.dist.with_checksums`, from the release log): a
release's files cannot hold their own, and a build of a release's data is that release, byte
for byte.

A release's record lists the releases up to itself: it never changes once published.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID, XSD

from hldgraph.dataset import CONTENT_GRAPHS, Writer
from hldgraph.distributions import DCAT3, DOWNLOADS, NAME, Record
from hldgraph.releases import Release, ReleaseLog
from hldgraph.urls import ADMS

#: What a release shares with the dataset it is a version of.
SHARED = (DCTERMS.publisher, DCTERMS.license, DCTERMS.language, DCTERMS.spatial,
          DCTERMS.temporal, DCTERMS.creator, DCTERMS.coverage, DCTERMS.conformsTo,
          DCTERMS.provenance, DCAT.contactPoint, DCAT.keyword, DCAT.theme, DCAT.landingPage,
          DCTERMS.description, ADMS.identifier)
#: What a release's distribution shares with the dataset's distribution of the same file.
SHARED_DISTRIBUTION = (DCTERMS.title, DCTERMS.description, DCTERMS.format, DCAT.mediaType,
                       DCTERMS.conformsTo, DCTERMS.license, URIRef(
                           "http://data.europa.eu/r5r/availability"))


def _copy(g: Graph, source: URIRef, target: URIRef, predicates: tuple[URIRef, ...]) -> None:
    for p in predicates:
        for o in list(g.objects(source, p)):
            g.add((target, p, o))


def describe(w: Writer, rec: Record, log: ReleaseLog, making: Release | None,
             content: Graph) -> None:
    """Adds the releases (those of ``log`` before ``making``, and ``making``) to the record."""
    releases = [r for r in log.releases() if making is None or r.key < making.key]
    releases += [making] if making else []
    previous: URIRef | None = None
    for release in releases:
        current = making is not None and release is making
        triples = len(content) if current else _triples(log, release)
        node = _release(w, rec, release, previous, triples)
        w.add(rec.dataset, DCAT3.hasVersion, node)
        previous = node
    if previous is not None:
        w.add(rec.dataset, DCAT3.hasCurrentVersion, previous)
        w.add(rec.dataset, ADMS.versionNotes, Literal(releases[-1].notes, lang="en"))


def _triples(log: ReleaseLog, release: Release) -> int:
    """Distinct triples of the content graphs of a release, as VoID counts them."""
    lines: set[str] = set()
    for name in CONTENT_GRAPHS:
        lines |= log.graph_lines(release.version, name)
    return len(lines)


def _release(w: Writer, rec: Record, release: Release, previous: URIRef | None,
              triples: int) -> URIRef:
    v = release.version
    node = w.typed(rec.release(v), DCAT.Dataset, VOID.Dataset)
    _copy(w.g, rec.dataset, node, SHARED)
    for title in w.g.objects(rec.dataset, DCTERMS.title):
        assert isinstance(title, Literal)
        word = "version" if title.language == "fr" else "release"
        w.add(node, DCTERMS.title, Literal(f"{title} ({word} {v})", lang=title.language))
    w.add(node, DCAT3.version, Literal(v))
    w.add(node, ADMS.versionNotes, Literal(release.notes, lang="en"))
    issued = Literal(release.issued.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
    w.add(node, DCTERMS.issued, issued)
    w.add(node, DCTERMS.modified, issued)
    w.add(node, DCAT3.previousVersion, previous)
    w.add(node, DCTERMS.isVersionOf, rec.dataset)
    w.add(node, VOID.triples, Literal(triples))
    w.add(node, VOID.sparqlEndpoint, rec.endpoint)
    w.add(node, VOID.dataDump, rec.release_download_url(v, f"{NAME}.nq"))
    for d in DOWNLOADS:
        dist = w.typed(rec.release_distribution(v, d), DCAT.Distribution)
        _copy(w.g, rec.distribution(d), dist, SHARED_DISTRIBUTION)
        w.add(dist, DCAT.accessURL, rec.iris.release(v, "download/"))
        w.add(dist, DCAT.downloadURL, rec.release_download_url(v, d.file))
        w.add(dist, DCTERMS.modified, issued)
        w.add(node, DCAT.distribution, dist)
    return node



