"""The release folders a server serves and the N-Quads its store loads.

Each release's folder (``{releases_dir}/{version}/``) is made from the release log where it is
missing or stale (by :func:`hldgraph.release.materialise`, the pipeline, imported only then), so
that serving a build whose releases are made never loads the build pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hldgraph.dist import MANIFEST, read_manifest
from hldgraph.distributions import NAME
from hldgraph.releases import Release, ReleaseLog, sha256
from hldgraph.settings import Settings
from hldgraph.urls import GRAPHS, Iris


def ensure_releases(settings: Settings, warn: Callable[[str], object] = print
                    ) -> list[tuple[Release, Path]]:
    """Every release of the log with the folder of its dumps, made when missing or stale;
    ``warn`` is told of files that the current code writes otherwise than the release did."""
    log, rv = ReleaseLog(settings), []
    for release in log.releases():
        folder = Path(settings.releases_dir) / release.version
        wanted = (release.files.get(f"{NAME}.nq", {}).get("sha256")
                  if release.base_iri == settings.base_iri
                  else sha256(log.nquads(release.version)))
        if not (folder / MANIFEST).exists() or read_manifest(folder).get(
                "digest") != wanted:
            from hldgraph.release import materialise  # the pipeline: only to make a folder

            differ = materialise(settings, log, release.version)
            if differ:
                warn(f"release {release.version}: {', '.join(differ)} made again from the log "
                     "differ from the files published (the code that writes them changed); "
                     "its N-Quads are the same")
        rv.append((release, folder))
    return rv



def store_quads(settings: Settings, build: Path, releases: list[tuple[Release, Path]]) -> Path:
    """The N-Quads the store is loaded from: the served build's, and every release's under its
    graph IRIs (``{base}release/{version}/graph/source``, ...), outside the default graph
    (:meth:`hldgraph.store.Store.union_graphs`). Written only when it changes."""
    if not releases:
        return build / f"{NAME}.nq"
    iris = Iris(settings.base_iri)
    parts = [(build / f"{NAME}.nq").read_bytes()]
    for release, folder in releases:
        text = (folder / f"{NAME}.nq").read_text(encoding="utf-8")
        for name in GRAPHS:
            text = text.replace(f" <{iris.graph(name)}> .\n",
                                f" <{iris.release_graph(release.version, name)}> .\n")
        parts.append(text.encode("utf-8"))
    data, out = b"".join(parts), Path(settings.releases_dir) / "store.nq"
    if not out.exists() or out.read_bytes() != data:
        partial = out.with_name(out.name + ".new")
        partial.write_bytes(data)
        partial.replace(out)
    return out
