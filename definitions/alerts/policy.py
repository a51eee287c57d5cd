"""Policy evaluation alerts (the policy and business-logic groups of sark-alerts.yml, rebuilt).

What changed from the hand-written file:
- SlowPolicyEvaluation multiplied seconds by 1000 to compare with milliseconds; it reads
  the recorded P95 in seconds and shows it with humanizeDuration;
- LowPolicyCacheHitRate read an empty sum, so stayed silent, whenever the cache had never
  served a stale hit (or any hit): it reads the recorded ratio, where each kind of lookup
  counts as zero when absent;
- UnusualAuthorizationDenialRate had the same gap when nothing was ever allowed (100% of
  requests denied); allows count as zero when absent;
- BatchEvaluationUnderutilized reads no batch series as zero: an absent counter made it
  silent exactly when nothing was batched;
- NoPolicyEvaluations stays silent while sark_policy_evaluations_total is absent. SARK
  defines the counter but never records it (it is dormant), so reading its absence as "no
  evaluation" would page for good; opa_evaluation_total is recorded, but by code that only
  the gateway router of sark.api.main:app reaches, which does not serve its registry, so
  it is no better. It fires when counted evaluations stop; restore ``or vector(0)`` once
  SARK records the counter;
- RedisConnectionErrors moved to the infrastructure rule file (dependencies).
"""

from definitions import recordings as rec
from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import constant, share, slow_share
from definitions.metrics import policy
from sarkmon.model import AlertRule, RuleFile, RuleGroup, Runbook
from sarkmon.model.alert_tests import (
    AlertTest,
    Fires,
    Profile,
    Quiet,
    Series,
    absent,
    steady,
    threshold_cases,
)

EVALUATIONS = policy.EVALUATIONS
# Silences absent-blind on an alert whose absence handling was dropped (see the docstring).
DORMANT = "the counter is dormant: its absence is SARK's normal state, not an outage"
REVALIDATIONS = policy.CACHE_REVALIDATIONS
OPA_ERRORS = policy.EVALUATION_ERRORS(error_type="opa_connection")
DENIALS = f"sum(rate({policy.DENIALS}[5m]))"
ALLOWS = f"(sum(rate({policy.ALLOWS}[5m])) or vector(0))"
LATENCY_DIAGNOSIS = (
    f"histogram_quantile(0.95, sum by (le, cache_status) "
    f"(rate({policy.EVALUATION_DURATION_SECONDS.bucket}[5m])))",
    f"histogram_quantile(0.95, sum by (le) "
    f"(rate({policy.OPA_REQUEST_DURATION_SECONDS.bucket}[5m])))",
)

# Test inputs.
HIGH = {"sensitivity_level": "high"}
READS = {"action": "read", **HIGH}
EVALUATED = EVALUATIONS(result="allow", **READS)
DENIED = policy.DENIALS(denial_reason="not_owner", **READS)
STOPPING = steady(5, "10m") + steady(0, "20m")


def lookups(profile: Profile) -> list[Series]:
    """10 lookups a second, the level's share of them hits, a fifth of those stale."""
    return [
        Series(policy.CACHE_HITS(**HIGH), profile.counter(lambda h: 8 * h)),
        Series(policy.CACHE_STALE_HITS(**HIGH), profile.counter(lambda h: 2 * h)),
        Series(policy.CACHE_MISSES(**HIGH), profile.counter(lambda h: 10 * (1 - h))),
    ]


def evaluations(rate: float, batches: float | None = None) -> list[Series]:
    """``rate`` evaluations a second for 50m, and ``batches`` batch evaluations if given."""
    out = [Series(EVALUATED, steady(rate, "50m").counter())]
    if batches is not None:
        out.append(Series(policy.BATCH_POLICY_EVALUATIONS, steady(batches, "50m").counter()))
    return out


