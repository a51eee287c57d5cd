"""SARK's alert and recording rules, one module (or package) per rule file."""

from definitions.alerts import (
    audit,
    business,
    compliance,
    gateway,
    infrastructure,
    policy,
    recording,
    security,
    siem,
    trends,
)

RULE_FILES = [
    *recording.RULE_FILES,
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
