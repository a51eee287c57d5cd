"""SARK's alert rules, one module (or package) per rule file, after the shared recordings."""

from definitions import recordings
from definitions.alerts import (
    audit,
    business,
    compliance,
    gateway,
    infrastructure,
    policy,
    security,
    siem,
    trends,
)

RULE_FILES = [
    *recordings.RULE_FILES,
    gateway.rules,
    security.rules,
    infrastructure.rules,
    business.rules,
    policy.rules,
    audit.rules,
    siem.rules,
    compliance.rules,
    trends.rules,
]
