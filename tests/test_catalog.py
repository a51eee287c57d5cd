"""The catalog: resolving series names, labels scraping adds, rejecting conflicts."""

from __future__ import annotations

import json

import pytest

from sarkmon.diagnostics import DefinitionError, collecting
from sarkmon.model import (
    ALL_JOBS,
    Catalog,
    Counter,
    Gauge,
    Histogram,
    Info,
    Label,
    Sample,
    Scrape,
    ScrapeJob,
    StateSet,
    Status,
    Summary,
)
from sarkmon.model.metrics import le_text
from tests.conftest import INVENTORY

SCRAPE = Scrape(
    [
        ScrapeJob("api", targets=("api:8000",), labels={"service": "api", "tier": "app"}),
        ScrapeJob("node", targets=("n1:9100", "n2:9100"), labels={"tier": "infra"}),
    ]
)


def make_catalog() -> Catalog:
    return Catalog(
        [
            Counter("req_total", "r", labels=("route",)),
            Histogram("lat_seconds", "l", labels=("route",), buckets=(0.1, 1)),
            Summary("size_bytes", "s"),
            Summary("q_seconds", "q", quantiles=(0.5, 0.9)),
            Info("build", "b", labels=("version",)),
            Gauge("temp", "t", jobs=("node",), created=False),
            Gauge("up", "u", jobs=(ALL_JOBS,), created=False),
            StateSet("mode", "m", states=("a", "b")),
        ],
        SCRAPE,
    )


@pytest.mark.parametrize(
    ("sample", "family", "kind"),
    [
        ("req_total", "req", Sample.TOTAL),
        ("req_created", "req", Sample.CREATED),
        ("lat_seconds_bucket", "lat_seconds", Sample.BUCKET),
        ("lat_seconds_count", "lat_seconds", Sample.COUNT),
        ("lat_seconds_sum", "lat_seconds", Sample.SUM),
        ("lat_seconds_created", "lat_seconds", Sample.CREATED),
        ("size_bytes_count", "size_bytes", Sample.COUNT),
        ("q_seconds", "q_seconds", Sample.VALUE),
        ("build_info", "build", Sample.INFO),
        ("temp", "temp", Sample.VALUE),
        ("mode", "mode", Sample.VALUE),
    ],
)
def test_every_exposed_series_resolves_to_its_family(
    sample: str, family: str, kind: Sample
) -> None:
    ref = make_catalog().resolve(sample)
    assert ref is not None
    assert (ref.metric.family, ref.kind) == (family, kind)


@pytest.mark.parametrize("name", ["req", "lat_seconds", "size_bytes", "build", "temp_created", "x"])
def test_names_no_series_has_do_not_resolve(name: str) -> None:
    assert make_catalog().resolve(name) is None


def test_summary_without_quantiles_exposes_no_bare_series() -> None:
    assert make_catalog().resolve("size_bytes") is None


def test_family_lookup_by_family_or_series_name() -> None:
    catalog = make_catalog()
    assert catalog.metric("req") is catalog.metric("req_total")
    assert catalog.metric("lat_seconds_bucket") is catalog.metric("lat_seconds")


def test_series_labels_include_target_labels_and_le_only_on_buckets() -> None:
    catalog = make_catalog()
    base = {"route", "job", "instance", "service", "tier"}
    assert catalog.series_labels("lat_seconds_bucket") == frozenset(base | {"le"})
    assert catalog.series_labels("lat_seconds_count") == frozenset(base)
    assert catalog.series_labels("q_seconds") == frozenset(
        {"quantile", "job", "instance", "service", "tier"}
    )
    assert catalog.series_labels("temp") == frozenset({"job", "instance", "tier"})
    assert catalog.series_labels("nope") is None


def test_target_labels_list_every_value_of_the_jobs_exposing_a_metric() -> None:
    catalog = make_catalog()
    up = catalog.metric("up")
    assert up is not None
    labels = catalog.target_labels(up)
    assert labels["job"] == {"api", "node"}
    assert labels["instance"] == {"api:8000", "n1:9100", "n2:9100"}
    assert labels["tier"] == {"app", "infra"}
    temp = catalog.metric("temp")
    assert temp is not None
    assert catalog.target_labels(temp)["job"] == {"node"}


def test_counter_and_info_names_are_normalised() -> None:
    assert Counter("a_total", "x").name == Counter("a", "x").name == "a"
    assert str(Counter("a", "x")) == "a_total"
    assert str(Info("b_info", "x")) == "b_info"


def test_did_you_mean_suggests_the_closest_series() -> None:
    assert make_catalog().suggest("reqs_total") == "req_total"
    assert make_catalog().suggest("completely_different") is None


def test_duplicate_family_is_rejected_naming_both_places() -> None:
    with pytest.raises(DefinitionError) as err:
        Catalog([Counter("a_total", "x"), Gauge("a", "y")], SCRAPE)
    assert "declared twice (first at" in str(err.value)


