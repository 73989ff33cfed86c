"""The ontology's version IRIs (OWL 2 §3.3): a new one in each release that changes the ontology.

The ontology ``{base}def/`` states ``owl:versionIRI <{base}release/{V}/def>``, V being the
release in which its statements last changed, and ``owl:priorVersion`` the version before that.
Both are computed from the release log (:mod:`hldgraph.releases`), never written by hand, so
that a release which leaves ontology/ alone keeps the version IRI of the one before.
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import OWL

from hldgraph.releases import ReleaseLog, unbase
from hldgraph.settings import Settings
from hldgraph.urls import Iris

#: Statements the comparison leaves out: those this module adds.
VERSIONING = (OWL.versionIRI, OWL.priorVersion)


def _core(lines: frozenset[str]) -> frozenset[str]:
    return frozenset(line for line in lines
                     if not any(f" <{p}> " in line for p in VERSIONING))


def ontology_versions(settings: Settings, ontology: Graph, version: str | None) -> list[str]:
    """The releases in which the ontology changed, oldest first, counting ``ontology`` as
    release ``version`` (None: the build is no release; then an ontology that differs from
    the last release's has no version yet, and [] is returned)."""
    log, changed, before = ReleaseLog(settings), [], frozenset[str]()
    for release in log.releases():
        state = _core(log.graph_lines(release.version, "ontology"))
        if state != before:
            changed.append(release.version)
        before = state
    text = unbase(ontology.serialize(format="nt"), settings.base_iri)
    mine = _core(frozenset(line for line in text.splitlines() if line.strip()))
    if mine != before:
        return [*changed, version] if version else []
    return changed


def state_version(settings: Settings, ontology: Graph, version: str | None) -> None:
    """Adds owl:versionIRI and owl:priorVersion to ``ontology`` (see the module's docstring)."""
    iris = Iris(settings.base_iri)
    versions = ontology_versions(settings, ontology, version)
    onto = iris("def/")
    for p in VERSIONING:
        ontology.remove((onto, p, None))
    if versions:
        ontology.add((onto, OWL.versionIRI, iris.release(versions[-1], "def")))
    if len(versions) > 1:
        ontology.add((onto, OWL.priorVersion, iris.release(versions[-2], "def")))
