"""The Store interface on both in-process backends: answers, datasets, safety and limits."""

from __future__ import annotations

import io
import json
import os
import time

import pytest
from rdflib import Graph, Literal, URIRef
from server import EDITORIAL, SOURCE, sample_store

from hldgraph.errors import HldgraphError, QueryError
from hldgraph.formats import BY_NAME, NotAcceptable
from hldgraph.store import guard
from hldgraph.store.base import QueryDataset

IOM = URIRef("https://w3id.org/hld2006/id/org/iom")
EVENT7 = URIRef("https://w3id.org/hld2006/id/event/7")
BACKENDS = ["memory", "oxigraph"]


@pytest.fixture(scope="module", params=BACKENDS)
def store(request):
    with sample_store(request.param) as s:
        yield s


def test_graphs_are_the_named_graphs(store):
    assert store.graphs() == [EDITORIAL, SOURCE]


def test_default_graph_is_the_union(store):
    # the organiser is in the source graph, its English label in the editorial graph
    r = store.query("""PREFIX schema: <http://schema.org/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?name WHERE { ?e schema:organizer ?o . ?o skos:prefLabel ?name
        FILTER(LANG(?name) = "en") } ORDER BY ?name""")
    assert r.kind == "select" and r.vars == ["name"]
    assert [row["name"] for row in r.rows] == [
        Literal("International Organization for Migration", lang="en"),
        Literal("World Bank", lang="en")]


def test_from_keeps_to_one_graph(store):
    q = "SELECT ?p WHERE {{ <{}> ?p ?o }}"
    in_source = store.query(q.replace("WHERE", f"FROM <{SOURCE}> WHERE").format(IOM))
    assert {str(r["p"]) for r in in_source.rows} == {"http://www.w3.org/2004/02/skos/core#altLabel"}
    assert not store.query(q.replace("WHERE", "FROM <http://nowhere.example/> WHERE")
                           .format(IOM)).rows


def test_protocol_dataset_overrides_from(store):
    q = f"ASK FROM <{EDITORIAL}> {{ <{EVENT7}> a ?type }}"
    assert store.query(q).boolean is False  # types are source facts
    assert store.query(q, default_graphs=[SOURCE]).boolean is True
    named = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{IOM}> ?p ?o }} }}"
    assert {str(r["g"]) for r in store.query(named, named_graphs=[SOURCE]).rows} == {SOURCE}
    assert not store.query(f"ASK {{ <{IOM}> ?p ?o }}", named_graphs=[SOURCE]).boolean


def test_construct_and_describe(store):
    g = store.query(f"CONSTRUCT {{ <{IOM}> ?p ?o }} WHERE {{ <{IOM}> ?p ?o }}").graph
    assert isinstance(g, Graph) and len(g) == 4
    d = store.describe(str(EVENT7))
    assert (EVENT7, URIRef("http://schema.org/organizer"), IOM) in d
    # labels of the things it links to come along, not their other triples
    assert (IOM, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
            Literal("World Bank", lang="en")) not in d
    assert (IOM, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
            Literal("International Organization for Migration", lang="en")) in d
    assert (IOM, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), Literal("IOM")) not in d


@pytest.mark.parametrize("media", ["json", "xml", "csv", "tsv"])
def test_answer_select_formats(store, media):
    answer = store.answer("SELECT ?s WHERE { ?s a <http://schema.org/Event> }", BY_NAME[media])
    assert answer.media_type is BY_NAME[media] and not answer.truncated
    assert b"event/50" in answer.body and b"event/7" in answer.body


def test_answer_refuses_a_media_type_that_cannot_carry_it(store):
    with pytest.raises(NotAcceptable) as e:
        store.answer("ASK {}", BY_NAME["turtle"])
    assert e.value.status == 406


@pytest.mark.parametrize("query", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "clear all", "DROP GRAPH <http://a>", "WITH <http://a> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused_and_change_nothing(store, query):
    before = store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows[0]["n"]
    with pytest.raises(QueryError) as e:
        store.query(query)
    assert e.value.status == 403 and "read-only" in e.value.message
    assert store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows[0]["n"] == before


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { # a comment }\n SeRvIcE ?x { ?s ?p ?o } }",
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
])
def test_service_is_refused(store, query):
    with pytest.raises(QueryError) as e:
        store.query(query)
    assert e.value.status == 403 and "SERVICE" in e.value.message


