"""SARK's metric catalog: every series a dashboard or rule may read, and how it is scraped.

One module per subsystem. Families SARK's code defines are ``emitted``; those of them nothing
records yet are also ``dormant`` (their ``notes`` say why); ``planned`` ones are wanted by the
monitoring but not defined by SARK yet; ``external`` ones come from Prometheus or other
exporters.
"""

import importlib
import pkgutil

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


def _declared_metrics() -> list[Metric]:
    """Every Metric defined at the top level of this package's modules, module by module."""
    found: list[Metric] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(v for v in vars(module).values() if isinstance(v, Metric))
    return found


catalog = Catalog(_declared_metrics(), SCRAPE)
