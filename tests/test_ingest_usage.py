"""Usage-log ingestion: every fixture against what its generator says a correct reader finds; the
measurements (profiles, concurrency, growth, percentiles) on hand-made logs; errors; privacy."""

import datetime as dt
import json
import math
import re
from pathlib import Path

import pytest
from conftest import ROOT

from breakeven.errors import InputError
from breakeven.ingest.usage.registry import READERS
from breakeven.ingest.usage.run import ingest_logs

DATA = ROOT / "tests" / "data" / "usage"
MANIFEST = json.loads((DATA / "manifest.json").read_text())
GENERIC = (
    "input=prompt_tok,cached_input=cached_tok,output=completion_tok,model=model_name,duration_ms=latency_ms,cost=usd"
)
MAPS = {"generic/usage.csv": f"time=ts,{GENERIC}", "generic/usage.parquet": f"time=epoch,{GENERIC}"}
FORMATS = {
    "litellm": "litellm",
    "openai/usage": "openai-usage",
    "openai/costs": "openai-costs",
    "langfuse": "langfuse",
    "helicone": "helicone",
    "openrouter": "openrouter",
    "generic": "generic",
}


def _ingest(name: str, **kw):
    return ingest_logs([str(DATA / name)], mapping=MAPS.get(name), **kw)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_fixture_read_as_its_generator_says(name):
    expect = MANIFEST[name]
    r = _ingest(name)
    assert r.rows_read == r.rows_used + sum(r.rows_rejected.values())
    assert r.rows_read == expect["rows_read"]
    assert r.rows_used == expect["rows_used"]
    assert dict(sorted(r.rows_rejected.items())) == expect["rows_rejected"]
    for j in r.rejections:
        where = [x.row if x.row is not None else x.line for x in j.rows]
        assert where == expect["rejected_rows"][j.reason][: len(where)], j.reason
        assert len(where) == min(20, j.count)
    assert r.requests == expect["requests"]
    assert r.tokens.model_dump() == expect["tokens"]
    if expect["recorded_cost"] is not None:
        assert r.recorded_cost.amount == pytest.approx(expect["recorded_cost"], abs=1e-8)
    assert {m.model for m in r.by_model} == set(expect["models"])
    assert r.sources[0].format == next(f for prefix, f in FORMATS.items() if name.startswith(prefix))


@pytest.mark.parametrize("name", [n for n in sorted(MANIFEST) if not n.startswith("generic")])
def test_formats_are_recognised_from_their_columns(name):
    assert _ingest(name).sources[0].format != "generic"


def test_fixtures_are_what_the_generator_writes(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(DATA))
    import generate

    generate.write(tmp_path)
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix != ".parquet":
            assert path.read_bytes() == (DATA / path.relative_to(tmp_path)).read_bytes(), path.name
    import pyarrow.parquet as pq

    parquet = Path("generic") / "usage.parquet"
    assert pq.read_table(tmp_path / parquet).equals(pq.read_table(DATA / parquet))


def test_bom_and_mixed_zones(monkeypatch):
    assert (DATA / "openrouter/activity.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    r = _ingest("openrouter/activity.csv")
    assert r.rows_used == MANIFEST["openrouter/activity.csv"]["rows_used"] and r.by_model[0].model.startswith("openai/")
    monkeypatch.syspath_prepend(str(DATA))
    import generate

    first = generate.requests()[0].start
    mixed = _ingest("litellm/spend_logs_malformed.csv", tz="Europe/Berlin")  # Z, +02:00, -05:00, no offset
    assert dt.datetime.fromisoformat(mixed.period.start) == first


def test_the_same_instants_in_any_zone_give_the_same_workload(tmp_path):
    instants = [dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC) + dt.timedelta(hours=7 * i) for i in range(30)]
    zones = [dt.timezone(dt.timedelta(hours=h)) for h in (0, 2, -5, 5.5)]
    as_utc = [f"{t.strftime('%Y-%m-%d %H:%M:%S')},m,{i + 1},1,," for i, t in enumerate(instants)]
    mixed = [f"{t.astimezone(zones[i % 4]).isoformat()},m,{i + 1},1,," for i, t in enumerate(instants)]
    a = ingest_logs([_csv(tmp_path, as_utc)], mapping=MAP, tz="Asia/Kolkata")
    (tmp_path / "b").mkdir()
    b = ingest_logs([_csv(tmp_path / "b", mixed)], mapping=MAP, tz="Asia/Kolkata")
    assert a.model_dump(exclude={"sources"}) == b.model_dump(exclude={"sources"})


