"""What a thing's page says of its versions: its history across the releases (in which it
changed, and how) and how to cite it (a plain-text citation naming the release)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, XSD

from hldgraph.distributions import DCAT3 as DCAT
from hldgraph.web.i18n import translate
from hldgraph.web.links import canonical, changes_url, iris, release_path, release_url
from hldgraph.web.versions import current, up_to_current, versions
from hldgraph.web.whatchanged import say


@dataclass(frozen=True)
class Step:
    """One release in a thing's history: what happened to it there, in words."""

    version: str
    date: str
    status: str  # added | changed | removed
    sentences: tuple[str, ...]
    page: str  # the thing's page in that release ("" where it is removed)
    changes: str  # the release's "What changed" page


@dataclass(frozen=True)
class Citation:
    version: str
    text: str
    cite_as: str


def history(iri: str, lang: str) -> list[Step]:
    """The releases in which ``iri`` changed, oldest first, each told in ``lang``."""
    v = versions()
    if current() is None:
        return []
    found = v.history(iri)
    steps = []
    for version, status in found.changes:
        if not up_to_current([version]):
            continue
        release = v.log.get(version)
        previous = release.previous
        mine = [c for c in v.changes(version) if c.subject == str(iri)]
        before = v.snapshot(previous) if previous else v.snapshot(version)
        words = tuple(say(c, lang, before, v.snapshot(version), iris().curie) for c in mine)
        page = "" if status == "removed" else release_url(version, iris().document(iri, "html"),
                                                          lang=True)
        steps.append(Step(version, release.issued.date().isoformat(), status, words, page,
                          changes_url(version)))
    return steps


def citation(iri: str, label: str, lang: str, version: str | None = None) -> Citation | None:
    """The plain-text citation of the page of ``iri`` in release ``version`` (the latest by
    default): title, the dataset, the release and its date, the versioned IRI."""
    release = versions().log.get(version) if version else current()
    if release is None:
        return None
    cite_as = canonical(release_path(release.version, iris().document(iri, "html")))
    text = translate("citation", lang, label=label, version=release.version,
                     date=release.issued.date().isoformat(), url=cite_as)
    return Citation(release.version, text, cite_as)


def link_states(graph: Graph, iri: str, extension: str) -> Graph:
    """``graph`` (a data document about ``iri``) with its earlier states: the document
    ``dcat:hasVersion`` each release's copy of it (``release/1.0/doc/event/12.ttl``), each with
    its ``dcat:version``, ``dct:issued`` and ``dcat:previousVersion`` (DCAT 3 §5.4)."""
    v = versions()
    if current() is None:
        return graph
    i = iris()
    path = i.document(iri, extension)
    doc, previous = i(path), None
    for version in up_to_current(v.history(iri).describes):
        state = i(release_path(version, path))
        graph.add((doc, DCAT.hasVersion, state))
        graph.add((state, DCAT.version, Literal(version)))
        graph.add((state, DCTERMS.issued, Literal(v.log.get(version).issued,
                                                  datatype=XSD.dateTime)))
        graph.add((state, DCTERMS.isVersionOf, doc))
        if previous is not None:
            graph.add((state, DCAT.previousVersion, previous))
        previous = state
    graph.bind("dcat", DCAT)
    return graph
