"""The catalog as data (JSON) and as a plain table, for people and for other tools."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sarkmon.compile.json_text import dump_json
from sarkmon.model.catalog import Catalog
from sarkmon.model.metrics import Histogram, Metric, StateSet, Summary

if TYPE_CHECKING:
    from sarkmon.pipeline import Build

CATALOG_PATH = "catalog.json"


def metric_record(metric: Metric, catalog: Catalog) -> dict[str, Any]:
    record: dict[str, Any] = {
        "family": metric.family,
        "name": metric.main_sample,
        "type": metric.type.value,
        "status": metric.status.value,
        "dormant": metric.dormant,
        "help": metric.help,
        "unit": metric.unit,
        "subsystem": metric.subsystem,
        "owner": metric.owner,
        "samples": sorted(metric.samples()),
        "labels": [
            {
                "name": label.name,
                "values": list(label.values) if label.values is not None else None,
                "unbounded": label.unbounded,
            }
            for label in metric.label_specs
        ],
        "target_labels": {k: sorted(v) for k, v in catalog.target_labels(metric).items()},
        "source": metric.source,
    }
    if isinstance(metric, Histogram):
        record["buckets"] = list(metric.buckets)
    if isinstance(metric, Summary) and metric.quantiles:
        record["quantiles"] = list(metric.quantiles)
    if isinstance(metric, StateSet):
        record["states"] = list(metric.states)
    if metric.notes:
        record["notes"] = metric.notes
    return record


def catalog_json(catalog: Catalog) -> str:
    records = [metric_record(m, catalog) for m in catalog]
    return dump_json(records) + "\n"


def catalog_table(catalog: Catalog) -> str:
    rows = [
        (m.display_name, m.type.value, m.status.value, ",".join(m.label_names)) for m in catalog
    ]
    width = [max(len(r[i]) for r in rows) for i in range(3)] if rows else [0, 0, 0]
    return "".join(
        f"{a:{width[0]}}  {b:{width[1]}}  {c:{width[2]}}  {d}".rstrip() + "\n"
        for a, b, c, d in rows
    )


def catalog_markdown(catalog: Catalog) -> str:
    lines = ["| metric | type | status | unit | labels | help |", "|---|---|---|---|---|---|"]
    for m in catalog:
        labels = ", ".join(f"`{n}`" for n in m.label_names)
        help_text = m.help.replace("|", "\\|")
        lines.append(
            f"| `{m.display_name}` | {m.type.value} | {m.status.value} | {m.unit} | "
            f"{labels} | {help_text} |"
        )
    return "\n".join(lines) + "\n"


def compile_catalog(result: Build) -> dict[str, str]:
    return {CATALOG_PATH: catalog_json(result.catalog)}