def test_several_files_at_once_add_up():
    names = ["openai/usage_completions_1d.csv", "openai/costs_1d.json"]
    both = ingest_logs([str(DATA / n) for n in names])
    assert both.rows_read == sum(MANIFEST[n]["rows_read"] for n in names)
    assert both.rows_rejected == {"non_numeric_requests": 1, "unparseable_time": 1, "cost_not_in_usd": 1}
    assert both.recorded_cost.amount == pytest.approx(MANIFEST["openai/costs_1d.json"]["recorded_cost"])
    assert both.cost_check is not None and both.cost_check.scope == "all records"
    assert [s.format for s in both.sources] == ["openai-usage", "openai-costs"]


def test_hourly_buckets_give_a_profile_daily_buckets_do_not():
    hourly = _ingest("openai/usage_completions_1h.jsonl")
    assert hourly.hourly_profile is not None and hourly.request_size.input.p50 is None
    assert hourly.request_size.input.mean == pytest.approx(hourly.tokens.input / hourly.requests)
    daily = _ingest("openai/usage_completions_1d.csv")
    assert daily.hourly_profile is None and daily.peak_to_mean is None
    assert any("longer than an hour" in n for n in daily.notes)


# --------------------------------------------------------------------- measurements, by hand


def _csv(tmp_path: Path, rows: list[str], header="ts,model,inp,out,ms,usd") -> str:
    path = tmp_path / "log.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return str(path)


MAP = "time=ts,model=model,input=inp,output=out,duration_ms=ms,cost=usd"


def test_profile_peak_and_little_law_in_a_time_zone(tmp_path):
    """Every day for 10 days, one request at 09:00 UTC (10 s) and three at 15:00 UTC (20 s each)."""
    rows = []
    for day in range(1, 11):
        rows.append(f"2026-01-{day:02d}T09:00:00Z,m,100,10,10000,0.001")
        rows += [f"2026-01-{day:02d}T15:{m:02d}:00Z,m,300,30,20000,0.001" for m in (0, 10, 20)]
    r = ingest_logs([_csv(tmp_path, rows)], mapping=MAP, tz="Europe/Berlin", since="2026-01-01", until="2026-01-10")
    assert r.period.days == pytest.approx(10)
    prof = r.hourly_profile
    assert len(prof) == 24 and sum(prof) / 24 == pytest.approx(1)
    assert prof[10] == pytest.approx(24 / 4) and prof[16] == pytest.approx(3 * 24 / 4)  # UTC+1 in January
    assert r.peak_to_mean == pytest.approx(18)
    assert len(r.hour_of_week_profile) == 168 and sum(r.hour_of_week_profile) / 168 == pytest.approx(1)
    c = r.concurrency
    assert c.peak == pytest.approx(60 / 3600) and c.peak_hour.endswith("16:00:00+01:00")
    assert c.mean == pytest.approx((10 + 60) * 10 / (10 * 86400)) and c.coverage == 1
    assert r.request_size.input.p50 == pytest.approx(300) and r.request_size.output.p90 == pytest.approx(30)
    assert r.requests_per_month == pytest.approx(40 / (10 / (365 / 12)))


def test_profile_follows_daylight_saving(tmp_path):
    rows = [f"2026-03-{d:02d}T09:00:00Z,m,1,1,,," for d in range(20, 31)]  # Berlin: UTC+1 until the 29th
    r = ingest_logs([_csv(tmp_path, rows)], mapping=MAP, tz="Europe/Berlin", since="2026-03-20", until="2026-03-30")
    assert r.hourly_profile[10] > 0 and r.hourly_profile[11] > 0
    assert r.hourly_profile[10] == pytest.approx(24 * 9 / 11) and r.hourly_profile[11] == pytest.approx(24 * 2 / 11)


def test_growth_between_whole_months(tmp_path):
    counts = {"2026-01": 10, "2026-02": 12, "2026-03": 18, "2026-04": 3}
    rows = [f"{m}-05T12:00:{i % 60:02d}Z,m,100,100,1000,0.01" for m, n in counts.items() for i in range(n)]
    r = ingest_logs([_csv(tmp_path, rows)], mapping=MAP, since="2026-01-01", until="2026-04-30")
    assert [m.month for m in r.monthly] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert [m.requests for m in r.monthly] == [10, 12, 18, 3] and not any(m.partial for m in r.monthly)
    assert r.growth.changes == pytest.approx([0.2, 0.5, 3 / 18 - 1])
    assert r.growth.monthly_rate == pytest.approx((3 / 10) ** (1 / 3) - 1)
    partial = ingest_logs([_csv(tmp_path, rows)], mapping=MAP)
    assert partial.monthly[0].partial and partial.monthly[-1].partial
    assert partial.growth.monthly_rate == pytest.approx(0.5)


