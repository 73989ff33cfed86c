"""The DCAT-AP record and VoID, as served: official shapes, checksums, counts equal to SPARQL's."""

from __future__ import annotations

import pytest
import requests
from conftest import select, shared_path
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, VOID

from hldgraph import catalog
from hldgraph.dataset import CONTENT_GRAPHS
from hldgraph.dist import read_manifest
from hldgraph.distributions import DOWNLOADS
from hldgraph.urls import SPDX
from hldgraph.web.schema_dataset import dataset_jsonld

BASE = "https://w3id.org/hld2006/"
DATASET = URIRef(BASE + "id/dataset/hld2006")
CONTENT = " ".join(f"<{BASE}graph/{g}>" for g in CONTENT_GRAPHS)
#: The distinct triples of the content graphs, which VoID counts (a group graph pattern).
DISTINCT = (f"{{ SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {CONTENT} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} }} }}")


def dcat_shapes(*names: str) -> Graph:
    """Official DCAT-AP 3.0.1 shapes, read from the shared reference folder.

    The consolidated dcat-ap-SHACL.ttl names two property shapes of dcat:DataService that it
    never defines; SHACL processors reject such a graph, so those two dangling references are
    dropped (they constrain nothing). Every other shape is used as published.
    """
    g = Graph()
    for name in names:
        g.parse(shared_path("reference", "dcat-ap-3.0.1", name), format="turtle")
    for shape, prop in list(g.subject_objects(SH.property)):
        if not list(g.predicate_objects(prop)):
            g.remove((shape, SH.property, prop))
    return g