def test_clashing_series_names_are_rejected() -> None:
    # A gauge named like another family's _count series would be indistinguishable.
    with pytest.raises(DefinitionError, match="series 'lat_seconds_count' is also exposed by"):
        Catalog([Histogram("lat_seconds", "l"), Gauge("lat_seconds_count", "g")], SCRAPE)


def test_all_conflicts_are_collected_when_loading() -> None:
    with collecting() as found:
        Catalog([Counter("a", "x"), Counter("a", "x"), Gauge("b", "y"), Gauge("b", "z")], SCRAPE)
    assert [f.obj for f in found.findings] == ["counter 'a'", "gauge 'b'"]


def test_selectors_check_labels_and_enum_values() -> None:
    metric = Counter("c_total", "x", labels=("a", Label("code", values=("ok", "bad"))))
    assert str(metric(a="1", code="ok")) == 'c_total{a="1", code="ok"}'
    assert str(metric(job="api")) == 'c_total{job="api"}'
    with pytest.raises(DefinitionError, match="label 'b' is not declared"):
        metric(b="1")
    with pytest.raises(DefinitionError, match="not a known value of label 'code'"):
        metric(code="fine")


def test_only_an_emitted_metric_can_be_dormant() -> None:
    assert Counter("c_total", "x", dormant=True).dormant
    with pytest.raises(DefinitionError, match="a planned metric cannot be dormant"):
        Counter("p_total", "x", status=Status.PLANNED, dormant=True)


def test_histogram_le_text_matches_prometheus_client() -> None:
    assert [le_text(b) for b in (0.005, 1, 2.5, 10, 1e6, 0.0001)] == [
        "0.005", "1.0", "2.5", "10.0", "1e+06", "0.0001",
    ]  # fmt: skip
    hist = Histogram("h_seconds", "h", buckets=(0.1, 1))
    assert hist.le_values() == ("0.1", "1.0", "+Inf")
    with pytest.raises(DefinitionError, match="not one of its bucket bounds"):
        hist.le(0.5)


def test_sark_catalog_lists_every_inventory_family(run_cli) -> None:  # type: ignore[no-untyped-def]
    inventory = json.loads(INVENTORY.read_text())
    result = run_cli("catalog", "--format", "json")
    assert result.code == 0, result.err
    records = json.loads(result.out)
    samples = {s for r in records for s in r["samples"]}
    for metric in inventory["metrics"]:
        for sample in metric["exposed_samples"]:
            assert sample in samples, sample
    conflicts = {c["family"] for c in inventory["name_conflicts"]}
    families = {r["family"] for r in records}
    assert {c.removesuffix("_total") for c in conflicts} <= families | {
        "sark_gateway_active_connections"
    }
    emitted = [r for r in records if r["status"] == "emitted"]
    assert len(emitted) == len({m["name"] for m in inventory["metrics"]}) == 105


def test_sark_catalog_marks_dormant_what_nothing_in_sark_records(run_cli) -> None:  # type: ignore[no-untyped-def]
    inventory = json.loads(INVENTORY.read_text())
    records = json.loads(run_cli("catalog", "--format", "json").out)
    by_sample = {s: r for r in records for s in r["samples"]}
    for metric in inventory["metrics"]:
        record = by_sample[metric["exposed_samples"][-1]]
        unrecorded = metric["emitted_by"].startswith("none in src/")
        assert record["dormant"] is unrecorded, metric["name"]
    assert not any(r["dormant"] for r in records if r["status"] != "emitted")


def test_sark_catalog_keeps_inventory_types_labels_and_buckets(run_cli) -> None:  # type: ignore[no-untyped-def]
    inventory = json.loads(INVENTORY.read_text())
    records = {r["name"]: r for r in json.loads(run_cli("catalog", "--format", "json").out)}
    chosen = {
        "sark_policy_evaluation_duration_seconds": "src/sark/services/policy/metrics.py",
        "sark_gateway_active_connections": "src/sark/monitoring/gateway/metrics.py",
        "sark_policy_cache_hits_total": "src/sark/services/policy/metrics.py",
        "sark_policy_cache_misses_total": "src/sark/services/policy/metrics.py",
    }
    for metric in inventory["metrics"]:
        if chosen.get(metric["name"], metric["file"]) != metric["file"]:
            continue
        key = metric["name"] if metric["type"] != "histogram" else metric["name"] + "_bucket"
        key = records.get(key, records.get(metric["name"] + "_info", {})).get("name", key)
        record = records.get(key) or next(
            r for r in records.values() if r["family"] == metric["name"]
        )
        assert record["type"] == metric["type"], metric["name"]
        assert [label["name"] for label in record["labels"]] == metric["labels"], metric["name"]
        assert record["help"] == metric["help"]
        if metric["buckets"]:
            assert record["buckets"] == [float(b) for b in metric["buckets"]]


def test_catalog_formats(run_cli) -> None:  # type: ignore[no-untyped-def]
    text = run_cli("catalog").out
    assert "sark_gateway_authz_requests_total" in text
    markdown = run_cli("catalog", "--format", "markdown").out
    assert markdown.startswith("| metric | type |")
    assert "| `sark_gateway_authz_latency_seconds` | histogram | emitted |" in markdown
