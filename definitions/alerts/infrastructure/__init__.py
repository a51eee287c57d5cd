"""Infrastructure alerts (SARK's infrastructure-alerts.yaml and the system, performance and
connection alerts of sark-alerts.yml, rebuilt).

What changed from the hand-written files:
- every ``job="sark-gateway"`` and ``job="sark"`` is ``job="sark-api"``, the scrape job that
  exists: the old selectors matched nothing, so these alerts could never fire;
- GatewayServiceDown stays per instance; SARKServiceDown (``up{job="sark"} == 0``, the same
  alert once the job is fixed) now fires when no instance is up or the job has no target
  at all, which ``up == 0`` cannot see. It inhibits GatewayServiceDown (``CONTAINED_OUTAGES``
  in ``definitions/routing.py``): one page while no instance is up, not one per instance;
- HighCPUUsage was written twice, identical once the job is fixed: merged (for 15m);
- HighMemoryUsage was written twice, at 2 GiB and at 1 GiB, both warnings: the 2 GiB one
  keeps the name, the 1 GiB one is ElevatedMemoryUsage at info severity;
- SlowDatabaseQueries was written twice: the name stays with database query latency, the
  audit write latency one is SlowAuditDatabaseWrites;
- MemoryLeakSuspected applied ``rate()`` to a gauge and compared a per-second figure with a
  per-hour one; it uses ``deriv()`` scaled to an hour;
- SlowResponseTime grouped by ``path``, a label http_request_duration_seconds does not
  have (``endpoint``), and multiplied seconds by 1000 to compare with milliseconds;
- HighErrorRate and the request error ratios read recorded ratios that are 0, not empty,
  when no error was ever counted;
- RedisConnectionErrors moved here from the policy group: Redis is a dependency;
- RequestsBackingUp sums the in-flight gauge over instances before the threshold.
"""

from definitions.alerts.infrastructure import availability, dependencies, host, resources
from sarkmon.model import RuleFile

rules = RuleFile(
    "infrastructure",
    description="SARK's availability, resources, dependencies and hosts.",
    groups=[availability.group, resources.group, dependencies.group, host.group],
)