@pytest.fixture(scope="module")
def record(live) -> Graph:
    r = requests.get(f"{live}/catalog", headers={"Accept": "text/turtle"}, timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/turtle; charset=utf-8"
    return Graph().parse(data=r.text, format="turtle")


@pytest.fixture(scope="module")
def void_graph(live) -> Graph:
    r = requests.get(f"{live}/.well-known/void", timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/turtle")  # the default
    return Graph().parse(data=r.text, format="turtle")


def _results(record: Graph, shapes: Graph) -> tuple[bool, str, int]:
    conforms, report, text = validate(record, shacl_graph=shapes, allow_warnings=False)
    return conforms, text, len(list(report.subjects(RDF.type, SH.ValidationResult)))


@pytest.mark.parametrize("files", [("shapes.ttl", "range.ttl"), ("dcat-ap-SHACL.ttl",)])
def test_record_has_no_violations(record, files):
    conforms, text, n = _results(record, dcat_shapes(*files))
    assert (conforms, n) == (True, 0), text


def test_record_has_every_recommended_property(record):
    conforms, text, n = _results(record, dcat_shapes("shapes_recommended.ttl"))
    assert (conforms, n) == (True, 0), text  # not even a warning


def test_shapes_do_catch_a_broken_record(record):
    """The validation above is not vacuous: the same shapes reject a record missing a title."""
    broken = Graph()
    for t in record:
        broken.add(t)
    broken.remove((DATASET, DCTERMS.title, None))
    broken.remove((DATASET, DCAT.theme, None))
    assert not _results(broken, dcat_shapes("shapes.ttl", "range.ttl"))[0]
    assert not _results(broken, dcat_shapes("shapes_recommended.ttl"))[0]


def test_one_distribution_per_file_with_its_checksum(record, dist, live):
    manifest = read_manifest(dist)
    dists = list(record.objects(DATASET, DCAT.distribution))
    assert len(dists) == len(DOWNLOADS)
    for d in dists:
        url = str(record.value(d, DCAT.downloadURL))
        name = url.rsplit("/", 1)[1]
        info = manifest["files"][name]
        checksum = record.value(d, SPDX.checksum)
        assert record.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(record.value(checksum, SPDX.checksumValue)) == info["sha256"]
        assert int(record.value(d, DCAT.byteSize)) == info["bytes"]
        media = str(record.value(d, DCAT.mediaType))
        assert media.startswith("http://www.iana.org/assignments/media-types/")
        assert str(record.value(d, DCTERMS.format)).startswith(
            "http://publications.europa.eu/resource/authority/file-type/")
        # the stable URL, under the served host, gives that very file
        r = requests.get(live + "/" + url[len(BASE):], headers={"Accept-Encoding": "identity"},
                         timeout=30)
        assert r.status_code == 200
        assert r.headers["Content-Type"].split(";")[0] == media.removeprefix(catalog.IANA)


def test_record_names_the_sparql_service(record, live):
    service = next(record.subjects(DCAT.servesDataset, DATASET))
    assert (URIRef(BASE + "id/catalog"), DCAT.service, service) in record
    endpoint = str(record.value(service, DCAT.endpointURL))
    assert endpoint == BASE + "sparql"
    assert requests.get(live + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                        timeout=30).status_code == 200


def test_temporal_coverage_is_the_span_of_the_events(record, live):
    row = select(live, """PREFIX schema: <http://schema.org/>
        SELECT (MIN(?s) AS ?first) (MAX(?e) AS ?last)
        WHERE { ?x a schema:Event ; schema:startDate ?s ; schema:endDate ?e }""")[0]
    period = record.value(DATASET, DCTERMS.temporal)
    assert str(record.value(period, DCAT.startDate)) == row["first"] == "2006-02-08"
    assert str(record.value(period, DCAT.endDate)) == row["last"] == "2006-09-15"


@pytest.mark.parametrize(("accept", "fmt"), [("application/ld+json", "json-ld"),
                                             ("application/rdf+xml", "xml"),
                                             ("application/n-triples", "nt")])
def test_record_in_every_format_is_the_same_graph(live, record, accept, fmt):
    r = requests.get(f"{live}/catalog", headers={"Accept": accept}, timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(accept)
    assert "Accept" in r.headers["Vary"]
    assert len(Graph().parse(data=r.content, format=fmt)) == len(record)


@pytest.mark.parametrize(("path", "page"), [("/catalog", "/doc/catalog.html"),
                                            ("/.well-known/void", "/doc/dataset/hld2006.html")])
def test_browsers_are_sent_to_the_record_page(live, path, page):
    r = requests.get(live + path, headers={"Accept": "text/html,*/*;q=0.8"},
                     allow_redirects=False, timeout=30)
    assert r.status_code == 303
    assert r.headers["Location"].endswith(page)
    assert requests.get(live + page, timeout=30).status_code == 200


@pytest.mark.parametrize("path", ["/catalog", "/.well-known/void", "/id/catalog"])
def test_the_record_is_negotiated_as_a_things_iri_is(live, path):
    """format=html is a browser's choice, and Accept's q-values decide between HTML and RDF."""
    page = requests.get(f"{live}{path}?format=html", allow_redirects=False, timeout=30)
    assert page.status_code == 303 and page.headers["Location"].endswith(".html")
    r = requests.get(live + path, headers={"Accept": "text/html;q=0.5, text/turtle"},
                     allow_redirects=False, timeout=30)
    if path.startswith("/id/"):  # a thing's IRI answers 303 to its Turtle document
        r = requests.get(live + r.headers["Location"], headers={"Accept": "text/turtle"},
                         timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")


def test_record_is_in_the_dumps(dist):
    g = Graph().parse(dist / "hld2006.ttl", format="turtle")
    assert (DATASET, RDF.type, DCAT.Dataset) in g
    assert (URIRef(BASE + "id/catalog"), DCAT.dataset, DATASET) in g


# --- VoID -------------------------------------------------------------------------------------


def _count(live: str, query: str) -> int:
    return int(select(live, query)[0]["n"])


def test_void_totals_equal_sparql_counts(live, void_graph):
    def void(p: URIRef) -> int:
        return int(void_graph.value(DATASET, p))

    assert void(VOID.triples) == _count(live, f"SELECT (COUNT(*) AS ?n) {{ {DISTINCT} }}")
    assert void(VOID.distinctSubjects) == _count(
        live, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ {DISTINCT} }}")
    assert void(VOID.distinctObjects) == _count(
        live, f"SELECT (COUNT(DISTINCT ?o) AS ?n) {{ {DISTINCT} }}")
    assert void(VOID.entities) == _count(
        live, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ {DISTINCT} "
              f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }}')
    assert void(VOID.triples) > 2000


def _partitions(g: Graph, link: URIRef, key: URIRef, count: URIRef) -> dict[str, int]:
    return {str(g.value(p, key)): int(g.value(p, count)) for p in g.objects(DATASET, link)}


def test_class_partitions_equal_sparql_counts(live, void_graph):
    rows = select(live, f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        VALUES ?g {{ {CONTENT} }} GRAPH ?g {{ ?s a ?c }} }} GROUP BY ?c""")
    expected = {r["c"]: int(r["n"]) for r in rows}
    assert _partitions(void_graph, VOID.classPartition, VOID["class"], VOID.entities) == expected
    assert expected["http://schema.org/Event"] == _count(
        live, "SELECT (COUNT(DISTINCT ?e) AS ?n) { ?e a <http://schema.org/Event> }")


def test_property_partitions_equal_sparql_counts(live, void_graph):
    rows = select(live, f"SELECT ?p (COUNT(*) AS ?n) {{ {DISTINCT} }} GROUP BY ?p")
    expected = {r["p"]: int(r["n"]) for r in rows}
    assert _partitions(void_graph, VOID.propertyPartition, VOID.property, VOID.triples) == \
        expected


def test_linksets_equal_sparql_counts(live, void_graph):
    linksets = list(void_graph.subjects(RDF.type, VOID.Linkset))
    seen = set()
    for ls in linksets:
        target = next(t for t in void_graph.objects(ls, VOID.target) if t != DATASET)
        space = str(void_graph.value(target, VOID.uriSpace))
        prop = void_graph.value(ls, VOID.linkPredicate)
        seen.add(space)
        n = _count(live, f"""SELECT (COUNT(*) AS ?n) {{ {DISTINCT}
            FILTER(?p = <{prop}> && isIRI(?o) && STRSTARTS(STR(?o), "{space}")
                   && STRSTARTS(STR(?s), "{BASE}")) }}""")
        assert int(void_graph.value(ls, VOID.triples)) == n > 0
    assert seen == {"http://www.wikidata.org/entity/", "https://sws.geonames.org/"}


def test_void_names_endpoint_dumps_and_examples(live, void_graph):
    assert void_graph.value(DATASET, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
    assert void_graph.value(DATASET, VOID.uriSpace) == Literal(BASE)
    dumps = sorted(str(d) for d in void_graph.objects(DATASET, VOID.dataDump))
    assert dumps == sorted(f"{BASE}download/hld2006{x}" for x in (".ttl", ".trig", ".nt", ".nq",
                                                                  ".jsonld", "-union.jsonld"))
    vocabularies = {str(v) for v in void_graph.objects(DATASET, VOID.vocabulary)}
    assert {"http://schema.org/", "http://www.w3.org/2004/02/skos/core#"} <= vocabularies
    for example in void_graph.objects(DATASET, VOID.exampleResource):
        r = requests.post(live + "/sparql", data={"query": f"ASK {{ <{example}> ?p ?o }}"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert r.json()["boolean"] is True


# --- schema.org -------------------------------------------------------------------------------


def test_schema_org_dataset_follows_the_record(settings, dist, record):
    data = dataset_jsonld(settings.with_(dist_dir=dist))
    assert data["@type"] == "Dataset"
    assert data["identifier"] == str(DATASET)
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["temporalCoverage"] == "2006-02-08/2006-09-15"
    urls = {d["contentUrl"] for d in data["distribution"]}
    assert urls == {str(record.value(d, DCAT.downloadURL))  # the dataset's, not a release's
                    for d in record.objects(DATASET, DCAT.distribution)}
    assert all(d["@type"] == "DataDownload" and d["encodingFormat"] for d in
               data["distribution"])
    assert data["creator"]["name"] and "Dialogue de haut niveau" in data["isBasedOn"]["name"]
    assert data["spatialCoverage"]["geo"]["box"]
    assert set(data) >= {"name", "description", "url", "keywords", "license", "creator"}


# --- bad metadata -----------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "message"), [
    ("modified = 2026-11-27", 'modified = "yesterday"', "[dataset] modified must be a date"),
    ('version = "1.0"\n', "", "[dataset] version must be str"),
    ("[licence]", "[licence", "catalog.toml"),
])
def test_bad_catalog_metadata_is_named(settings, tmp_path, old, new, message):
    import shutil
    import subprocess
    import sys

    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data)
    path = data / "catalog.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "hldgraph", "--data", str(data),
                          "--dist", str(tmp_path / "dist"), "build"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert message in run.stderr and "catalog.toml" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "dist").exists()


#: What a harvester that reads the whole graph gets: every named graph merged.
UNION = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def whole_graph(live) -> Graph:
    r = requests.get(f"{live}/sparql", params={"query": UNION},
                     headers={"Accept": "application/n-triples"}, timeout=60)
    assert r.status_code == 200
    g = Graph().parse(data=r.text, format="nt")
    assert len(g) > 3000 and (DATASET, RDF.type, DCAT.Dataset) in g
    return g


@pytest.mark.parametrize("files", [("shapes.ttl", "range.ttl"), ("dcat-ap-SHACL.ttl",)])
def test_whole_graph_has_no_violations(whole_graph, files):
    """DCAT-AP 3 on the union of all graphs, not only on the record: the concept schemes of the
    data (themes, event categories, body types) need their dct:title too."""
    conforms, text, n = _results(whole_graph, dcat_shapes(*files))
    assert (conforms, n) == (True, 0), text


@pytest.mark.parametrize("scheme", ["themes", "event-categories", "body-types"])
def test_every_concept_scheme_has_a_title_in_english_and_french(whole_graph, scheme):
    titles = {t.language for t in whole_graph.objects(URIRef(f"{BASE}id/{scheme}"),
                                                       DCTERMS.title)}
    assert titles == {"en", "fr"}
