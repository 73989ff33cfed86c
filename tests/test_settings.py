"""Settings: every one documented, read from the environment, and checked at start-up."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from hldgraph.errors import SettingsError
from hldgraph.settings import Settings, load_settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", fields(Settings), ids=lambda f: f.name)
def test_every_setting_is_documented(field):
    assert f"`HLDGRAPH_{field.name.upper()}`" in README
    assert field.metadata["help"]


def test_environment_and_overrides(monkeypatch):
    monkeypatch.setenv("HLDGRAPH_PORT", "9001")
    monkeypatch.setenv("HLDGRAPH_FEDERATION", "yes")
    s = load_settings(workers=3)
    assert (s.port, s.federation, s.workers) == (9001, True, 3)


@pytest.mark.parametrize("env, value, message", [
    ("HLDGRAPH_PORT", "eighty", "HLDGRAPH_PORT: 'eighty' is not a valid int"),
    ("HLDGRAPH_FEDERATION", "perhaps", "HLDGRAPH_FEDERATION"),
    ("HLDGRAPH_STORE", "postgres", "store must be one of"),
    ("HLDGRAPH_BASE_IRI", "https://example.org/no-slash", "base_iri must be"),
    ("HLDGRAPH_QUERY_TIME_LIMIT_S", "0", "query_time_limit_s must be positive"),
    # nan and inf passed '> 0' and were tracebacks in the socket's timeout
    ("HLDGRAPH_QUERY_TIME_LIMIT_S", "nan", "query_time_limit_s must be positive and finite"),
    ("HLDGRAPH_QUERY_TIME_LIMIT_S", "inf", "query_time_limit_s must be positive and finite"),
    ("HLDGRAPH_INLINE_THREADS", "-1", "inline_threads must be 0 or more, not -1"),
])
def test_bad_values_are_named(monkeypatch, env, value, message):
    monkeypatch.setenv(env, value)
    with pytest.raises(SettingsError, match=message):
        load_settings()


def test_the_web_threads_of_a_worker_are_one_per_query_worker_and_the_inline_ones():
    """A search front end may serve with one thread per process (query_workers 1,
    inline_threads 0): Granian is given exactly the threads the settings say."""
    from hldgraph.web.server import server

    assert server(load_settings()).blocking_threads == 4 + 4
    assert server(load_settings(query_workers=1, inline_threads=0)).blocking_threads == 1
    assert server(load_settings(query_workers=2, inline_threads=1)).blocking_threads == 3


def test_the_remote_store_needs_its_url():
    with pytest.raises(SettingsError, match=r"store=sparql needs sparql_url.*--sparql-url"):
        load_settings(store="sparql")


def test_a_wrong_value_names_its_variable_or_option(monkeypatch):
    monkeypatch.setenv("HLDGRAPH_PORT", "70000")
    with pytest.raises(SettingsError, match=r"^HLDGRAPH_PORT=70000: port must be between 1 and "
                                            r"65535, not 70000$"):
        load_settings()
    with pytest.raises(SettingsError, match=r"^--port 0: port must be between 1 and 65535"):
        load_settings(port=0)


def test_unknown_variables_are_named_with_the_nearest_setting():
    from hldgraph.settings import unknown_variables

    assert unknown_variables({"HLDGRAPH_PROT": "9000", "HLDGRAPH_PORT": "1", "PATH": "/"}) == [
        "HLDGRAPH_PROT is not a setting and is ignored (did you mean HLDGRAPH_PORT?)"]
    assert unknown_variables({"HLDGRAPH_SHARED": "/x"}) == []


def test_the_command_warns_about_an_unknown_variable():
    import os
    import subprocess
    import sys

    rv = subprocess.run([sys.executable, "-m", "hldgraph", "serve", "--port", "70000"],
                        capture_output=True, text=True, timeout=60,
                        env={**os.environ, "HLDGRAPH_PROT": "9000"})
    assert rv.returncode == 1
    assert rv.stderr.splitlines() == [
        "hldgraph: warning: HLDGRAPH_PROT is not a setting and is ignored "
        "(did you mean HLDGRAPH_PORT?)",
        "hldgraph: --port 70000: port must be between 1 and 65535, not 70000"]


@pytest.mark.parametrize("name, value", [
    ("sparql_url", "notaurl"), ("sparql_url", "http://[::1"),
    ("sparql_update_url", "localhost:7878/update"), ("graph_store_url", "http:///store"),
    ("published_url", "localhost:8000/build"), ("published_url", "ftp://host/build"),
])
def test_a_url_setting_that_is_no_url_is_named_with_what_a_url_is(monkeypatch, name, value):
    monkeypatch.setenv(f"HLDGRAPH_{name.upper()}", value)
    with pytest.raises(SettingsError) as e:
        load_settings()
    assert str(e.value).startswith(f"HLDGRAPH_{name.upper()}={value}: {name} must be ")
    assert str(e.value).endswith(
        f"an http:// or https:// URL with a host (http://HOST[:PORT]/PATH), not {value!r}")


@pytest.mark.parametrize("value", ["/srv/build", "build", "file:///srv/build",
                                   "https://files.example.org/hld2006/"])
def test_published_url_may_be_a_folder_or_a_url(value):
    assert load_settings(published_url=value).published_url == value


def test_serve_with_a_sparql_url_that_is_no_url_is_one_line(tmp_path):
    import os
    import subprocess
    import sys

    rv = subprocess.run([sys.executable, "-m", "hldgraph", "serve", "--store", "sparql",
                         "--sparql-url", "notaurl", "--published-url", str(tmp_path),
                         "--get", "/"], capture_output=True, text=True, timeout=60,
                        env={k: v for k, v in os.environ.items() if not k.startswith("HLDGRAPH_")})
    assert rv.returncode == 1 and "Traceback" not in rv.stderr
    assert rv.stderr.splitlines() == [
        "hldgraph: --sparql-url notaurl: sparql_url must be an http:// or https:// URL with a "
        "host (http://HOST[:PORT]/PATH), not 'notaurl'"]