def test_keywords_in_strings_iris_and_names_do_not_count(store):
    r = store.query('PREFIX service: <http://example.org/service#>\n'
                    'SELECT ?x WHERE { BIND("SERVICE <http://a> {}" AS ?x) '
                    'FILTER(?x != <http://example.org/SERVICE>) } # SERVICE')
    assert r.rows[0]["x"] == Literal("SERVICE <http://a> {}")
    named = "PREFIX : <http://x/> SELECT * { ?s :SERVICE ?o }"
    assert guard.check(named, max_chars=999) == "select"


def test_query_kinds():
    check = lambda q: guard.check(q, max_chars=999)  # noqa: E731
    assert check("BASE <http://x/> PREFIX a: <http://a/> ASK {}") == "ask"
    assert check("# comment\nDESCRIBE <http://x>") == "construct"
    assert check("construct where { ?s ?p ?o }") == "construct"


def test_syntax_error_is_400_with_the_parser_message(store):
    with pytest.raises(QueryError) as e:
        store.query("SELECT * WHERE { ?s ?p }")
    assert e.value.status == 400 and "syntax" in e.value.message.lower()


def test_too_long_is_413():
    with sample_store("oxigraph", max_query_chars=50) as s, pytest.raises(QueryError) as e:
        s.query("SELECT * WHERE { ?s ?p ?o } # " + "x" * 50)
    assert e.value.status == 413 and "50" in e.value.message


@pytest.mark.parametrize("backend", BACKENDS)
def test_results_are_cut_at_max_result_rows(backend):
    with sample_store(backend, max_result_rows=3) as s:
        r = s.query("SELECT * { ?s ?p ?o }")
        assert len(r.rows) == 3 and r.truncated
        g = s.query("CONSTRUCT WHERE { ?s ?p ?o }")
        assert len(g.graph) == 3 and g.truncated
        answer = s.answer("SELECT * { ?s ?p ?o }", BY_NAME["tsv"])
        assert answer.truncated and answer.body.count(b"\n") == 4  # header + 3 rows
        answer = s.answer("SELECT * { ?s ?p ?o }", BY_NAME["json"])
        assert answer.truncated and len(json.loads(answer.body)["results"]["bindings"]) == 3
        assert not s.query("SELECT * { ?s a ?t }").truncated


ENDLESS = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.parametrize("backend", BACKENDS)
def test_time_limit_stops_a_query_and_the_store_recovers(backend):
    with sample_store(backend, extra_triples=300, query_time_limit_s=1.0) as s:
        start = time.monotonic()
        with pytest.raises(QueryError) as e:
            s.query(ENDLESS)
        assert e.value.status == 503 and "time limit of 1 s" in e.value.message
        assert time.monotonic() - start < 3
        assert s.query("ASK { ?s ?p ?o }").boolean is True


def test_digest_identifies_the_data():
    with sample_store("memory") as a, sample_store("oxigraph") as b, \
            sample_store("oxigraph", extra_triples=1) as c:
        assert a.digest == b.digest != c.digest


@pytest.mark.parametrize("backend", BACKENDS)
def test_one_query_worker_serves_queries_one_after_another(backend):
    """The query_workers setting bounds the forked query processes of a server process; a query
    already measured quick runs in the server process (oxigraph) and does not wait for one."""
    import threading

    with sample_store(backend, extra_triples=300, query_workers=1, query_time_limit_s=1) as s:
        assert s.query("ASK { ?s ?p ?o }").boolean
        statuses: list[int] = []

        def endless() -> None:
            try:
                s.query(ENDLESS)
            except QueryError as e:
                statuses.append(e.status)

        # the only worker is held by an endless query: a new query waits until it is stopped
        slow = threading.Thread(target=endless)
        slow.start()
        time.sleep(0.2)
        start = time.monotonic()
        assert s.query("ASK { ?s ?p ?o }").boolean
        known = time.monotonic() - start
        assert s.query("ASK { ?o ?p ?s }").boolean
        waited = time.monotonic() - start
        slow.join(5)
        assert statuses == [503] and 0.5 < waited < 3
        assert known < 0.3 if backend == "oxigraph" else known > 0.5


