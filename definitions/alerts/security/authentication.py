"""Authentication: failure rates at the gateway and the identity providers, attacks on users."""

from definitions import teams
from definitions.metrics import auth
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleGroup, Runbook

FAILURES = gw.AUTH_FAILURES
FAILURE_RATE = f"sum(rate({FAILURES}[5m]))"
FAILURES_BY_USER = f"sum by (user) (rate({FAILURES}[5m]))"
FAILURE_DIAGNOSIS = (
    f"sum by (reason) (rate({FAILURES}[5m]))",
    f"topk(10, {FAILURES_BY_USER})",
)
FAILED_ATTEMPTS = auth.AUTH_ATTEMPTS(status="failed")

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
        ),
        AlertRule(
            "CriticalAuthenticationFailureRate",
            f"{FAILURE_RATE} > 50",
            for_="2m",
            severity="critical",
            team=teams.SECURITY,
            category="authentication",
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
        ),
        AlertRule(
            "HighFailedAuthRate",
            f"sum(rate({FAILED_ATTEMPTS}[5m])) > 10",
            for_="5m",
            severity="warning",
            team=teams.SECURITY,
            category="authentication",
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
        ),
        AlertRule(
            "BruteForceAttackSuspected",
            f"{FAILURES_BY_USER} > 5",
            for_="2m",
            severity="critical",
            team=teams.SECURITY,
            category="authentication",
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
        ),
        AlertRule(
            "SuspiciousUserActivity",
            f"count({FAILURES_BY_USER} > 2) > 5",
            for_="10m",
            severity="warning",
            team=teams.SECURITY,
            category="suspicious_activity",
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
        ),
    ],
)
