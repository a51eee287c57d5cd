"""SARK's alert and recording rules, one module per rule file."""

from definitions.alerts import gateway

RULE_FILES = [gateway.rules]
