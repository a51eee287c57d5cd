"""The model: typed, immutable objects that definitions build. No I/O happens here."""

from sarkmon.model.catalog import Catalog, SampleRef
from sarkmon.model.metrics import (
    ALL_JOBS,
    Counter,
    Gauge,
    Histogram,
    Info,
    Label,
    Metric,
    MetricType,
    Sample,
    Selector,
    StateSet,
    Status,
    Summary,
    ne,
    not_re,
    re,
)
from sarkmon.model.project import Project
from sarkmon.model.rules import (
    AlertRule,
    AlertSeverity,
    RecordingRule,
    RuleFile,
    RuleGroup,
    Runbook,
)
from sarkmon.model.scrape import Scrape, ScrapeJob

__all__ = [
    "ALL_JOBS",
    "AlertRule",
    "AlertSeverity",
    "Catalog",
    "Counter",
    "Gauge",
    "Histogram",
    "Info",
    "Label",
    "Metric",
    "MetricType",
    "Project",
    "RecordingRule",
    "RuleFile",
    "RuleGroup",
    "Runbook",
    "Sample",
    "SampleRef",
    "Scrape",
    "ScrapeJob",
    "Selector",
    "StateSet",
    "Status",
    "Summary",
    "ne",
    "not_re",
    "re",
]
