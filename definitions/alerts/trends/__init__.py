"""Trend alerts (from SARK's business-alerts.yaml, rebuilt): what changes over hours and days.

They compare with yesterday, or hold for hours before firing, so they are evaluated every
five minutes: minute-by-minute evaluation of 1-hour and 24-hour ranges would cost without
firing any sooner. What changed from the hand-written file:
- HighUserChurnRate counted no current user as an empty vector, so it stayed silent when
  every user had left; absent counts as zero;
- LowToolInvocationRate read no series as silence; it reads it as zero calls;
- UserApproachingQuota read ``sark_gateway_requests_by_user``, the family name, not the
  series ``sark_gateway_requests_by_user_total``;
- NewFeatureNotAdopted summed away the ``tool`` label its summary names, and compared a
  per-second rate with 1 ("not used" meant less than a call per second); it keeps ``tool``
  and counts calls per day. A tool never called at all has no series and cannot be seen:
  SARK would need to export its tool catalog for that;
- HighInfrastructureCost scaled a per-second rate by the hours of a month (24 * 30): the
  projection was 3600 times too small; it uses the seconds of a month;
- CacheHitRateDeclining raised one alert per sensitivity level, each on its own traffic; it
  sums, counts stale hits as hits like LowPolicyCacheHitRate, and compares a ratio with 0.7.
"""

from definitions.alerts.trends import quality, usage
from sarkmon.model import RuleFile

rules = RuleFile(
    "trends",
    description="Usage and quality trends over hours and days.",
    groups=[usage.group, quality.group],
)
