"""Business alerts (SARK's business-alerts.yaml, rebuilt).

What changed from the hand-written file:
- dropped FreeTierOveruse: it filtered ``tier="free"``, but no request series has a tier
  (``tier`` is a scrape target label here, ``application`` for every SARK series), so the
  alert could never fire and there is no customer tier to measure;
- dropped LowRevenuePerRequest: with one fixed price per request the revenue per request
  is that price by construction; the expression was the request rate times the price, a
  low-traffic alert that LowToolInvocationRate and NoRequestsReceived already make;
- moved AuditCoverageInsufficient, LongAuditRetention (audit rule file) and
  SIEMForwardingComplianceRisk (siem rule file) to the pipelines they watch;
- availability is measured by the error ratio (``> 0.001``), not the success ratio
  (``< 99.9``), which was empty, so silent, when no request had ever succeeded;
- SLAErrorBudgetExhausted sums recorded 5-minute rates over 30 days instead of computing
  30-day rates of every raw series each minute;
- HighInfrastructureCost scaled a per-second rate by the hours of a month (24 * 30): the
  projection was 3600 times too small; it uses the seconds of a month;
- NoRequestsReceived, LowActiveUserCount, LowToolInvocationRate and HighUserChurnRate read
  no series as zero (``or vector(0)``): absent series made them silent exactly when nobody
  used the gateway;
- UserApproachingQuota read ``sark_gateway_requests_by_user``, the family name, not the
  series ``sark_gateway_requests_by_user_total``;
- NewFeatureNotAdopted summed away the ``tool`` label its summary names, and compared a
  per-second rate with 1 ("not used" meant less than a call per second); it keeps ``tool``
  and counts calls per day;
- CacheHitRateDeclining raised one alert per sensitivity level, each on its own traffic; it
  sums, counts stale hits as hits like LowPolicyCacheHitRate, and compares a ratio with 0.7.
"""

from definitions.alerts.business import engagement, sla, usage
from sarkmon.model import RuleFile

rules = RuleFile(
    "business",
    description="Service levels, engagement, quotas, cost and quality trends.",
    groups=[sla.group, engagement.group, usage.group],
)
