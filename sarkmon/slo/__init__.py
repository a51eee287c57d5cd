"""SLOs compiled into the rest of the model: rule files, their test cases, a dashboard.

Everything here is a pure function of the SLO definitions; the results go through the normal
pipeline (lint, the rule compiler, promtool) like hand-written rules and dashboards.
"""
