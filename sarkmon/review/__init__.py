"""Reviewing output trees: what dashboards, rules, routing and the catalog *mean*.

``sarkmon diff`` and ``sarkmon import`` both need to tell whether two files say the same
thing: the modules here read generated (or hand-written) files into plain facts, with
PromQL compared by its syntax tree rather than its spelling, so that formatting never
counts as a change.
"""