@pytest.mark.parametrize("inline", [True, False])
def test_a_query_runs_in_process_only_once_measured_quick(inline):
    """In-process evaluation is earned: a query runs in a worker until it has finished there
    quickly; a pathological one is stopped at the limit every time and never runs in process;
    a nondeterministic one always runs in a worker; inline_queries=false keeps every query in
    a worker."""

    quick = "SELECT ?s { ?s ?p ?o } ORDER BY ?s"
    with sample_store("oxigraph", extra_triples=300, query_time_limit_s=0.5,
                      inline_queries=inline) as s:
        key = ("answer", quick, BY_NAME["json"], QueryDataset())
        assert key not in s.quick
        first = s.answer(quick, BY_NAME["json"])
        assert (key in s.quick) == inline
        assert s.answer(quick, BY_NAME["json"]) == first  # in process: the same bytes
        for _ in range(3):
            start = time.monotonic()
            with pytest.raises(QueryError) as e:
                s.answer(ENDLESS, BY_NAME["json"])
            assert e.value.status == 503 and time.monotonic() - start < 2
            assert ("answer", ENDLESS, BY_NAME["json"], QueryDataset()) not in s.quick
        bad = "SELECT * WHERE { ?s ?p }"  # refused quickly: refused in process next time
        for _ in range(2):
            with pytest.raises(QueryError) as e:
                s.answer(bad, BY_NAME["json"])
            assert e.value.status == 400 and "line 1" in e.value.message
        assert (("answer", bad, BY_NAME["json"], QueryDataset()) in s.quick) == inline
        rand = "SELECT ?s (RAND() AS ?r) { ?s ?p ?o } LIMIT 1"
        s.answer(rand, BY_NAME["json"])
        assert ("answer", rand, BY_NAME["json"], QueryDataset()) not in s.quick
        assert s.answer(quick, BY_NAME["json"]) == first


def test_the_row_limit_holds_in_process():
    text = "SELECT ?s { ?s ?p ?o }"
    with sample_store("oxigraph", max_result_rows=3) as s:
        for key in (("answer", text, BY_NAME["csv"], QueryDataset()),
                    ("query", text, QueryDataset())):
            s.quick.measured(key, text, 0.0)  # as after a quick run in a worker
            assert key in s.quick
        answers = [s.answer(text, BY_NAME["csv"]) for _ in range(3)]
        assert all(a.truncated and a.body.count(b"\n") == 4 for a in answers)  # header + 3
        results = [s.query(text) for _ in range(3)]
        assert all(r.truncated and len(r.rows) == 3 for r in results)


