"""SARK's alert and recording rules, one module per rule file."""
