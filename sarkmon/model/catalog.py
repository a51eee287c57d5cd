"""The catalog: every metric a query may touch, resolvable from any series name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sarkmon.diagnostics import report
from sarkmon.model.metrics import ALL_JOBS, Metric, Sample
from sarkmon.model.scrape import Scrape, ScrapeJob
from sarkmon.source import Location, caller_location


@dataclass(frozen=True)
class SampleRef:
    """A series name resolved to its family and the kind of series it is."""

    metric: Metric
    kind: Sample


class Catalog:
    """Metric families keyed by name, with an index from every exposed series name."""

    def __init__(
        self, metrics: Iterable[Metric], scrape: Scrape, location: Location | None = None
    ) -> None:
        self.scrape = scrape
        self.location = location or caller_location()
        self._families: dict[str, Metric] = {}
        self._samples: dict[str, SampleRef] = {}
        self._sample_names: list[str] | None = None
        self._sorted: list[Metric] | None = None
        # Target labels by what decides them (scraped, jobs): asked for every selector.
        self._targets: dict[tuple[bool, tuple[str, ...]], dict[str, frozenset[str]]] = {}
        self._jobs: dict[tuple[str, ...], tuple[ScrapeJob, ...]] = {}
        for metric in metrics:
            self.register(metric)

    def register(self, metric: Metric) -> None:
        """Add a family; only while a catalog is being built (constructor, recordings)."""
        what = f"{metric.type.value} {metric.name!r}"
        previous = self._families.get(metric.name)
        if previous is not None:
            report(
                "definition/duplicate",
                what,
                f"metric family declared twice (first at {previous.location})",
                metric.location,
                "keep one definition; merge their labels if both are real",
            )
            return
        samples = metric.samples()
        for sample in samples:
            clash = self._samples.get(sample)
            if clash is not None:
                report(
                    "definition/duplicate",
                    what,
                    f"series {sample!r} is also exposed by {clash.metric.type.value} "
                    f"{clash.metric.name!r} ({clash.metric.location})",
                    metric.location,
                )
                return
        self._families[metric.name] = metric
        for sample, kind in samples.items():
            self._samples[sample] = SampleRef(metric, kind)
        self._sample_names = None
        self._sorted = None

    # -- lookup ---------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Metric]:
        if self._sorted is None:
            self._sorted = [self._families[name] for name in sorted(self._families)]
        return iter(self._sorted)

    def __len__(self) -> int:
        return len(self._families)

    def __contains__(self, name: object) -> bool:
        return name in self._samples or name in self._families

    def resolve(self, sample: str) -> SampleRef | None:
        """The family and kind of an exposed series name, or None when undeclared."""
        return self._samples.get(sample)

    def metric(self, name: str) -> Metric | None:
        """A family by its own name or by any series name it exposes."""
        ref = self._samples.get(name)
        return ref.metric if ref else self._families.get(name)

    def __getitem__(self, name: str) -> Metric:
        found = self.metric(name)
        if found is None:
            suggestion = self.suggest(name)
            hint = f"did you mean {suggestion}?" if suggestion else ""
            report(
                "catalog/unknown-metric",
                name,
                "metric is not in the catalog",
                caller_location(),
                hint,
            )
            raise KeyError(name)
        return found

    def suggest(self, name: str) -> str | None:
        """The closest declared series name, for a did-you-mean hint."""
        close = difflib.get_close_matches(name, self.sample_names, n=1, cutoff=0.75)
        return close[0] if close else None

    @property
    def sample_names(self) -> list[str]:
        if self._sample_names is None:
            self._sample_names = sorted(self._samples)
        return self._sample_names

    # -- labels ---------------------------------------------------------------------------
    def jobs_of(self, metric: Metric) -> tuple[ScrapeJob, ...]:
        """The scrape jobs that expose a metric (none for series Prometheus makes itself)."""
        if not metric.scraped:
            return ()
        if ALL_JOBS in metric.jobs:
            return tuple(self.scrape.jobs)
        names = tuple(metric.jobs) or (self.scrape.default_job,)
        found = self._jobs.get(names)
        if found is None:  # the scrape jobs' order, whatever the metric's
            found = self._jobs[names] = tuple(j for j in self.scrape.jobs if j.name in names)
        return found

    def target_labels(self, metric: Metric) -> dict[str, frozenset[str]]:
        """Labels scraping adds to a metric's series, with every value they can take."""
        key = (metric.scraped, tuple(metric.jobs))
        found = self._targets.get(key)
        if found is None:
            found = self._targets[key] = self._target_labels(metric)
        return dict(found)

    def _target_labels(self, metric: Metric) -> dict[str, frozenset[str]]:
        jobs = self.jobs_of(metric)
        if not jobs:
            return {}
        out: dict[str, set[str]] = {"job": set(), "instance": set()}
        for job in jobs:
            out["job"].add(job.name)
            out["instance"].update(job.targets)
            for key, value in job.labels.items():
                out.setdefault(key, set()).add(value)
        return {k: frozenset(v) for k, v in sorted(out.items())}

    def series_labels(self, sample: str) -> frozenset[str] | None:
        """Every label a series can carry; None for undeclared names or open label sets."""
        ref = self._samples.get(sample)
        if ref is None or ref.metric.open_labels:
            return None
        metric = ref.metric
        names = set(metric.label_names) | set(self.target_labels(metric))
        if ref.kind is Sample.BUCKET or (ref.kind is Sample.VALUE and metric.reserved_labels()):
            names.update(metric.reserved_labels())
        return frozenset(names)

    # -- growth ---------------------------------------------------------------------------
    def with_metrics(self, more: Iterable[Metric]) -> Catalog:
        """A new catalog with extra families (recording-rule outputs), checked the same way."""
        return Catalog([*self, *more], self.scrape, self.location)
