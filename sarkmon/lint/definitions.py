"""Checks the model enforces while definitions are built or rule files read.

Their findings come from the model (:mod:`sarkmon.model.rules`), before any expression is
analysed: an alert with an unknown severity cannot be built. They are registered here for
their IDs and docs, so that ``sarkmon lint --list`` names them; they run nowhere else.
"""

from __future__ import annotations

from sarkmon.diagnostics import Severity
from sarkmon.lint.registry import model_check

SEVERITY = model_check(
    "definition/severity",
    Severity.ERROR,
    "alert severity outside critical, warning and info",
    """An alert's severity says how urgent it is: critical pages someone now, warning needs
    attention within working hours, info only gives context. Routes, inhibitions and the
    generated docs are written for these three values; a severity such as page or P1 matches
    none of them, so the alert reaches whoever the default route names, or no one. Use
    critical, warning or info (in a rule file: the severity label). Reported while the
    alert is built, so it cannot be silenced.""",
)

ALERT_NAME = model_check(
    "definition/alert-name",
    Severity.ERROR,
    "alert name not in UpperCamelCase",
    """Alert names are UpperCamelCase (HighErrorRate), the convention of Prometheus's own
    and most published rules. The name becomes the alertname label of every notification,
    silence, inhibition and ALERTS series, so one style keeps them easy to find and match;
    high_latency or 'High latency' is missed by matchers written for the convention. Rename
    the alert, and whatever silences, inhibits or shows it by name. Reported while the alert
    is built, so it cannot be silenced.""",
)
