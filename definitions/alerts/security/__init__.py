"""Security alerts (SARK's security-alerts.yaml and the auth and SIEM-event alerts of
sark-alerts.yml, rebuilt).

What changed from the hand-written files:
- HighAuthorizationDenyRate is gone: it was HighDenyRate of gateway-alerts.yaml again (same
  metric, window, threshold and severity); the gateway rule file keeps it.
- PrivilegeEscalationAttempt was two alerts: the one counting denied admin, root and
  elevate actions is now PrivilegeEscalationDenials; the name stays with the SIEM detector's
  privilege_escalation events.
- BruteForceAttackSuspected grouped sark_auth_attempts_total by ``user_id``, a label it
  does not have; it counts sark_gateway_auth_failures_total per ``user`` instead.
- SingleUserRateLimitAbuse took the ``max`` over limit types; it sums them per user.
- AbnormalToolUsagePattern divided by an average without ``by (tool)``: the right side had
  no tool label and the join never matched. It compares each user with the per-user
  average for the same tool.
- NewUserHighActivityVolume compared the wrong side with its threshold (``>`` binds tighter
  than ``unless``, so it fired for every user not above 100/s the day before); it also
  waits for a day of history, without which every user looks new.
- UserAccountCompromiseIndicators joined per-user failures with authorization requests,
  which have no user label (never matched): it reads a planned per-user denial counter.
- SARK's ``high`` severity (BruteForceAttackSuspected, HighSeveritySecurityEvents) is
  critical here: both mean an attack in progress, where the security team must act now.
"""

from definitions.alerts.security import abuse, authentication, authorization, threats
from sarkmon.model import RuleFile

rules = RuleFile(
    "security",
    description="Authentication, authorization, abuse and detected threats.",
    groups=[authentication.group, authorization.group, abuse.group, threats.group],
)
