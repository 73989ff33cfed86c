"""Reads a published build: its folder, its manifest, and its catalogue record.

The pipeline writes a build folder (:func:`hldgraph.dump.write_dumps`); the web layer serves it
through this module only, so that what a build folder holds is decided in one place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from hldgraph.distributions import DCAT3, DOWNLOADS_BY_FILE, NAME, RECORD_PREFIXES, Record
from hldgraph.urls import PREFIXES, SPDX, Iris

if TYPE_CHECKING:
    from hldgraph.releases import Release

MANIFEST = "manifest.json"


def last_good(out: Path) -> Path | None:
    """The folder of the last complete build, even if a swap was interrupted half-way."""
    for folder in (Path(out), Path(out).with_name(Path(out).name + ".old")):
        if (folder / MANIFEST).exists():
            return folder
    return None


def read_manifest(folder: Path) -> dict[str, Any]:
    """``manifest.json`` of a build folder: ``{"files": {name: {"sha256", "bytes",
    "media_type"}}, "digest", "base_iri", "inputs", "triples", "graphs"}``."""
    return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))


def add_checksum(g: Graph, dist: URIRef, sha256: str, size: int) -> None:
    """States a distribution's size and SHA-256 (SPDX 2.3 checksum, as DCAT-AP 3 asks)."""
    checksum = URIRef(f"{dist}/checksum")
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(sha256, datatype=XSD.hexBinary)))


def with_checksums(record: Graph, manifest: dict[str, Any], iris: Iris,
                   releases: Iterable[Release] = ()) -> Graph:
    """The record plus, for each distribution, its size and SHA-256: the dataset's from a
    build's manifest, each release's from the release log (``releases``, when published at
    this base IRI).

    A file cannot hold its own checksum, so these are only in the served record.
    """
    rec, g = Record(iris), Graph()
    for prefix, ns in record.namespaces():
        g.bind(prefix, ns)
    for triple in record:
        g.add(triple)
    g.bind("spdx", SPDX)
    for name, info in sorted(manifest.get("files", {}).items()):
        if name in DOWNLOADS_BY_FILE:
            add_checksum(g, rec.distribution(DOWNLOADS_BY_FILE[name]), info["sha256"],
                         info["bytes"])
    for release in releases:
        node = rec.release(release.version)
        if release.base_iri != iris.base or (node, DCAT3.version, None) not in record:
            continue
        for name, info in sorted(release.files.items()):
            if name in DOWNLOADS_BY_FILE:
                add_checksum(g, rec.release_distribution(release.version,
                                                         DOWNLOADS_BY_FILE[name]),
                             info["sha256"], info["bytes"])
    return g


def read_record(folder: Path, iris: Iris, releases: Iterable[Release] = ()) -> Graph:
    """graph/catalog of the build in ``folder``, with each file's size and checksum added.

    The leaflet's title comes along, so that the record names its source.
    """
    quads = (Path(folder) / f"{NAME}.nq").read_text(encoding="utf-8")
    tail = f"<{iris.graph('catalog')}> ."
    leaflet_title = f"<{Record(iris).leaflet}> <{DCTERMS.title}> "
    lines = [line[: -len(tail)] + "." if line.endswith(tail) else line.rsplit(" <", 1)[0] + " ."
             for line in quads.splitlines()
             if line.endswith(tail) or line.startswith(leaflet_title)]
    g = Graph()
    g.parse(data="\n".join(lines), format="nt")
    for prefix, ns in {**PREFIXES, **RECORD_PREFIXES}.items():
        g.bind(prefix, ns, override=True)
    return with_checksums(g, read_manifest(folder), iris, releases)
