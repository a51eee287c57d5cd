"""The series of each panel query, as a live Prometheus returned them: ``sarkmon-series/1``.

``sarkmon verify`` runs every dashboard query on a real Prometheus; written to a file, its
results let ``sarkmon preview`` draw each panel's series. The format is plain JSON::

    {
      "format": "sarkmon-series/1",
      "range": {"start": 1700000000, "end": 1700003600, "step": 15},
      "queries": [
        {
          "dashboard": "sark-gateway-integration",   # the dashboard's uid
          "panel": "authorization-requests-rate",    # the panel's key (its title's slug)
          "ref_id": "A",
          "expr": "sum by (decision) (rate(...[$__rate_interval]))",  # as the panel has it
          "series": [
            {"labels": {"decision": "allow"}, "values": [[1700000000, "12.5"], ...]}
          ]
        }
      ]
    }

``values`` are Prometheus' own ``[unix seconds, "value"]`` pairs; a range query's matrix and
an instant query's vector (one pair) both fit. :func:`query_record` turns a Prometheus API
``data`` object into a record and :func:`write_series` writes the file. A record whose
``expr`` no longer means what the panel queries is stale: the preview says so instead of
drawing it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "sarkmon-series/1"


class SeriesError(ValueError):
    pass


@dataclass(frozen=True)
class Series:
    labels: Mapping[str, str]
    points: tuple[tuple[float, float], ...]  # (unix seconds, value); NaN and Inf dropped


@dataclass(frozen=True)
class QuerySeries:
    dashboard: str
    panel: str
    ref_id: str
    expr: str
    series: tuple[Series, ...] = ()


@dataclass
class SeriesData:
    start: float = 0.0
    end: float = 0.0
    step: float = 0.0
    queries: dict[tuple[str, str, str], QuerySeries] = field(default_factory=dict)

    def of(self, dashboard: str, panel: str, ref_id: str) -> QuerySeries | None:
        return self.queries.get((dashboard, panel, ref_id))


def _points(values: Any) -> tuple[tuple[float, float], ...]:
    out = []
    for pair in values if isinstance(values, list) else []:
        try:
            when, value = float(pair[0]), float(pair[1])
        except (TypeError, ValueError, IndexError):
            continue
        if math.isfinite(value):
            out.append((when, value))
    return tuple(out)


def load_series(path: Path) -> SeriesData:
    """Read a series file; raises SeriesError naming what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise SeriesError(f"{path}: {err}") from err
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SeriesError(f"{path}: not a {FORMAT} file (its format field says otherwise)")
    given = data.get("range")
    window: dict[str, Any] = given if isinstance(given, dict) else {}
    out = SeriesData(
        float(window.get("start", 0)), float(window.get("end", 0)), float(window.get("step", 0))
    )
    for record in data.get("queries") or []:
        if not isinstance(record, dict):
            continue
        series = tuple(
            Series(
                {str(k): str(v) for k, v in (s.get("labels") or {}).items()},
                _points(s.get("values")),
            )
            for s in record.get("series") or []
            if isinstance(s, dict)
        )
        query = QuerySeries(
            str(record.get("dashboard", "")),
            str(record.get("panel", "")),
            str(record.get("ref_id", "")),
            str(record.get("expr", "")),
            series,
        )
        out.queries[(query.dashboard, query.panel, query.ref_id)] = query
    return out


def query_record(
    dashboard: str, panel: str, ref_id: str, expr: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    """A record from a Prometheus API ``data`` object (``resultType`` matrix or vector)."""
    series = []
    for item in data.get("result") or []:
        values = item.get("values") or ([item["value"]] if "value" in item else [])
        labels = {k: v for k, v in (item.get("metric") or {}).items() if k != "__name__"}
        series.append({"labels": dict(sorted(labels.items())), "values": values})
    return {
        "dashboard": dashboard,
        "panel": panel,
        "ref_id": ref_id,
        "expr": expr,
        "series": series,
    }


def write_series(
    path: Path, start: float, end: float, step: float, records: Iterable[Mapping[str, Any]]
) -> None:
    document = {
        "format": FORMAT,
        "range": {"start": start, "end": end, "step": step},
        "queries": sorted(
            (dict(r) for r in records), key=lambda r: (r["dashboard"], r["panel"], r["ref_id"])
        ),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
