"""Authentication: failure rates at the gateway and the identity providers, attacks on users."""

from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import constant, counting
from definitions.metrics import auth
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleGroup, Runbook
from sarkmon.model.alert_tests import AlertTest, Fires, Quiet, Series, steady, threshold_cases

FAILURES = gw.AUTH_FAILURES
FAILURE_RATE = f"sum(rate({FAILURES}[5m]))"
FAILURES_BY_USER = f"sum by (user) (rate({FAILURES}[5m]))"
FAILURE_DIAGNOSIS = (
    f"sum by (reason) (rate({FAILURES}[5m]))",
    f"topk(10, {FAILURES_BY_USER})",
)
FAILED_ATTEMPTS = auth.AUTH_ATTEMPTS(status="failed")

# Test inputs: failures of two reasons and users, summed by the gateway-wide alerts.
EXPIRED = FAILURES(reason="expired_token", user="alice")
BAD_KEY = FAILURES(reason="invalid_api_key", user="bob")
MALLORY = FAILURES(reason="invalid_password", user="mallory")


def failing_users(count: int, rate: float) -> list[Series]:
    """``count`` users each failing ``rate`` times per second for 20 minutes."""
    return [
        Series(FAILURES(reason="invalid_password", user=f"user{i}"), steady(rate, "20m").counter())
        for i in range(count)
    ]


def denied(user: str, rate: float) -> Series:
    return Series(
        gw.AUTHZ_DENIALS_BY_USER(user=user, action="admin"), steady(rate, "20m").counter()
    )


