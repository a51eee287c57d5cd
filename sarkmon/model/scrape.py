"""Scrape facts: which jobs exist, how often they are scraped, which labels scraping adds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from sarkmon.diagnostics import report
from sarkmon.model.durations import DurationError, parse_ms
from sarkmon.model.names import is_label_name
from sarkmon.source import Location, caller_location


def frozen_map(data: Mapping[str, str] | None) -> Mapping[str, str]:
    """An immutable, key-sorted copy (sorted so every consumer iterates the same way)."""
    return MappingProxyType(dict(sorted((data or {}).items())))


@dataclass(frozen=True)
class ScrapeJob:
    """One scrape job: its ``job`` label, targets, interval and static target labels."""

    name: str
    targets: Sequence[str] = ()
    interval: str = ""  # empty: the global scrape interval
    metrics_path: str = "/metrics"
    labels: Mapping[str, str] = field(default_factory=dict)
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets", tuple(self.targets))
        object.__setattr__(self, "labels", frozen_map(self.labels))
        for name in self.labels:
            if not is_label_name(name) or name in ("job", "instance"):
                report(
                    "definition/label-name",
                    f"scrape job {self.name!r}",
                    f"invalid static label {name!r}",
                    self.location,
                )
        if self.interval:
            _check_duration(self.interval, f"scrape job {self.name!r}", self.location)


@dataclass(frozen=True)
class Scrape:
    """The scrape side of the Prometheus configuration the catalog assumes."""

    jobs: Sequence[ScrapeJob]
    default_job: str = ""
    interval: str = "15s"
    evaluation_interval: str = "30s"
    external_labels: Mapping[str, str] = field(default_factory=dict)
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "jobs", tuple(self.jobs))
        object.__setattr__(self, "external_labels", frozen_map(self.external_labels))
        if not self.default_job and self.jobs:
            object.__setattr__(self, "default_job", self.jobs[0].name)
        _check_duration(self.interval, "scrape settings", self.location)
        _check_duration(self.evaluation_interval, "scrape settings", self.location)
        names = [j.name for j in self.jobs]
        for name in sorted({n for n in names if names.count(n) > 1}):
            report(
                "definition/duplicate", f"scrape job {name!r}", "job defined twice", self.location
            )
        if self.jobs and self.default_job not in names:
            report(
                "definition/unknown-job",
                "scrape settings",
                f"default job {self.default_job!r} is not a scrape job",
                self.location,
                "jobs: " + ", ".join(names),
            )

    def job(self, name: str) -> ScrapeJob | None:
        for job in self.jobs:
            if job.name == name:
                return job
        return None

    def interval_ms(self, job: str = "") -> int:
        found = self.job(job or self.default_job)
        text = found.interval if found and found.interval else self.interval
        return parse_ms(text)


def _check_duration(text: str, obj: str, where: Location) -> None:
    try:
        parse_ms(text)
    except DurationError as err:
        report("definition/duration", obj, str(err), where)