TRICKY = ['a,{"b":{"c":1}},{', "<result></result><result/>", "line\r\nbreak\nand\r\nmore", "plain"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("media", ["json", "xml", "csv", "tsv"])
def test_row_limit_is_exact_when_literals_mimic_the_formats(backend, media):
    """Oxigraph's answers are checked for the row limit on their bytes: a literal that looks
    like a row separator must neither cut a complete answer nor let a long one through."""
    from rdflib import Dataset
    from rdflib.query import Result as RdflibResult

    from hldgraph.settings import load_settings
    from hldgraph.store import open_store

    ds = Dataset(default_union=True)
    g = ds.graph(URIRef(SOURCE))
    for i, text in enumerate(TRICKY):
        g.add((URIRef(f"{SOURCE}/s{i}"), URIRef("http://schema.org/name"), Literal(text)))
    settings = load_settings(store=backend, max_result_rows=len(TRICKY))
    with open_store(settings, ds) as s:
        for limit_extra, query in ((0, "SELECT ?o { ?s ?p ?o }"),
                                   (1, "SELECT ?o { { ?s ?p ?o } UNION { BIND(1 AS ?o) } }")):
            answer = s.answer(query, BY_NAME[media])
            parsed = RdflibResult.parse(io.BytesIO(answer.body), format=media)
            rows = [str(row[0]) for row in parsed]
            assert len(rows) == len(TRICKY) and answer.truncated == bool(limit_extra)
            if not limit_extra:
                # XML parsers read a raw CR LF as LF (both engines write the CR unescaped)
                expected = [t.replace("\r\n", "\n") if media == "xml" else t for t in TRICKY]
                assert sorted(rows) == sorted(expected)


BIG = "SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_large_answer_streams_and_frees_its_worker(backend):
    """An answer over a chunk comes as a stream of chunks; the worker returns to the pool when
    it is read, or is replaced when the stream is dropped half read."""
    from hldgraph.store.executor import CHUNK

    with sample_store(backend, extra_triples=20_000, max_result_rows=100_000,
                      query_workers=1, query_time_limit_s=60) as s:
        answer = s.answer(BIG, BY_NAME["json"])
        assert not isinstance(answer.body, bytes) and not answer.truncated
        chunks = list(answer.body)
        assert len(chunks) > 1 and all(len(c) <= CHUNK for c in chunks)
        rows = json.loads(b"".join(chunks))["results"]["bindings"]
        count = s.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows[0]["n"].toPython()
        assert len(rows) == count > 20_000
        # with one worker, a second query only runs if the first freed it
        assert s.query("ASK { ?s ?p ?o }").boolean
        half_read = s.answer(BIG, BY_NAME["json"])
        next(iter(half_read.body))
        half_read.body.close()  # the client went away
        assert s.query("ASK { ?s ?p ?o }").boolean
        unread = s.answer(BIG, BY_NAME["csv"])
        del unread  # never iterated: dropping it still frees the worker
        assert s.query("ASK { ?s ?p ?o }").boolean
        small = s.answer("SELECT * { ?s a ?t }", BY_NAME["json"])
        assert isinstance(small.body, bytes)


@pytest.mark.parametrize("max_mb,on_disk", [(0, True), (64, False)])
def test_a_dump_too_large_for_memory_is_served_from_disk(tmp_path, max_mb, on_disk):
    """Without store_path, a dump over memory_store_max_mb goes into an on-disk store beside it
    (each process reading an in-memory store would end up with a copy of it)."""
    from server import sample_dataset, write_dump

    from hldgraph.settings import load_settings
    from hldgraph.store import AUTO_STORE, file_digest, open_store
    from hldgraph.store.oxigraph import DIGEST_FILE

    dump = write_dump(sample_dataset(), tmp_path)
    settings = load_settings(store="oxigraph", dist_dir=tmp_path, memory_store_max_mb=max_mb)
    with open_store(settings) as s:
        assert s.query("ASK { ?s ?p ?o }").boolean
        assert (tmp_path / AUTO_STORE).is_dir() == on_disk
        if on_disk:
            assert (tmp_path / AUTO_STORE / DIGEST_FILE).read_text() == file_digest(dump)


def test_an_on_disk_store_is_loaded_once_per_build_and_opened_read_only(tmp_path):
    """store_path: the build's dump goes into an on-disk store there, reloaded only when the
    build changes; a failed load keeps the store that was there; a store made by someone else
    is opened as it is."""
    import pyoxigraph as ox
    from server import sample_dataset, write_dump

    from hldgraph.settings import load_settings
    from hldgraph.store import file_digest, open_store
    from hldgraph.store.oxigraph import DIGEST_FILE

    dist, disk = tmp_path / "dist", tmp_path / "store"
    dump = write_dump(sample_dataset(), dist)
    settings = load_settings(store="oxigraph", dist_dir=dist, store_path=str(disk))
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    with open_store(settings) as s:
        assert s.digest == file_digest(dump) == (disk / DIGEST_FILE).read_text()
        assert s.query(count).rows[0]["n"].toPython() == len(sample_dataset())
        assert s.modified is not None
        with pytest.raises(RuntimeError, match="read-write"):
            s.store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"),
                                ox.Literal("read-only")))
    loaded = (disk / DIGEST_FILE).stat().st_mtime_ns
    with open_store(settings) as s:  # same build: not loaded again
        assert (disk / DIGEST_FILE).stat().st_mtime_ns == loaded
    write_dump(sample_dataset(extra_triples=5), dist)
    with open_store(settings) as s:  # a new build: loaded again
        assert s.query(count).rows[0]["n"].toPython() == len(sample_dataset()) + 5
        digest = s.digest
    dump.write_text("<http://x/s> <http://x/p> broken")
    with pytest.raises(HldgraphError) as e:
        open_store(settings)
    assert str(dump) in e.value.message and "unchanged" in e.value.message
    assert (disk / DIGEST_FILE).read_text() == digest and not (tmp_path / "store.loading").exists()
    dump.unlink()  # without a dump, the store there is served as it is
    with open_store(settings) as s:
        assert s.query(count).rows[0]["n"].toPython() == len(sample_dataset()) + 5
    theirs = tmp_path / "theirs"
    other = ox.Store(str(theirs))
    other.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o"),
                      ox.NamedNode("http://x/g")))
    other.flush()
    del other
    with open_store(load_settings(store="oxigraph", dist_dir=dist,
                                  store_path=str(theirs))) as s:
        assert s.query(count).rows[0]["n"].toPython() == 1
        assert not (theirs / DIGEST_FILE).exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_long_queries_leave_a_worker_to_quick_ones(backend):
    """Of two query workers, one may run a long query; a second long one is refused at once,
    and quick queries keep being answered quickly meanwhile."""
    import threading

    from hldgraph.store.executor import LONG_S

    with sample_store(backend, extra_triples=300, query_workers=2, query_time_limit_s=3) as s:
        assert s.query("ASK { ?s ?p ?o }").boolean
        outcomes: list[tuple[int, float]] = []

        def endless() -> None:
            start = time.monotonic()
            try:
                s.query(ENDLESS)
            except QueryError as e:
                outcomes.append((e.status, time.monotonic() - start))

        first = threading.Thread(target=endless)
        first.start()
        time.sleep(max(1.0, LONG_S * 3))  # the first is a long query now
        start = time.monotonic()
        with pytest.raises(QueryError) as e:
            s.query(ENDLESS)
        assert e.value.status == 503 and "busy with long queries" in e.value.message
        assert time.monotonic() - start < 1
        for _ in range(5):
            start = time.monotonic()
            assert s.query("ASK { ?s ?p ?o }").boolean
            assert time.monotonic() - start < 1
        first.join(10)
        assert outcomes and outcomes[0][0] == 503 and outcomes[0][1] >= 2.9  # its time limit


