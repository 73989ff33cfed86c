"""Reads a published build: its folder, its manifest, and its catalogue record.

The pipeline writes a build folder (:func:`hldgraph.dump.write_dumps`); the web layer serves it
through this module only, so that what a build folder holds is decided in one place.

A front end without the folder (``store=sparql``) reads the same facts from the store: ``hldgraph
push`` records the build there as a :class:`BuildRecord` (the manifest and what the folder adds
to it), and the files themselves come from wherever the folder was published, each checked
against its SHA-256 in the record.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from hldgraph.distributions import (
    DCAT3,
    DOWNLOADS_BY_FILE,
    NAME,
    ONTOLOGY_PAGES,
    RECORD_PREFIXES,
    Record,
)
from hldgraph.urls import PREFIXES, SPDX, Iris

if TYPE_CHECKING:
    from hldgraph.releases import Release
    from hldgraph.settings import Settings

MANIFEST = "manifest.json"


def staging_of(out: Path) -> Path:
    """``{out}.new``: where the build that replaces ``out`` is written first."""
    return out.with_name(out.name + ".new")


def previous_of(out: Path) -> Path:
    """``{out}.old``: where the build ``out`` held waits while a new one takes its place."""
    return out.with_name(out.name + ".old")


def last_good(out: Path) -> Path | None:
    """The folder of the last complete build, even if a swap was interrupted half-way: ``out``,
    else :func:`previous_of` it, whichever has a manifest (a build writes it last)."""
    for folder, manifest in _candidates(os.fspath(out)):
        if os.path.exists(manifest):
            return folder
    return None


@lru_cache(maxsize=8)
def _candidates(out: str) -> tuple[tuple[Path, str], ...]:
    # asked on every request that reads a build: the paths are made once, the files stat'ed
    return tuple((f, os.fspath(f / MANIFEST)) for f in (Path(out), previous_of(Path(out))))


def read_manifest(folder: Path) -> dict[str, Any]:
    """``manifest.json`` of a build folder: ``{"files": {name: {"sha256", "bytes",
    "media_type"}}, "digest", "base_iri", "inputs", "triples", "graphs"}``."""
    return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))


def manifest_text(manifest: dict[str, Any]) -> str:
    """``manifest.json`` as a build writes it (and as a front end without the folder serves it)."""
    return json.dumps(manifest, indent=1, sort_keys=True) + "\n"


def checksum_text(name: str, sha256: str) -> str:
    """The ``.sha256`` twin of file ``name``, in the format ``sha256sum --check`` reads."""
    return f"{sha256}  {name}\n"


def made(folder: Path) -> dt.datetime:
    """When the build in ``folder`` was written (its manifest is written last), to the second."""
    mtime = (Path(folder) / MANIFEST).stat().st_mtime
    return dt.datetime.fromtimestamp(int(mtime), dt.UTC)


#: The pages a build writes beside its dumps (not distributions of the dataset): the
#: ontology's, in each language. A build made before a page was added lacks it.
PAGES = ONTOLOGY_PAGES


@dataclass(frozen=True)
class BuildRecord:
    """What a front end that holds no build folder needs to know of the build it serves.

    ``manifest`` is the folder's ``manifest.json``; ``made`` when it was written; ``gz_bytes``
    the size of each file's ``.gz`` twin; ``pages`` the ``{"sha256", "bytes"}`` of each page of
    :data:`PAGES`; ``release_log`` the SHA-256 of the index of the release log published beside
    the build (:mod:`hldgraph.published_log`), None when none is. ``hldgraph push`` stores it
    (as JSON) in the store's graph ``BUILD_GRAPH``.
    """

    manifest: dict[str, Any]
    made: dt.datetime
    gz_bytes: dict[str, int]
    pages: dict[str, dict[str, Any]]
    release_log: str | None = None

    @classmethod
    def of_folder(cls, folder: Path, release_log: str | None = None) -> BuildRecord:
        """The record of the build in ``folder``; ``release_log``: the SHA-256 of the index of
        the release log published with it (None: no release log)."""
        folder = Path(folder)
        manifest = read_manifest(folder)
        gz = {name: (folder / f"{name}.gz").stat().st_size for name in manifest["files"]
              if (folder / f"{name}.gz").exists()}
        pages = {name: {"sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(),
                        "bytes": (folder / name).stat().st_size}
                 for name in PAGES if (folder / name).exists()}
        return cls(manifest, made(folder), gz, pages, release_log)

    def to_json(self) -> str:
        """The record as JSON, keys sorted; ``release_log`` only when there is one, so that the
        record of a build without releases reads as it did before releases were published."""
        data = {"manifest": self.manifest, "made": self.made.isoformat(),
                "gz_bytes": self.gz_bytes, "pages": self.pages}
        if self.release_log is not None:
            data["release_log"] = self.release_log
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> BuildRecord:
        """Raises ValueError if ``text`` is not a record that ``to_json`` wrote (a record
        without ``release_log``, as pushes before it wrote, has none)."""
        try:
            data = json.loads(text)
            return cls(data["manifest"], dt.datetime.fromisoformat(data["made"]),
                       data["gz_bytes"], data["pages"], data.get("release_log"))
        except (KeyError, TypeError) as e:
            raise ValueError(f"not a build record: {e!r}") from None

    def sha256(self, name: str) -> str | None:
        """The SHA-256 of a file or page of the build (None for a name it does not hold)."""
        info = self.manifest["files"].get(name) or self.pages.get(name)
        return info["sha256"] if info else None


def gunzipped_sha256(path: Path) -> str:
    """The SHA-256 of what the gzip file ``path`` holds (a ``.gz`` twin is checked by it)."""
    h = hashlib.sha256()
    with gzip.open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


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


def inputs_digest(settings: Settings) -> str:
    """Identifies what a build was made from, so that an unchanged build need not be redone."""
    h = hashlib.sha256(settings.base_iri.encode())
    for folder in (settings.data_dir, settings.ontology_dir, settings.shapes_dir):
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()
