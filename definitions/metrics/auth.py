"""Authentication metrics SARK's dashboards and alerts need but its code does not define yet.

Failures per user are already counted by ``sark_gateway_auth_failures_total{reason,user}``;
what is missing is the denominator: every attempt, successful or not, by provider.
"""

from sarkmon.model import Counter, Label, Status

AUTH_ATTEMPTS = Counter(
    "sark_auth_attempts_total",
    "Authentication attempts by identity provider and outcome",
    labels=(
        Label("provider", values=("oidc", "ldap", "saml", "api_key")),
        Label("status", values=("success", "failed")),
    ),
    status=Status.PLANNED,
    subsystem="auth",
    notes="Wanted by the Authentication & Authorization dashboard and the auth alerts.",
)