def test_a_long_query_yields_the_cpu_and_its_worker_is_retired():
    """A query past LONG_S runs at a lower priority (nice LONG_NICE), and its process, which
    could not be given its priority back, is not reused."""
    import threading
    from pathlib import Path

    from hldgraph.store.executor import LONG_NICE, LONG_S

    others = set()

    def workers() -> dict[int, int]:
        """This store's query workers (this process's new children) and their nice values."""
        found = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid() and int(stat.parent.name) not in others:
                found[int(stat.parent.name)] = int(fields[16])
        return found

    others.update(workers())  # of other tests' stores, still open

    pairs = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }"  # about 0.3 s here
    with sample_store("oxigraph", extra_triples=1500, query_workers=1,
                      query_time_limit_s=20) as s:
        assert s.query("ASK { ?s ?p ?o }").boolean
        (first, nice), = workers().items()
        assert nice == 0
        seen: dict[int, int] = {}
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                seen.update(workers())
                time.sleep(LONG_S / 2)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            assert s.query(pairs).rows[0]["n"].toPython() > 10**6
        finally:
            done.set()
            watcher.join()
        assert seen.get(first) == LONG_NICE  # lowered while the query ran long
        assert s.query("ASK { ?o ?p ?s }").boolean  # not yet measured: it needs a worker
        assert first not in workers() and list(workers().values()) == [0]  # a fresh worker


def test_many_threads_killing_and_starting_workers_get_only_answers_or_503s():
    """Workers killed at the time limit and started again from many threads at once: every
    call ends in an answer or a QueryError, never in another exception (a 500)."""
    import threading

    with sample_store("oxigraph", extra_triples=300, query_workers=3,
                      query_time_limit_s=0.3) as s:
        failures: list[BaseException] = []
        statuses: list[int] = []

        def client(n: int) -> None:
            for i in range(6):
                try:
                    s.query(ENDLESS if (n + i) % 2 else "ASK { ?s ?p ?o }")
                    statuses.append(200)
                except QueryError as e:
                    statuses.append(e.status)
                except BaseException as e:  # what this test looks for
                    failures.append(e)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert failures == [] and len(statuses) == 48
        assert set(statuses) <= {200, 503} and 200 in statuses and 503 in statuses


def _nothing(op: str, args: tuple) -> None:
    """A query worker's task that does nothing."""


@pytest.mark.parametrize(("call", "syscall"), [("kill", "kill"),
                                                ("lower_priority", "setpriority")])
def test_a_worker_signals_its_pid_only_while_it_is_its_own(monkeypatch, call, syscall):
    """kill() and lower_priority() touch their worker's pid only while it is still this
    process's child, not reaped: a worker started meanwhile in another thread reaps the
    finished ones (multiprocessing's _cleanup), and a reaped pid may be given to another
    worker, running someone's query, which a SIGKILL (or a nice value) would then hit."""
    import signal
    import threading

    from hldgraph.store import executor

    worker = executor._Worker(_nothing)
    pid = worker.process.pid
    real = getattr(os, syscall)
    os.kill(pid, signal.SIGKILL)  # it stopped on its own (a crash, say): unreaped, a zombie
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    ours: list[bool] = []
    started: list[executor._Worker] = []
    others: list[threading.Thread] = []

    def touch(*args: int) -> None:
        if pid in args:
            other = threading.Thread(target=lambda: started.append(executor._Worker(_nothing)))
            others.append(other)
            other.start()
            other.join(1)  # a worker starting now reaps the finished ones
            try:
                os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
                ours.append(True)
            except ChildProcessError:  # reaped: the pid may be anyone's by now
                ours.append(False)
                raise ProcessLookupError(pid) from None
        real(*args)

    monkeypatch.setattr(os, syscall, touch)
    try:
        getattr(worker, call)()
    finally:
        monkeypatch.undo()
        for other in others:
            other.join(10)
        for w in [*started, worker] if call != "kill" else started:
            w.kill()
    assert False not in ours
