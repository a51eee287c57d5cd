"""Alertmanager routing: SARK's receivers, routes and inhibitions.

Who gets what (the policy, proved for every alert by ``sarkmon check``):

- every alert names its owner ``team`` (``definitions/teams.py``); each team has a receiver,
  and every alert reaches its owner team's receiver, whatever its severity (``sarkmon check``
  asserts this for each alert apart from the policy);
- ``critical`` alerts also page the on-call (PagerDuty);
- ``warning`` alerts reach the owner team's receiver only;
- ``info`` alerts reach the owner team's receiver too, at low urgency: batched for an hour,
  repeated daily, sent in office hours only; nobody is paged;
- three kinds of alerts also reach a second team (``COPIES``, below);
- ``default`` takes any alert without a known team (from another source, say).

The tree implements it in that order: the pager route matches ``severity="critical"`` and
continues, the copy routes continue too, then one route per team, each with an info child.
Business and compliance warnings are mailed in office hours only; infrastructure warnings are
muted during the weekly maintenance window. Nothing that pages is ever muted.

Routes by category and component. Teams own their alerts, so the team routes decide who is
responsible; category and component say what an alert is about, which matters where one
team's problem is another team's business:

- ``category="slo"`` pages (SLO budget burning fast, ``definitions/slos.py``) also reach the
  business team: it answers for SARK's SLA to customers (its SLA* alerts), and a fast burn is
  the earliest sign the SLA is at risk, days before SLAErrorBudgetExhausted fires. Pages only:
  the ticket tiers are the owner team's work. Grouped by ``slo``, so the tiers of one SLO make
  one notification;
- ``category`` audit or compliance pages (AuditLoggingDegraded, AuditEventLoggingFailed,
  AuditCoverageInsufficient: audit records being lost now) also reach the security team:
  the audit trail is its evidence, and while records are lost an intrusion leaves no trace;
- ``component="siem"`` alerts of other teams (SIEMForwardingComplianceRisk) also reach the
  security team, which runs the SIEM integration that has to be fixed.

Each copy route excludes the team it copies to (``team!=``), so an alert of that team reaches
it once, by its team route. Security-relevant categories (authentication, authorization,
...) need no route of their own: every such alert is the security team's already.

What changed from SARK's hand-written alertmanager.yml:

- ``match: {category: security|authentication|authorization}`` (and ``compliance|audit``)
  compared the label with that literal text, so nothing ever reached the security or
  compliance teams; only ``component: business`` and ``component: infrastructure`` matched.
  Security, compliance, gateway, policy and SIEM alerts reached PagerDuty (if critical) or the
  default webhook, never a team. Routes now match the ``team`` label every alert carries
  (lint requires it), with ``matchers:``; the pager route continues, so a page also reaches
  the owner team;
- the inhibitions could not work: "critical mutes warning with equal alertname" never applied,
  as SARK's critical and warning alerts never share a name (they are High<X> and Critical<X>);
  ``GatewayServiceDown`` watched the job ``sark-gateway``, which no scrape job is, so it never
  fired to mute anything (and ``.*Latency.*`` would have muted every component's latency
  alerts, not the gateway's). ``SLAAvailabilityViolation`` muting ``.*Error.*`` was backwards:
  the errors explain the violation, muting them hides the cause; it is gone. Inhibitions are now
  derived from the alerts (below) and lint proves each one matches alerts that can agree on its
  ``equal`` labels;
- secrets (the Slack webhook, the PagerDuty key, the SMTP password) are read from files.

Inhibitions:

- an escalation mutes its own warning: the critical alert ``Critical<X>`` inhibits the warning
  ``High<X>`` or ``<X>`` of the same team (SARK names its pairs that way), and explicit pairs
  where the names differ (``ZeroCacheHits`` over ``LowGatewayCacheHitRate``);
- an outage mutes its symptoms: once the service-down and dependency-down alerts exist, each
  entry of ``OUTAGES`` mutes the (non-critical) alerts it makes meaningless;
- a wider outage mutes the narrower one it contains, pages included (``CONTAINED_OUTAGES``):
  while SARKServiceDown says no instance is up, the per-instance GatewayServiceDown pages are
  muted;
- an SLO burning fast enough to page mutes the ticket tiers of the same SLO.
"""

from collections.abc import Sequence

from definitions import teams
from definitions.alerts import RULE_FILES
from definitions.slos import SLOS
from sarkmon.model.receivers import Email, Notifications, PagerDuty, Receiver, Slack
from sarkmon.model.routing import Copy, Inhibition, Route, Routing, Team
from sarkmon.model.time_intervals import Period, TimeInterval

