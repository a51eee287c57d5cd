"""Recording rules: the quantiles and ratios that alerts and dashboards share.

They live beside the alerts and dashboards rather than in either package, since both read
them; each has at least one reader (a test checks it), so none is computed for nobody.

Names follow Prometheus's ``level:metric:operations`` convention: the level lists the labels
a series keeps (``job``, ``job_endpoint``), the metric is the source family (``_per_`` for
a ratio of two), the operations say how it was computed (``p95_5m``: the 95th percentile of
5-minute rates; ``ratio_rate5m``: a ratio of 5-minute rates). Each is computed once per
evaluation instead of once per panel refresh and once per alert; the pipeline registers
every output in the catalog, so their users are linted like any metric.

Quantiles keep ``job`` so that a second SARK deployment scraped by the same Prometheus
stays apart. Error ratios fill the error side with zeros when no error was ever counted
(a labelled counter appears at its first increment): the ratio then reads 0, not "no
data", on dashboards and in alerts.
"""

import sys

from definitions.metrics import api, audit, database, policy
from definitions.metrics import gateway as gw
from sarkmon.model import Histogram, RecordingRule, RuleFile, RuleGroup
from sarkmon.model import re as regex
from sarkmon.source import Location, display_path


def quantile(q: float, histogram: Histogram, by: str = "job", window: str = "5m") -> str:
    """The q-quantile of a histogram's rates, with buckets summed per ``by`` and ``le``."""
    return f"histogram_quantile({q}, sum by ({by}, le) (rate({histogram.bucket}[{window}])))"


def quantile_rule(q: float, histogram: Histogram, what: str, by: str = "job") -> RecordingRule:
    """The recorded q-quantile of ``what`` (a histogram), located where it is declared."""
    caller = sys._getframe(1)
    percent = round(q * 100)
    rank = "Median" if percent == 50 else f"{percent}th percentile of"
    return RecordingRule(
        f"{by.replace(', ', '_')}:{histogram.name}:p{percent}_5m",
        quantile(q, histogram, by),
        help=f"{rank} {what} over 5 minutes",
        unit=histogram.unit,
        location=Location(display_path(caller.f_code.co_filename), caller.f_lineno),
    )


def zero_filled(part: str, *others: str, by: str = "job") -> str:
    """``sum by`` of ``part``, or zero for every group where only ``others`` have series."""
    fills = "".join(f"\n  or 0 * sum by ({by}) ({other})" for other in others)
    return f"(\n  sum by ({by}) ({part}){fills}\n)"


# As often as the alerts reading them are evaluated; dashboards refresh no faster.
INTERVAL = "30s"
AUTHZ_LATENCY = gw.AUTHZ_LATENCY_SECONDS
REQUEST_DURATION = gw.REQUEST_DURATION_SECONDS
HTTP_DURATION = api.HTTP_REQUEST_DURATION_SECONDS
POLICY_DURATION = policy.EVALUATION_DURATION_SECONDS
GATEWAY_REQUESTS_RATE = f"rate({gw.REQUESTS}[5m])"
HTTP_REQUESTS_RATE = f"rate({api.HTTP_REQUESTS}[5m])"

# Gateway: authorization latency, request latency, request outcomes. Only the alerts'
# authorization quantile is recorded: the dashboard's are filtered by action.
AUTHZ_P95 = quantile_rule(0.95, AUTHZ_LATENCY, "gateway authorization latency")
REQUEST_P50 = quantile_rule(0.5, REQUEST_DURATION, "gateway request duration")
REQUEST_P90 = quantile_rule(0.9, REQUEST_DURATION, "gateway request duration")
REQUEST_P95 = quantile_rule(0.95, REQUEST_DURATION, "gateway request duration")
REQUEST_P99 = quantile_rule(0.99, REQUEST_DURATION, "gateway request duration")
REQUESTS_RATE = RecordingRule(
    "job_status:sark_gateway_requests:rate5m",
    f"sum by (job, status) ({GATEWAY_REQUESTS_RATE})",
    help="Gateway requests per second by outcome (success, error), over 5 minutes",
)
REQUEST_ERROR_RATIO = RecordingRule(
    "job:sark_gateway_request_errors_per_requests:ratio_rate5m",
    zero_filled(f'{REQUESTS_RATE}{{status="error"}}', str(REQUESTS_RATE))
    + f"\n/ sum by (job) ({REQUESTS_RATE})",
    help="Share of gateway requests that failed, over 5 minutes (0 to 1)",
    unit="ratio",
)

