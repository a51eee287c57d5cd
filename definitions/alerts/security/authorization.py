"""Authorization: denials that look like probing, privilege escalation, security errors."""

from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import constant, counting
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleGroup, Runbook
from sarkmon.model import re as regex
from sarkmon.model.alert_tests import AlertTest, Fires, Quiet, Series, steady, threshold_cases

A2A_DENIED = gw.A2A_AUTHZ_REQUESTS(decision="deny")
PRIVILEGED_DENIED = gw.AUTHZ_REQUESTS(decision="deny", action=regex(".*(admin|root|elevate).*"))
TOOL_DENIED = gw.AUDIT_EVENTS(event_type="tool_invoke", decision="deny")
AUDIT_DENIED = gw.AUDIT_EVENTS(decision="deny")
SECURITY_ERRORS = gw.ERRORS(severity="critical", component=regex(".*(auth|security).*"))

# Test inputs.
TIMEOUT = {"error_type": "timeout"}
SHELL = {"server": "shell"}
DELETE_USER = gw.AUTHZ_REQUESTS(decision="deny", action="admin_delete_user", **SHELL)
READ_DENIED = gw.AUTHZ_REQUESTS(decision="deny", action="read_file", **SHELL)
LOGIN_DENIED = gw.AUDIT_EVENTS(event_type="login", decision="deny")