def test_filters_leave_the_rest(tmp_path):
    rows = ["2026-01-01T10:00:00Z,a,1,1,,", "2026-01-05T10:00:00Z,b,1,1,,", "2026-01-05T11:00:00Z,a,2,2,,"]
    rows.append("2026-01-09T10:00:00Z,a,1,1,,")
    r = ingest_logs([_csv(tmp_path, rows)], mapping=MAP, model="a", since="2026-01-02", until="2026-01-08")
    assert r.rows_used == 1 and r.tokens.input == 2
    assert r.rows_rejected == {"before_since": 1, "other_model": 1, "after_until": 1}
    assert {j.reason: j.kind for j in r.rejections} == dict.fromkeys(r.rows_rejected, "filtered")


def test_negative_durations_are_dropped_not_the_request(tmp_path):
    rows = ["2026-01-01T10:00:00Z,a,5,5,-300,", "2026-01-02T10:00:00Z,a,5,5,1000,"]
    r = ingest_logs([_csv(tmp_path, rows)], mapping=MAP)
    assert r.rows_used == 2 and r.concurrency.coverage == 0.5


def test_recorded_bill_beside_the_catalog_price():
    r = _ingest("litellm/spend_logs.csv")
    check = r.cost_check
    assert check.scope == "all records" and abs(check.relative_difference) < 0.01
    mini = next(m for m in r.by_model if m.model == "gpt-4o-mini")
    assert mini.priced_as == "openai/gpt-4o-mini" and mini.computed_cost.currency == "USD"
    assert mini.computed_cost.amount == pytest.approx(mini.recorded_cost.amount, rel=0.01)
    assert "genai-prices" in mini.price_sources[0]


# ------------------------------------------------------------------------------------- errors


def test_unknown_layout_names_columns_and_formats(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("when,tokens\n2026-01-01,3\n")
    with pytest.raises(InputError) as exc:
        ingest_logs([str(path)])
    msg = str(exc.value)
    assert "when, tokens" in msg and all(name in msg for name in READERS) and "--map" in msg


def test_ambiguous_layout_names_the_candidates(tmp_path):
    path = tmp_path / "x.csv"
    cols = "startTime,model,prompt_tokens,completion_tokens,spend,request_created_at,id,traceId,type"
    path.write_text(cols + "\n")
    with pytest.raises(InputError, match=r"fit litellm, langfuse, helicone"):
        ingest_logs([str(path)])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"tz": "Mars/Olympus"}, "tz"),
        ({"since": "last week"}, "since"),
        ({"since": "2026-02-01", "until": "2026-01-01"}, "until"),
        ({"format": "splunk"}, "format"),
        ({"mapping": "time=ts"}, "map"),
        ({"mapping": "time=ts,input=a,output=b,colour=c"}, "map"),
        ({"mapping": "time=nope,input=inp,output=out"}, "source"),
    ],
)
def test_bad_options_name_the_field(tmp_path, kwargs, field):
    with pytest.raises(InputError) as exc:
        ingest_logs([_csv(tmp_path, ["2026-01-01T10:00:00Z,a,1,1,,"])], **{"mapping": MAP, **kwargs})
    assert exc.value.field == field


def test_missing_file_and_nothing_usable(tmp_path):
    with pytest.raises(InputError, match="existing CSV"):
        ingest_logs([str(tmp_path / "nope.csv")])
    with pytest.raises(InputError, match=r"2 read, none usable \(unparseable_time: 2\)"):
        ingest_logs([_csv(tmp_path, ["soon,a,1,1,,", "later,a,1,1,,"])], mapping=MAP)


# ------------------------------------------------------------------------------------ privacy

BODIES = ("messages", "response", "proxy_server_request", "request_body", "response_body")


def test_message_bodies_are_never_selected():
    """The SQL that reads the fixtures (which carry prompts and responses) names no body column and,
    for JSON records, no top-level body key."""
    import ibis

    from breakeven.ingest.usage.run import open_all, record_parts
    from breakeven.ingest.usage.validate import Filters

    names = ("litellm/spend_logs.csv", "litellm/spend_logs.jsonl", "langfuse/observations.jsonl")
    names += ("helicone/requests.csv",)
    for name in names:
        opened = open_all([str(DATA / name)], "auto", None, None)
        sql = ibis.to_sql(record_parts(opened, Filters())[0], dialect="duckdb")
        columns = set(re.findall(r'"([A-Za-z_]+)"', sql))
        top_keys = set(re.findall(r"\"doc\" -> '\$\.([A-Za-z_]+)'", sql))
        assert not columns & set(BODIES), name
        assert not top_keys & {*BODIES, "input", "output", "metadata"} - ({"metadata"} if "litellm" in name else set())
        assert "usage_object" in sql if "litellm" in name else True