rules = RuleFile(
    "policy",
    description="Policy evaluation: latency, cache, OPA errors, decisions.",
    groups=[
        RuleGroup(
            "policy_evaluation",
            interval="30s",
            rules=[
                AlertRule(
                    "SlowPolicyEvaluation",
                    f"{rec.POLICY_P95} > 0.06",
                    for_="10m",
                    severity="warning",
                    team=teams.PLATFORM,
                    category="performance",
                    dashboards=(boards.POLICY, boards.GATEWAY_PERFORMANCE),
                    component="policy",
                    summary="Slow policy evaluation",
                    description="P95 policy evaluation takes {{ $value | humanizeDuration }} "
                    "(threshold 60ms).",
                    runbook=Runbook(
                        impact="Every authorization waits longer; gateway latency rises.",
                        diagnosis=LATENCY_DIAGNOSIS,
                        mitigation=(
                            "Cache misses dominate: see LowPolicyCacheHitRate.",
                            "OPA itself is slow: check its CPU and the size of the last bundle.",
                        ),
                    ),
                    tests=threshold_cases(
                        # The p95 leaves the 50ms bucket for the 75-100ms one when more than 5%
                        # of evaluations take 90ms: it passes 60ms there.
                        slow_share(
                            policy.EVALUATION_DURATION_SECONDS.bucket(cache_status="miss", **READS),
                            0.04,
                            0.09,
                        ),
                        threshold=0.05,
                        alert_threshold=0.06,
                        for_="10m",
                        window="5m",
                        annotations={
                            "description": "P95 policy evaluation takes 76.19ms (threshold 60ms)."
                        },
                    ),
                ),
                AlertRule(
                    "LowPolicyCacheHitRate",
                    f"{rec.POLICY_CACHE_HIT_RATIO} < 0.7",
                    for_="10m",
                    severity="warning",
                    team=teams.PLATFORM,
                    category="performance",
                    dashboards=(boards.POLICY,),
                    component="policy",
                    summary="Low policy cache hit rate",
                    description="The policy cache answers {{ $value | humanizePercentage }} "
                    "of lookups, stale hits included (threshold 70%).",
                    runbook=Runbook(
                        impact="More evaluations go to OPA: higher latency and OPA load.",
                        diagnosis=(f"{rec.POLICY_CACHE_LOOKUPS}", f"{policy.CACHE_ENTRIES}"),
                        mitigation=(
                            "A policy update or Redis restart empties the cache: wait it out.",
                            "Otherwise the cache is too small or its TTL too short.",
                        ),
                    ),
                    tests=[
                        *threshold_cases(
                            lookups,
                            threshold=0.7,
                            above=False,
                            for_="10m",
                            window="5m",
                            annotations={
                                "description": "The policy cache answers 66.5% of lookups, "
                                "stale hits included (threshold 70%)."
                            },
                        ),
                        AlertTest(
                            "no stale hit ever, 60% fresh hits: fires",
                            series=[
                                Series(policy.CACHE_HITS(**HIGH), steady(6, "30m").counter()),
                                Series(policy.CACHE_STALE_HITS(**HIGH), absent("30m").counter()),
                                Series(policy.CACHE_MISSES(**HIGH), steady(4, "30m").counter()),
                            ],
                            expect=[
                                Fires(
                                    "20m",
                                    annotations={
                                        "description": "The policy cache answers 60% of lookups, "
                                        "stale hits included (threshold 70%)."
                                    },
                                )
                            ],
                        ),
                    ],
                ),
                AlertRule(
                    "HighCacheRevalidationFailureRate",
                    f"sum(rate({REVALIDATIONS(status='failure')}[5m]))\n"
                    f"/ sum(rate({REVALIDATIONS}[5m]))\n> 0.1",
                    for_="5m",
                    severity="warning",
                    team=teams.PLATFORM,
                    category="performance",
                    dashboards=(boards.POLICY,),
                    component="policy",
                    summary="Policy cache revalidations failing",
                    description="{{ $value | humanizePercentage }} of background cache "
                    "revalidations fail (threshold 10%).",
                    runbook=Runbook(
                        impact="Stale decisions are served longer than intended.",
                        diagnosis=(f"sum by (error_type) (rate({policy.EVALUATION_ERRORS}[5m]))",),
                        mitigation=("Revalidation calls OPA: check OPA health and latency.",),
                    ),
                    tests=threshold_cases(
                        share(REVALIDATIONS(status="failure"), REVALIDATIONS(status="success")),
                        threshold=0.1,
                        for_="5m",
                        window="5m",
                        annotations={
                            "description": "10.5% of background cache revalidations fail "
                            "(threshold 10%)."
                        },
                    ),
                ),
                AlertRule(
                    "OPAConnectionErrors",
                    f"sum(rate({OPA_ERRORS}[5m])) > 1",
                    for_="2m",
                    severity="critical",
                    team=teams.PLATFORM,
                    category="dependencies",
                    dashboards=(boards.POLICY, boards.GATEWAY_OPERATIONS),
                    component="opa",
                    summary="Policy service cannot connect to OPA",
                    description="{{ $value | humanize }} OPA connection errors per second "
                    "(threshold 1/s).",
                    runbook=Runbook(
                        impact="Uncached authorizations fail.",
                        diagnosis=(
                            'sark_health_component_status{component="opa"}',
                            f"sum by (error_type) (rate({policy.EVALUATION_ERRORS}[5m]))",
                        ),
                        mitigation=(
                            "Check that OPA runs and listens where opa_url points.",
                            "Restart or scale OPA; check the network path.",
                        ),
                    ),
                    tests=threshold_cases(
                        lambda p: [
                            Series(OPA_ERRORS, p.counter()),
                            # Other evaluation errors do not count.
                            constant(policy.EVALUATION_ERRORS(error_type="invalid_input"), 10, p),
                        ],
                        threshold=1,
                        for_="2m",
                        window="5m",
                        annotations={
                            "description": "1.05 OPA connection errors per second (threshold 1/s)."
                        },
                    ),
                ),
            ],
        ),
        RuleGroup(
            "policy_decisions",
            interval="1m",
            rules=[
                AlertRule(
                    "UnusualAuthorizationDenialRate",
                    f"{DENIALS}\n/ ({ALLOWS} + {DENIALS})\n> 0.5",
                    for_="10m",
                    severity="warning",
                    team=teams.SECURITY,
                    category="authorization",
                    dashboards=(boards.AUTH, boards.POLICY),
                    component="policy",
                    summary="Unusual authorization denial rate",
                    description="The policy service denies {{ $value | humanizePercentage }} "
                    "of decisions (threshold 50%).",
                    runbook=Runbook(
                        impact="Users are blocked in large numbers, or a client is probing.",
                        diagnosis=(f"sum by (action, denial_reason) (rate({policy.DENIALS}[5m]))",),
                        mitigation=(
                            "One denial reason after a policy update: roll the update back.",
                            "One caller: treat it as probing.",
                        ),
                    ),
                    tests=[
                        *threshold_cases(
                            share(DENIED, policy.ALLOWS(**READS)),
                            threshold=0.5,
                            for_="10m",
                            window="5m",
                            annotations={
                                "description": "The policy service denies 52.5% of decisions "
                                "(threshold 50%)."
                            },
                        ),
                        AlertTest(
                            "every decision denied, nothing ever allowed: fires",
                            series=[Series(DENIED, steady(5, "30m").counter())],
                            expect=[
                                Fires(
                                    "20m",
                                    annotations={
                                        "description": "The policy service denies 100% of "
                                        "decisions (threshold 50%)."
                                    },
                                )
                            ],
                        ),
                    ],
                ),
                AlertRule(
                    "NoPolicyEvaluations",
                    f"sum(rate({EVALUATIONS}[5m])) == 0",
                    for_="5m",
                    severity="warning",
                    team=teams.PLATFORM,
                    category="availability",
                    silence={"logic/absent-blind": DORMANT},
                    dashboards=(boards.POLICY,),
                    component="policy",
                    summary="No policy evaluations",
                    description="The policy service has evaluated no policy for 5 minutes.",
                    runbook=Runbook(
                        impact="Either no request is authorized, or evaluations go unrecorded.",
                        diagnosis=('up{job="sark-api"}', f"sum(rate({EVALUATIONS}[1h]))"),
                        mitigation=("Check SARK is up and receiving traffic.",),
                    ),
                    tests=[
                        AlertTest(
                            "evaluations stop: fires once the 5m window is empty for 5m",
                            series=[
                                Series(EVALUATED, (steady(5, "10m") + steady(0, "20m")).counter())
                            ],
                            expect=[Quiet("15m", since="0s"), Fires("25m")],
                        ),
                        AlertTest(
                            "no evaluation series at all (SARK does not record it yet): quiet",
                            series=[],
                            expect=[Quiet("10m", since="0s")],
                        ),
                        AlertTest(
                            "one evaluation a minute: quiet",
                            series=[Series(EVALUATED, steady(1 / 60, "30m").counter())],
                            expect=[Quiet("30m", since="0s")],
                        ),
                    ],
                ),
                AlertRule(
                    "BatchEvaluationUnderutilized",
                    f"(sum(rate({policy.BATCH_POLICY_EVALUATIONS}[10m])) or vector(0)) == 0\n"
                    f"and sum(rate({EVALUATIONS}[10m])) > 100",
                    for_="30m",
                    severity="info",
                    team=teams.PLATFORM,
                    category="performance",
                    dashboards=(boards.POLICY,),
                    component="policy",
                    summary="Batch policy evaluation not used",
                    description="More than 100 evaluations per second and none batched.",
                    runbook=Runbook(
                        impact="Evaluations cost more round trips to OPA than needed.",
                        mitigation=("Enable batch evaluation in the callers that loop.",),
                    ),
                    tests=[
                        AlertTest(
                            "150 evaluations a second, none batched: fires",
                            series=evaluations(150),
                            expect=[Quiet("30m"), Fires("45m")],
                        ),
                        AlertTest(
                            "some batches: quiet",
                            series=evaluations(150, batches=1),
                            expect=[Quiet("50m", since="0s")],
                        ),
                        AlertTest(
                            "50 evaluations a second, none batched: quiet",
                            series=evaluations(50),
                            expect=[Quiet("50m", since="0s")],
                        ),
                    ],
                ),
            ],
        ),
    ],
)