group = RuleGroup(
    "security_authorization",
    interval="30s",
    rules=[
        AlertRule(
            "A2AAuthorizationDenySpike",
            f"sum(rate({A2A_DENIED}[5m])) > 5",
            for_="5m",
            severity="warning",
            team=teams.SECURITY,
            category="a2a",
            dashboards=(boards.GATEWAY_INTEGRATION, boards.GATEWAY_SECURITY),
            component="gateway",
            summary="Agent-to-agent authorization denials increasing",
            description="{{ $value | humanize }} agent-to-agent requests denied per second "
            "(threshold 5/s).",
            runbook=Runbook(
                impact="Agents fail to delegate work, or an agent is reaching beyond its grants.",
                diagnosis=(f"sum by (source_type, target_type) (rate({A2A_DENIED}[5m]))",),
                mitigation=(
                    "One source type: check that agent's recent deploys and its grants.",
                    "After a policy change: compare with the previous bundle and roll back.",
                ),
            ),
            tests=threshold_cases(
                counting(
                    A2A_DENIED(source_type="agent", target_type="agent"),
                    A2A_DENIED(source_type="agent", target_type="tool"),
                ),
                threshold=5,
                for_="5m",
                window="5m",
                annotations={
                    "description": "5.25 agent-to-agent requests denied per second (threshold 5/s)."
                },
            ),
        ),
        AlertRule(
            "PrivilegeEscalationDenials",
            f"sum(rate({PRIVILEGED_DENIED}[5m])) > 1",
            for_="5m",
            severity="critical",
            team=teams.SECURITY,
            category="privilege_escalation",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="Denied attempts at privileged actions",
            description="{{ $value | humanize }} admin, root or elevate actions denied per "
            "second (threshold 1/s).",
            runbook=Runbook(
                impact="Someone keeps trying privileged actions they are not allowed.",
                diagnosis=(f"sum by (action, server) (rate({PRIVILEGED_DENIED}[5m]))",),
                mitigation=(
                    "Find the caller in the audit log; suspend it if it is not a known tool.",
                    "Check whether any similar action was allowed in the same period.",
                ),
            ),
            tests=threshold_cases(
                # Denials of ordinary actions, however many, do not count.
                lambda p: [Series(DELETE_USER, p.counter()), constant(READ_DENIED, 20, p)],
                threshold=1,
                for_="5m",
                window="5m",
                annotations={
                    "description": "1.05 admin, root or elevate actions denied per second "
                    "(threshold 1/s)."
                },
            ),
        ),
        AlertRule(
            "UnauthorizedToolInvocation",
            f"sum(rate({TOOL_DENIED}[5m])) > 5",
            for_="5m",
            severity="warning",
            team=teams.SECURITY,
            category="authorization",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="High rate of denied tool invocations",
            description="{{ $value | humanize }} tool invocations denied per second "
            "(threshold 5/s).",
            runbook=Runbook(
                impact="Agents call tools they are not granted: misconfiguration or probing.",
                diagnosis=(f"sum by (event_type) (rate({AUDIT_DENIED}[5m]))",),
                mitigation=(
                    "After a policy change: the change probably removed a needed grant.",
                    "Otherwise find the agent in the audit log and review its grants.",
                ),
            ),
            tests=threshold_cases(
                lambda p: [Series(TOOL_DENIED, p.counter()), constant(LOGIN_DENIED, 20, p)],
                threshold=5,
                for_="5m",
                window="5m",
                annotations={
                    "description": "5.25 tool invocations denied per second (threshold 5/s)."
                },
            ),
        ),
        AlertRule(
            "SecurityEventSpike",
            f"sum(rate({AUDIT_DENIED}[5m]))\n/ (sum(rate({AUDIT_DENIED}[1h])) + 1)\n> 3",
            for_="5m",
            severity="warning",
            team=teams.SECURITY,
            category="anomaly",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="Spike in denied audit events",
            description="Denied events in the last 5 minutes run at {{ $value | humanize }} "
            "times the hourly rate plus one per second (threshold 3).",
            runbook=Runbook(
                impact="A sudden change in denials: an attack starting or a bad policy rollout.",
                diagnosis=(
                    f"sum by (event_type) (rate({AUDIT_DENIED}[5m]))",
                    f"sum by (event_type) (rate({AUDIT_DENIED}[1h]))",
                ),
                mitigation=(
                    "Match the start with deploys and policy updates; roll back if it fits.",
                    "Otherwise follow the event type with the largest rise.",
                ),
            ),
            tests=[
                AlertTest(
                    "denials jump from 0.5/s to 10/s: fires while the hour still lags",
                    series=[
                        Series(LOGIN_DENIED, (steady(0.5, "60m") + steady(10, "20m")).counter())
                    ],
                    expect=[
                        Quiet("65m"),
                        Fires(
                            "70m",
                            annotations={
                                "description": "Denied events in the last 5 minutes run at "
                                "3.243 times the hourly rate plus one per second (threshold 3)."
                            },
                        ),
                    ],
                ),
                AlertTest(
                    # The first hour of a new series is skipped: its hourly rate starts low.
                    "steady denials, even many, an hour after they start: quiet",
                    series=[Series(LOGIN_DENIED, steady(20, "140m").counter())],
                    expect=[Quiet("140m", since="70m")],
                ),
            ],
        ),
        AlertRule(
            "CriticalSecurityErrors",
            f"sum(rate({SECURITY_ERRORS}[5m])) > 1",
            for_="5m",
            severity="critical",
            team=teams.SECURITY,
            category="errors",
            dashboards=(boards.GATEWAY_SECURITY, boards.GATEWAY_OPERATIONS),
            component="gateway",
            summary="Critical errors in authentication or security components",
            description="{{ $value | humanize }} critical errors per second in auth and "
            "security components (threshold 1/s).",
            runbook=Runbook(
                impact="Security controls may be failing open or closed.",
                diagnosis=(f"sum by (component, error_type) (rate({SECURITY_ERRORS}[5m]))",),
                mitigation=(
                    "Read the component's error logs; a failing dependency (IdP, OPA) is usual.",
                    "If a control fails open, block the affected path until it is fixed.",
                ),
            ),
            tests=threshold_cases(
                lambda p: [
                    Series(
                        gw.ERRORS(severity="critical", component="oauth", error_type="timeout"),
                        p.counter(),
                    ),
                    # Critical errors elsewhere and lesser ones in auth do not count.
                    constant(
                        gw.ERRORS(severity="critical", component="billing", error_type="timeout"),
                        5,
                        p,
                    ),
                    constant(
                        gw.ERRORS(severity="warning", component="auth", error_type="timeout"), 5, p
                    ),
                ],
                threshold=1,
                for_="5m",
                window="5m",
                annotations={
                    "description": "1.05 critical errors per second in auth and security "
                    "components (threshold 1/s)."
                },
            ),
        ),
    ],
)