SECRETS = "/etc/alertmanager/secrets"
TIMEZONE = "America/Toronto"
EXTERNAL = ("cluster", "environment")  # Prometheus's external labels: one deployment

DEFAULT = "default"
PAGER = "oncall-pager"
OFFICE_HOURS = "office-hours"
MAINTENANCE = "weekly-maintenance"


def slack(channel: str) -> Slack:
    """A Slack channel through its own incoming webhook (one webhook per channel)."""
    return Slack(channel, api_url_file=f"{SECRETS}/slack-{channel.lstrip('#')}-webhook-url")


RECEIVERS = [
    Receiver(DEFAULT, [slack("#sark-alerts")]),
    Receiver(PAGER, [PagerDuty(routing_key_file=f"{SECRETS}/pagerduty-routing-key")]),
    Receiver("platform-team", [slack("#sark-platform")]),
    Receiver("security-team", [slack("#sark-security"), Email("sark-security@example.com")]),
    Receiver("infrastructure-team", [slack("#sark-infrastructure")]),
    Receiver("business-team", [Email("sark-business@example.com"), slack("#sark-business")]),
    Receiver("compliance-team", [Email("sark-compliance@example.com")]),
]


def receiver_of(team: str) -> str:
    return f"{team}-team"


TEAMS = [Team(name, receiver_of(name)) for name in teams.ALL]


def infos() -> Route:
    """A team's info alerts: nobody needs them at once, so batched, daily, in office hours."""
    return Route(
        matchers=['severity="info"'],
        group_wait="5m",
        group_interval="1h",
        repeat_interval="1d",
        active_time_intervals=[OFFICE_HOURS],
    )


def team_route(team: str, *children: Route, **timings: str) -> Route:
    return Route(
        receiver=receiver_of(team),
        matchers=[f'team="{team}"'],
        routes=[infos(), *children],
        **timings,
    )


def warnings(mute: Sequence[str] = (), active: Sequence[str] = ()) -> Route:
    """A team's warnings, notified outside ``mute`` or only during ``active``."""
    return Route(
        matchers=['severity="warning"'], mute_time_intervals=mute, active_time_intervals=active
    )


def mail_team_route(team: str) -> Route:
    """A team read by mail: alerts batched for longer, warnings sent in office hours."""
    return team_route(
        team,
        warnings(active=[OFFICE_HOURS]),
        group_wait="1m",
        group_interval="15m",
        repeat_interval="1d",
    )


# Alerts some team hears of besides their owner (see the module docstring): the policy.
SLO_PAGES = ['category="slo"', 'severity="critical"']
AUDIT_LOSS = ['category=~"audit|compliance"', 'severity="critical"']
SIEM = ['component="siem"']
COPIES = [
    Copy(SLO_PAGES, receiver_of(teams.BUSINESS), "the SLA's owners hear of a fast burn"),
    Copy(AUDIT_LOSS, receiver_of(teams.SECURITY), "lost audit records blind security"),
    Copy(SIEM, receiver_of(teams.SECURITY), "security runs the SIEM integration"),
]


def copy_route(
    team: str, matchers: Sequence[str], group_by: Sequence[str] | None = None, **timings: str
) -> Route:
    """Other teams' alerts matching ``matchers`` to ``team`` as well; its own reach it once."""
    return Route(
        receiver=receiver_of(team),
        matchers=[*matchers, f'team!="{team}"'],
        continue_=True,
        group_by=group_by,
        **timings,
    )


ROUTE = Route(
    receiver=DEFAULT,
    group_by=["alertname", *EXTERNAL],
    group_wait="30s",
    group_interval="5m",
    repeat_interval="12h",
    routes=[
        Route(
            receiver=PAGER,
            matchers=['severity="critical"'],
            continue_=True,
            group_wait="10s",
            group_interval="1m",
            repeat_interval="1h",
        ),
        copy_route(teams.BUSINESS, SLO_PAGES, group_by=["slo", *EXTERNAL]),
        copy_route(teams.SECURITY, AUDIT_LOSS, group_wait="15s", repeat_interval="4h"),
        copy_route(teams.SECURITY, SIEM, repeat_interval="8h"),
        team_route(teams.PLATFORM, repeat_interval="4h"),
        team_route(teams.SECURITY, group_wait="15s", group_interval="2m", repeat_interval="4h"),
        team_route(teams.INFRASTRUCTURE, warnings(mute=[MAINTENANCE]), repeat_interval="8h"),
        mail_team_route(teams.BUSINESS),
        mail_team_route(teams.COMPLIANCE),
    ],
)

