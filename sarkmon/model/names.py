"""Name rules shared by the model: Prometheus metric and label names, and slugs."""

from __future__ import annotations

import re

METRIC_NAME_RE = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL_NAME_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
ALERT_NAME_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
RECORD_NAME_RE = re.compile(r"^[a-zA-Z_]+(:[a-zA-Z0-9_]+){2,}$")


def is_metric_name(name: str) -> bool:
    return bool(METRIC_NAME_RE.match(name))


def is_label_name(name: str) -> bool:
    return bool(LABEL_NAME_RE.match(name)) and not name.startswith("__")


def slugify(text: str) -> str:
    """Lower-case, ASCII, dash-separated: safe in URLs, file names and Grafana uids."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "x"
