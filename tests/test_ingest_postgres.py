"""Reading LiteLLM's spend logs live from a real Postgres (started by the test) gives exactly the
workload the CSV export of the same table gives; the aggregation runs in the database."""

import json

import psycopg
import pytest
from conftest import ROOT
from postgres_server import postgres_server

from breakeven.errors import InputError
from breakeven.ingest.usage.run import ingest_logs

DATA = ROOT / "tests" / "data" / "usage" / "litellm"
EXPORT = DATA / "spend_logs.csv"
WHERE = {"sources", "engine", "rejections"}
"""What differs by nature: the source's name, the engine, and row numbers (a table has none)."""


@pytest.fixture(scope="module")
def litellm_db():
    with postgres_server() as server:
        with psycopg.connect(server.url, autocommit=True) as c:
            c.execute((DATA / "LiteLLM_SpendLogs.sql").read_text())
            with c.cursor().copy('COPY "LiteLLM_SpendLogs" FROM STDIN WITH (FORMAT csv, HEADER true)') as copy:
                copy.write(EXPORT.read_bytes())
        yield server


def _same(a, b):
    assert a.model_dump(exclude=WHERE) == b.model_dump(exclude=WHERE)
    for x, y in zip(a.rejections, b.rejections, strict=True):
        assert (x.reason, x.count, [r.id for r in x.rows]) == (y.reason, y.count, [r.id for r in y.rows])


def test_database_gives_the_same_workload_as_the_csv_export(litellm_db):
    from_csv = ingest_logs([str(EXPORT)], tz="Europe/Berlin")
    from_db = ingest_logs([litellm_db.url], tz="Europe/Berlin")
    assert from_db.engine == "postgres" and from_csv.engine == "duckdb"
    assert from_db.rows_read == 1060 and from_db.rows_rejected == {"failed_request": 11, "negative_tokens": 1}
    assert from_db.tokens.cached_input > 0 and from_db.tokens.cache_write > 0
    _same(from_csv, from_db)


def test_filters_run_in_the_database_too(litellm_db):
    kw = dict(model=["gpt-4o-mini"], since="2026-07-01", until="2026-07-31", tz="America/New_York")
    _same(ingest_logs([str(EXPORT)], **kw), ingest_logs([litellm_db.url], **kw))


def test_only_aggregates_are_queried_and_bodies_never(litellm_db):
    before = litellm_db.log.read_text()
    ingest_logs([litellm_db.url])
    statements = litellm_db.log.read_text()[len(before) :]
    reads = [entry for entry in statements.split(" LOG:  ")[1:] if 'FROM "LiteLLM_SpendLogs"' in entry]
    assert len(reads) >= 5
    for q in reads:
        assert any(agg in q for agg in ("GROUP BY", "COUNT(", "SUM(", "ROW_NUMBER(")), q[:200]
        for body in ('"messages"', '"response"', '"proxy_server_request"'):
            assert body not in q


def test_cli_reads_the_database(cli, litellm_db):
    code, out, err = cli("ingest", litellm_db.url, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["engine"] == "postgres" and data["rows_read"] == data["rows_used"] + sum(data["rows_rejected"].values())
    assert "rows read 1,060 = used 1,048 + rejected 12" in err


def test_unknown_table_lists_the_tables(litellm_db):
    with pytest.raises(InputError, match="LiteLLM_SpendLogs"):
        ingest_logs([litellm_db.url], table="spend")


def test_a_database_url_goes_alone(litellm_db):
    with pytest.raises(InputError, match="one database URL on its own"):
        ingest_logs([litellm_db.url, str(EXPORT)])