TIME_INTERVALS = [
    TimeInterval(
        OFFICE_HOURS,
        [Period(times=[("09:00", "17:00")], weekdays=["monday:friday"], timezone=TIMEZONE)],
    ),
    TimeInterval(
        MAINTENANCE,
        [Period(times=[("02:00", "04:00")], weekdays=["sunday"], timezone=TIMEZONE)],
    ),
]

# Alerts whose escalation does not follow the Critical<X> / High<X> naming.
ESCALATIONS = {"ZeroCacheHits": "LowGatewayCacheHitRate"}

# Outage -> the symptoms it explains. Applied once the outage alert exists (the service-down
# and dependency alerts are being rebuilt from SARK's infrastructure rules).
OUTAGES = {
    "GatewayServiceDown": ['component="gateway"'],
    "DatabaseUnhealthy": ['alertname=~"SlowDatabaseQueries|DatabasePoolExhaustion"'],
    "OPAUnhealthy": ['alertname=~"SlowPolicyEvaluation|OPAConnectionErrors"'],
}


# Outage -> the narrower outage alerts it contains. Unlike symptoms these page, but while the
# whole service is down one page says it all: SARKServiceDown (no instance up) is every
# instance's GatewayServiceDown at once.
CONTAINED_OUTAGES = {"SARKServiceDown": ["GatewayServiceDown"]}


def escalations(alerts: dict[str, str]) -> dict[str, str]:
    """Critical alert -> the warning it escalates, from names and ``ESCALATIONS``."""
    pairs = {}
    for name, team in alerts.items():
        if not name.startswith("Critical"):
            continue
        base = name.removeprefix("Critical")
        for candidate in (f"High{base}", base):
            if alerts.get(candidate) == team:
                pairs[name] = candidate
                break
    pairs.update({k: v for k, v in ESCALATIONS.items() if k in alerts})
    return dict(sorted(pairs.items()))


# SLO burn-rate alerts (generated from definitions/slos.py) carry the SLO's name in `slo`; the
# paging tiers are critical, the ticket tiers warnings.
SLO_PAGE_MUTES_TICKETS = Inhibition(
    source=['slo=~".+"', 'severity="critical"'],
    target=['slo=~".+"', 'severity="warning"'],
    equal=["slo", *EXTERNAL],
    reason="While an SLO's budget burns fast enough to page, its ticket tiers only repeat it.",
)


def inhibitions(alerts: dict[str, str], slos: bool = False) -> list[Inhibition]:
    """The inhibitions for the alerts given as name -> team, and for SLO alerts if any."""
    rules = [
        Inhibition(
            source=[f'alertname="{critical}"'],
            target=[f'alertname="{warning}"'],
            equal=[*EXTERNAL, "instance"],
            reason=f"{critical} is the escalation of {warning}: one notification is enough.",
        )
        for critical, warning in escalations(alerts).items()
    ]
    rules.extend(
        Inhibition(
            source=[f'alertname="{outage}"'],
            target=[*symptoms, 'severity!="critical"'],
            equal=list(EXTERNAL),
            reason=f"While {outage} fires, these alerts only repeat it.",
        )
        for outage, symptoms in OUTAGES.items()
        if outage in alerts
    )
    rules.extend(
        Inhibition(
            source=[f'alertname="{outage}"'],
            target=[f'alertname="{contained}"'],
            equal=list(EXTERNAL),
            reason=f"While {outage} fires, {contained} pages only repeat it.",
        )
        for outage, contained_ones in CONTAINED_OUTAGES.items()
        if outage in alerts
        for contained in contained_ones
        if contained in alerts
    )
    if slos:
        rules.append(SLO_PAGE_MUTES_TICKETS)
    return rules


routing = Routing(
    route=ROUTE,
    receivers=RECEIVERS,
    teams=TEAMS,
    pager=PAGER,
    copies=COPIES,
    inhibitions=inhibitions({a.name: a.team for f in RULE_FILES for a in f.alerts}, bool(SLOS)),
    time_intervals=TIME_INTERVALS,
    notifications=Notifications(
        resolve_timeout="5m",
        smtp_smarthost="smtp.example.com:587",
        smtp_from="sark-alertmanager@example.com",
        smtp_auth_username="sark-alertmanager",
        smtp_auth_password_file=f"{SECRETS}/smtp-password",
    ),
)
