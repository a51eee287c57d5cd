"""SARK's metric catalog: every series a dashboard or rule may read, and how it is scraped.

One module per subsystem. Families SARK's code defines are ``emitted`` (their ``notes`` say
whether anything records them yet); ``planned`` ones are wanted by the monitoring but not
defined by SARK yet; ``external`` ones come from Prometheus or other exporters.
"""

from definitions.metrics import (
    api,
    audit,
    auth,
    database,
    external,
    gateway,
    health,
    policy,
    rollout,
    siem,
)
from sarkmon.model import Catalog, Metric, Scrape, ScrapeJob

# Scrape facts from SARK's Prometheus config (monitoring/prometheus/prometheus.yml and
# config/prometheus.yml). The node job is new: the disk and network alerts need node_exporter.
SCRAPE = Scrape(
    jobs=(
        ScrapeJob(
            "sark-api",
            targets=("api:8000",),
            interval="10s",
            labels={"service": "sark-api", "tier": "application"},
        ),
        ScrapeJob(
            "prometheus",
            targets=("localhost:9090",),
            labels={"service": "prometheus", "tier": "monitoring"},
        ),
        ScrapeJob(
            "postgres", targets=("postgres:9187",), labels={"service": "postgres", "tier": "data"}
        ),
        ScrapeJob("redis", targets=("redis:9121",), labels={"service": "redis", "tier": "data"}),
        ScrapeJob(
            "node",
            targets=("node-exporter:9100",),
            labels={"service": "node-exporter", "tier": "infrastructure"},
        ),
    ),
    default_job="sark-api",
    interval="15s",
    evaluation_interval="15s",
    external_labels={"cluster": "sark-dev", "environment": "development"},
)


def _metrics_of(*modules: object) -> list[Metric]:
    return [
        value for module in modules for value in vars(module).values() if isinstance(value, Metric)
    ]


catalog = Catalog(
    _metrics_of(api, audit, auth, database, external, gateway, health, policy, rollout, siem),
    SCRAPE,
)