# SARK's HTTP API (the only request metrics SARK records today).
HTTP_P95 = quantile_rule(
    0.95, HTTP_DURATION, "HTTP request latency per endpoint", by="job, endpoint"
)
HTTP_P99 = quantile_rule(
    0.99, HTTP_DURATION, "HTTP request latency per endpoint", by="job, endpoint"
)
HTTP_ERROR_RATIO = RecordingRule(
    "job:http_request_errors_per_requests:ratio_rate5m",
    zero_filled(f"rate({api.HTTP_REQUESTS(status=regex('5..'))}[5m])", HTTP_REQUESTS_RATE)
    + f"\n/ sum by (job) ({HTTP_REQUESTS_RATE})",
    help="Share of HTTP requests answered with a 5xx status, over 5 minutes (0 to 1)",
    unit="ratio",
)

# Policy evaluation and the policy cache. No P99: the Policy Evaluation dashboard's
# quantiles are filtered by sensitivity level, so only alerts and Gateway Performance read these.
POLICY_P50 = quantile_rule(0.5, POLICY_DURATION, "policy evaluation latency")
POLICY_P95 = quantile_rule(0.95, POLICY_DURATION, "policy evaluation latency")
# The policy cache counts fresh hits, stale hits (served while revalidating) and misses in
# three counters; one series per result makes them one family to sum and divide.
POLICY_CACHE_LOOKUPS = RecordingRule(
    "job_result:sark_policy_cache_lookups:rate5m",
    "\nor ".join(
        f'label_replace(sum by (job) (rate({counter}[5m])), "result", "{result}", "", "")'
        for counter, result in (
            (policy.CACHE_HITS, "hit"),
            (policy.CACHE_STALE_HITS, "stale_hit"),
            (policy.CACHE_MISSES, "miss"),
        )
    ),
    help="Policy cache lookups per second by result (hit, stale_hit, miss), over 5 minutes",
)
# A stale hit is a hit: the caller got its answer from the cache.
POLICY_CACHE_HIT_RATIO = RecordingRule(
    "job:sark_policy_cache_hits_per_lookups:ratio_rate5m",
    zero_filled(f'{POLICY_CACHE_LOOKUPS}{{result=~"hit|stale_hit"}}', str(POLICY_CACHE_LOOKUPS))
    + f"\n/ sum by (job) ({POLICY_CACHE_LOOKUPS})",
    help="Share of policy cache lookups answered from the cache, stale hits included (0 to 1)",
    unit="ratio",
)

# Audit writes and database queries.
AUDIT_WRITE_P95 = quantile_rule(
    0.95,
    audit.WRITE_DURATION_SECONDS,
    "audit write duration per destination",
    by="job, destination",
)
DB_QUERY_P95 = quantile_rule(0.95, database.QUERY_DURATION_SECONDS, "database query duration")


def recordings(subsystem: str, rules: list[RecordingRule]) -> RuleFile:
    """One rule file per subsystem: a test loads only the recordings its alerts read."""
    return RuleFile(
        f"recording_{subsystem}",
        description=f"Quantiles and ratios of the {subsystem} shared by alerts and dashboards.",
        groups=[RuleGroup(f"sark_{subsystem}_recordings", interval=INTERVAL, rules=rules)],
    )


GATEWAY = recordings(
    "gateway",
    [
        AUTHZ_P95,
        REQUEST_P50,
        REQUEST_P90,
        REQUEST_P95,
        REQUEST_P99,
        REQUESTS_RATE,
        REQUEST_ERROR_RATIO,
    ],
)
API = recordings("api", [HTTP_P95, HTTP_P99, HTTP_ERROR_RATIO])
POLICY = recordings(
    "policy", [POLICY_P50, POLICY_P95, POLICY_CACHE_LOOKUPS, POLICY_CACHE_HIT_RATIO]
)
STORAGE = recordings("storage", [AUDIT_WRITE_P95, DB_QUERY_P95])
RULE_FILES = [GATEWAY, API, POLICY, STORAGE]