group = RuleGroup(
    "security_authentication",
    interval="30s",
    rules=[
        AlertRule(
            "HighAuthenticationFailureRate",
            f"{FAILURE_RATE} > 10",
            for_="5m",
            severity="warning",
            team=teams.SECURITY,
            category="authentication",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="High authentication failure rate at the gateway",
            description="{{ $value | humanize }} authentication failures per second at the "
            "gateway (threshold 10/s).",
            runbook=Runbook(
                impact="Users or agents cannot authenticate, or someone is guessing credentials.",
                diagnosis=FAILURE_DIAGNOSIS,
                mitigation=(
                    "One dominant reason (expired tokens, provider errors): fix that cause.",
                    "Failures spread over many users: treat as credential stuffing, block the "
                    "sources at the edge.",
                ),
            ),
            tests=threshold_cases(
                counting(EXPIRED, BAD_KEY),
                threshold=10,
                for_="5m",
                window="5m",
                annotations={
                    "description": "10.5 authentication failures per second at the gateway "
                    "(threshold 10/s)."
                },
            ),
        ),
        AlertRule(
            "CriticalAuthenticationFailureRate",
            f"{FAILURE_RATE} > 50",
            for_="2m",
            severity="critical",
            team=teams.SECURITY,
            category="authentication",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="Authentication failure spike at the gateway",
            description="{{ $value | humanize }} authentication failures per second at the "
            "gateway (threshold 50/s).",
            runbook=Runbook(
                impact="An attack in progress, or an outage of authentication for everyone.",
                diagnosis=FAILURE_DIAGNOSIS,
                mitigation=(
                    "Check the identity provider first: an outage fails every login at once.",
                    "Otherwise rate-limit or block the offending sources; rotate exposed keys.",
                ),
            ),
            tests=threshold_cases(
                counting(EXPIRED, BAD_KEY),
                threshold=50,
                for_="2m",
                window="5m",
                annotations={
                    "description": "52.5 authentication failures per second at the gateway "
                    "(threshold 50/s)."
                },
            ),
        ),
        AlertRule(
            "HighFailedAuthRate",
            f"sum(rate({FAILED_ATTEMPTS}[5m])) > 10",
            for_="5m",
            severity="warning",
            team=teams.SECURITY,
            category="authentication",
            dashboards=(boards.AUTH,),
            component="auth",
            summary="High failed authentication rate at the identity providers",
            description="{{ $value | humanize }} failed authentication attempts per second "
            "across identity providers (threshold 10/s).",
            runbook=Runbook(
                impact="Users cannot sign in to SARK, or credentials are being guessed.",
                diagnosis=(f"sum by (provider) (rate({FAILED_ATTEMPTS}[5m]))",),
                mitigation=(
                    "One provider failing: check its health and SARK's connection to it.",
                    "All providers: look for a credential-stuffing source and block it.",
                ),
            ),
            tests=threshold_cases(
                counting(FAILED_ATTEMPTS(provider="oidc"), FAILED_ATTEMPTS(provider="ldap")),
                threshold=10,
                for_="5m",
                window="5m",
                annotations={
                    "description": "10.5 failed authentication attempts per second across "
                    "identity providers (threshold 10/s)."
                },
            ),
        ),
        AlertRule(
            "BruteForceAttackSuspected",
            f"{FAILURES_BY_USER} > 5",
            for_="2m",
            severity="critical",
            team=teams.SECURITY,
            category="authentication",
            dashboards=(boards.GATEWAY_SECURITY, boards.SIEM),
            component="gateway",
            summary="Brute force attack suspected for user {{ $labels.user }}",
            description="User {{ $labels.user }} fails authentication {{ $value | humanize }} "
            "times per second (threshold 5/s).",
            runbook=Runbook(
                impact="An account is under attack; it may be taken over.",
                diagnosis=(f'sum by (reason) (rate({FAILURES}{{user="<user>"}}[5m]))',),
                mitigation=(
                    "Lock or step up the account (MFA) and tell its owner.",
                    "Block the sources of the attempts; check for a successful login after them.",
                ),
            ),
            tests=threshold_cases(
                # A second user failing steadily below the threshold never fires.
                lambda p: [Series(MALLORY, p.counter()), constant(EXPIRED, 4, p)],
                threshold=5,
                for_="2m",
                window="5m",
                labels={"user": "mallory"},
                annotations={
                    "summary": "Brute force attack suspected for user mallory",
                    "description": "User mallory fails authentication 5.25 times per second "
                    "(threshold 5/s).",
                },
            ),
        ),
        AlertRule(
            "SuspiciousUserActivity",
            f"count({FAILURES_BY_USER} > 2) > 5",
            for_="10m",
            severity="warning",
            team=teams.SECURITY,
            category="suspicious_activity",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="Many users failing authentication",
            description="{{ $value }} users each fail authentication more than twice per "
            "second (threshold 5 users).",
            runbook=Runbook(
                impact="A spread-out attack (password spraying), or a broken client release.",
                diagnosis=FAILURE_DIAGNOSIS,
                mitigation=(
                    "Same reason for all users after a deploy: roll the client back.",
                    "Otherwise treat it as password spraying: block sources, force resets.",
                ),
            ),
            tests=[
                AlertTest(
                    "six users failing 3/s each: fires",
                    series=failing_users(6, 3),
                    expect=[
                        Quiet("10m"),
                        Fires(
                            "15m",
                            annotations={
                                "description": "6 users each fail authentication more than "
                                "twice per second (threshold 5 users)."
                            },
                        ),
                    ],
                ),
                AlertTest(
                    "five users failing 3/s and one at 2/s: quiet",
                    series=[
                        *failing_users(5, 3),
                        Series(MALLORY, steady(2, "20m").counter()),
                    ],
                    expect=[Quiet("20m", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "UserAccountCompromiseIndicators",
            f"({FAILURES_BY_USER} > 5)\n"
            f"and on (user)\n"
            f"(sum by (user) (rate({gw.AUTHZ_DENIALS_BY_USER}[5m])) > 10)",
            for_="10m",
            severity="critical",
            team=teams.SECURITY,
            category="account_security",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="User {{ $labels.user }} shows compromise indicators",
            description="User {{ $labels.user }} fails authentication "
            "{{ $value | humanize }} times per second while being denied more than 10 "
            "authorizations per second.",
            runbook=Runbook(
                impact="An account is probably in the wrong hands and probing what it can do.",
                diagnosis=(
                    f'sum by (action) (rate({gw.AUTHZ_DENIALS_BY_USER}{{user="<user>"}}[5m]))',
                    f'sum by (reason) (rate({FAILURES}{{user="<user>"}}[5m]))',
                ),
                mitigation=(
                    "Disable the account and revoke its sessions and keys now.",
                    "Review its audit trail for what was allowed before the denials.",
                ),
            ),
            tests=[
                AlertTest(
                    "one user failing logins and denied actions: fires for that user",
                    series=[
                        Series(MALLORY, steady(6, "25m").counter()),
                        denied("mallory", 11),
                        Series(EXPIRED, steady(6, "25m").counter()),
                    ],
                    expect=[
                        Quiet("10m"),
                        Fires(
                            "15m",
                            labels={"user": "mallory"},
                            annotations={
                                "summary": "User mallory shows compromise indicators",
                                "description": "User mallory fails authentication 6 times per "
                                "second while being denied more than 10 authorizations per "
                                "second.",
                            },
                        ),
                    ],
                ),
                AlertTest(
                    "failures by one user, denials of another: quiet",
                    series=[Series(MALLORY, steady(6, "20m").counter()), denied("alice", 11)],
                    expect=[Quiet("20m", since="0s")],
                ),
            ],
        ),
    ],
)
