"""SARK Authentication & Authorization: sign-ins, policy decisions, MFA, IP and time rules.

Rebuilt from grafana/dashboards/sark-auth.json. Fixed on the way:
- ``sark_auth_attempts_total`` is not defined by SARK's code: it is a planned metric (by
  provider and outcome), and the panels that read it say so;
- ``$user`` listed ``user_id`` values of a metric with no such label: the dashboard filters
  by identity provider instead;
- "Top Users by Auth Attempts" grouped by that missing label: the table ranks users by
  failed authentications, which the gateway does count per user;
- "Recent Failed Authentications" ranked raw counters (totals since start-up): recent
  failures are log lines, shown from Loki;
- "MFA Verification Rate" drew a percentage and a rate on one axis: two panels;
- percentages are ratios (0-1) with unit ``percentunit``, not multiplied by 100.
"""

from definitions.dashboards.common import LOG_STREAM, MENU, described, firing
from definitions.metrics import auth, policy
from definitions.metrics import gateway as gw
from sarkmon.model.dashboards import (
    BarGauge,
    Dashboard,
    Gauge,
    LogQuery,
    Logs,
    PieChart,
    Query,
    QueryVariable,
    Row,
    Stat,
    Table,
    Thresholds,
    TimeSeries,
    sum_increase,
    sum_rate,
)

PROVIDER = QueryVariable(
    "provider", metric=auth.AUTH_ATTEMPTS, label="provider", title="Identity provider"
)
ATTEMPTS = auth.AUTH_ATTEMPTS(provider=PROVIDER.match)
PLANNED = (auth.AUTH_ATTEMPTS,)
MFA = policy.MFA_REQUIREMENT_CHECKS

authentication = Row(
    "Authentication",
    (
        TimeSeries(
            "Authentication Attempts",
            description=described("Sign-in attempts per second, by outcome.", *PLANNED),
            unit="reqps",
            queries=(Query(sum_rate(ATTEMPTS, "status"), legend="{{status}}"),),
        ),
        Gauge(
            "Authentication Success Rate",
            description=described("Share of sign-in attempts that succeed.", *PLANNED),
            unit="percentunit",
            min=0,
            max=1,
            height=8,
            thresholds=Thresholds("red", ((0.8, "orange"), (0.95, "green"))),
            queries=(f"{sum_rate(ATTEMPTS(status='success'))} / {sum_rate(ATTEMPTS)}",),
        ),
        Stat(
            "Failed Login Attempts",
            description=described("Failed sign-ins in the last hour.", *PLANNED),
            unit="short",
            height=8,
            thresholds=Thresholds("green", ((10, "orange"), (100, "red"))),
            queries=(sum_increase(ATTEMPTS(status="failed"), window="1h"),),
        ),
        Table(
            "Top Users by Authentication Failures",
            description=described(
                "The ten users with the most failed authentications in the selected "
                "range (gateway authentication).",
                gw.AUTH_FAILURES,
            ),
            unit="short",
            sort_by="Failures",
            rename={"Value": "Failures", "user": "User"},
            queries=(f"topk(10, {sum_increase(gw.AUTH_FAILURES, 'user')})",),
        ),
        Logs(
            "Recent Failed Authentications",
            description="The latest failed sign-ins from the application log (Loki).",
            height=8,
            width=12,
            queries=(LogQuery(LOG_STREAM + ' | json | event=~"(?i).*auth.*fail.*"'),),
        ),
    ),
)

authorization = Row(
    "Authorization",
    (
        TimeSeries(
            "Authorization Decisions",
            description=described(
                "Policy decisions per second, by action.", policy.ALLOWS, policy.DENIALS
            ),
            unit="reqps",
            queries=(
                Query(sum_rate(policy.ALLOWS, "action"), legend="Allow: {{action}}"),
                Query(sum_rate(policy.DENIALS, "action"), legend="Deny: {{action}}"),
            ),
        ),
        TimeSeries(
            "Authorization Denial Rate by Action",
            description=described(
                "Share of each action's decisions that are denials.", policy.ALLOWS, policy.DENIALS
            ),
            unit="percentunit",
            max=1,
            queries=(
                Query(
                    f"{sum_rate(policy.DENIALS, 'action')} / ("
                    f"{sum_rate(policy.ALLOWS, 'action')} + {sum_rate(policy.DENIALS, 'action')})",
                    legend="{{action}}",
                ),
            ),
        ),
        BarGauge(
            "Top Denial Reasons",
            description=described(
                "The ten most frequent denial reasons, denials per second now.", policy.DENIALS
            ),
            unit="reqps",
            queries=(
                Query(
                    f"topk(10, {sum_rate(policy.DENIALS, 'denial_reason')})",
                    legend="{{denial_reason}}",
                ),
            ),
        ),
        PieChart(
            "Policy Violations by Type",
            description=described(
                "Policy violations in the selected range, by type.", policy.VIOLATIONS
            ),
            unit="short",
            width=12,
            queries=(
                Query(
                    sum_increase(policy.VIOLATIONS, "violation_type"), legend="{{violation_type}}"
                ),
            ),
        ),
    ),
)

conditions = Row(
    "MFA, network and time conditions",
    (
        TimeSeries(
            "MFA Verification Rate",
            description=described(
                "Share of MFA requirement checks where MFA was verified.",
                policy.MFA_REQUIREMENT_CHECKS,
            ),
            unit="percentunit",
            width=6,
            max=1,
            queries=(
                Query(
                    f"{sum_rate(MFA(mfa_verified='true'))} / {sum_rate(MFA)}",
                    legend="MFA verified",
                ),
            ),
        ),
        TimeSeries(
            "MFA Denials",
            description=described(
                "Requests denied per second because MFA was required and missing.",
                policy.MFA_REQUIREMENT_CHECKS,
            ),
            unit="reqps",
            width=6,
            queries=(Query(sum_rate(MFA(result="deny")), legend="MFA denials"),),
        ),
        TimeSeries(
            "IP Filtering Activity",
            description=described(
                "IP filtering checks per second, by result.", policy.IP_FILTERING_CHECKS
            ),
            unit="reqps",
            width=6,
            queries=(Query(sum_rate(policy.IP_FILTERING_CHECKS, "result"), legend="{{result}}"),),
        ),
        TimeSeries(
            "Time-Based Access Restrictions",
            description=described(
                "Time-of-day restriction checks per second, by result and whether "
                "they happened in business hours.",
                policy.TIME_BASED_RESTRICTIONS,
            ),
            unit="reqps",
            width=6,
            queries=(
                Query(
                    sum_rate(policy.TIME_BASED_RESTRICTIONS, "result", "is_business_hours"),
                    legend="{{result}} (business hours: {{is_business_hours}})",
                ),
            ),
        ),
    ),
)

dashboard = Dashboard(
    "sark-authentication-authorization",
    "SARK Authentication & Authorization",
    description="Who signs in, what policy allows and denies, and why.",
    tags=("sark", "auth", "authorization"),
    refresh="30s",
    variables=(PROVIDER,),
    annotations=(firing("Auth alerts", component="auth"),),
    links=(MENU,),
    rows=(authentication, authorization, conditions),
)