def test_reports_round_trip_as_json():
    r = _ingest("helicone/requests.csv")
    data = json.loads(r.model_dump_json())
    for key in ("rows_read", "rows_used", "rows_rejected", "period", "tokens", "tokens_per_month", "requests"):
        assert key in data
    assert set(data["request_size"]) >= {"input", "output"} and set(data["period"]) >= {"start", "end", "months"}
    assert not math.isnan(data["period"]["months"]) and dt.datetime.fromisoformat(data["period"]["start"])


def test_any_ibis_backend_url_with_a_table(tmp_path):
    """A database other than Postgres (here a DuckDB file) is read through Ibis the same way, the
    aggregation running in it: the same workload as the file it was loaded from."""
    import duckdb

    db = tmp_path / "logs.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE usage AS SELECT * FROM read_parquet('{DATA / 'generic' / 'usage.parquet'}')")
    mapping = MAPS["generic/usage.parquet"]
    from_db = ingest_logs([f"duckdb:///{db}"], table="usage", mapping=mapping)
    from_file = _ingest("generic/usage.parquet")
    assert from_db.sources[0].kind == "database" and from_db.engine == "duckdb"
    where = {"sources", "rejections"}
    assert from_db.model_dump(exclude=where) == from_file.model_dump(exclude=where)


def test_database_passwords_are_never_shown():
    from breakeven.ingest.usage.sources import masked

    assert masked("postgresql://litellm:s3cret@db:5432/litellm") == "postgresql://litellm:***@db:5432/litellm"
    with pytest.raises(InputError) as exc:
        ingest_logs(["postgresql://litellm:s3cret@127.0.0.1:1/litellm"])
    assert "s3cret" not in str(exc.value) and "***" in str(exc.value)


def test_langfuse_csv_export_with_json_columns(tmp_path):
    """Langfuse's UI exports observations as CSV too, the usage and cost details as JSON text."""
    path = tmp_path / "observations.csv"
    path.write_text(
        "id,traceId,type,startTime,endTime,model,usageDetails,costDetails,input,output\n"
        "1,t1,GENERATION,2026-01-01T10:00:00.000Z,2026-01-01T10:00:02.500Z,gpt-4o-mini,"
        '"{""input"": 700, ""input_cached_tokens"": 300, ""output"": 50}","{""total"": 0.0002}",'
        '"{""q"": ""hi, you""}",x\n'
        "2,t1,SPAN,2026-01-01T10:00:00.000Z,,,,,,\n"
        "3,t2,GENERATION,2026-01-02T10:00:00.000+01:00,2026-01-02T09:00:01.000Z,gpt-4o-mini,"
        '"{""input"": 10, ""output"": ""lots""}",,,\n'
    )
    with pytest.raises(InputError, match="--since and --until"):
        ingest_logs([str(path)])  # one usable record: an instant, no period
    r = ingest_logs([str(path)], since="2026-01-01", until="2026-01-30")
    assert r.sources[0].format == "langfuse"
    assert r.rows_rejected == {"not_a_generation": 1, "non_numeric_tokens": 1}
    assert r.tokens.model_dump() == {"input": 1000, "cached_input": 300, "cache_write": 0, "output": 50}
    assert r.recorded_cost.amount == pytest.approx(0.0002) and r.concurrency.peak == pytest.approx(2.5 / 3600)


def test_row_numbers_hold_when_a_file_is_read_in_parallel(tmp_path, monkeypatch):
    """DuckDB reads a CSV in chunks on several threads; rows keep their numbers (here 1 MiB chunks,
    about 20 of them, two threads)."""
    from breakeven.ingest.usage import sources

    monkeypatch.setattr(sources, "MAX_LINE_BYTES", 1 << 16)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    tokens = ["x" if i % 997 == 5 else str(i % 900 + 1) for i in range(300_000)]
    rows = [f"{(start + dt.timedelta(seconds=i)).isoformat()},m,{n},7,," for i, n in enumerate(tokens)]
    r = ingest_logs([_csv(tmp_path, rows)], mapping=MAP)
    assert r.rows_rejected == {"non_numeric_tokens": len([i for i in range(300_000) if i % 997 == 5])}
    listed = next(j for j in r.rejections if j.reason == "non_numeric_tokens").rows
    assert [x.row for x in listed] == [i + 1 for i in range(300_000) if i % 997 == 5][:20]
