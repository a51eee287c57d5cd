"""Business alerts (SARK's business-alerts.yaml, rebuilt): service level and usage now.

The slow signals of the same file (trends over hours and days) are in the trends rule
file, evaluated every five minutes. What changed from the hand-written file:
- dropped FreeTierOveruse: it filtered ``tier="free"``, but no request series has a tier
  (``tier`` is a scrape target label here, ``application`` for every SARK series), so the
  alert could never fire and there is no customer tier to measure;
- dropped LowRevenuePerRequest: with one fixed price per request the revenue per request
  is that price by construction; the expression was the request rate times the price, a
  low-traffic alert that LowToolInvocationRate and NoRequestsReceived already make;
- moved AuditCoverageInsufficient (audit rule file), SIEMForwardingComplianceRisk and
  LongAuditRetention (compliance rule file) and the trends (trends rule file) to where
  they are evaluated best;
- availability is measured by the error ratio (``> 0.001``), not the success ratio
  (``< 99.9``), which was empty, so silent, when no request had ever succeeded;
- SLAErrorBudgetExhausted sums recorded 5-minute rates over 30 days instead of computing
  30-day rates of every raw series each minute;
- NoRequestsReceived and LowActiveUserCount read no series as zero (``or vector(0)``):
  absent series made them silent exactly when nobody used the gateway;
- NoRequestsReceived pages the platform on-call, who can act on it, not the business team.
"""

from definitions.alerts.business import sla, usage
from sarkmon.model import RuleFile

rules = RuleFile(
    "business",
    description="Service levels and usage of the gateway: latency, availability, quotas.",
    groups=[sla.group, usage.group],
)
