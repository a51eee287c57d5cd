"""Alertmanager routing: SARK's receivers, routes and inhibitions.

Who gets what (the policy, proved for every alert by ``sarkmon check``):

- every alert names its owner ``team`` (``definitions/teams.py``); each team has a receiver;
- ``critical`` alerts page the on-call (PagerDuty) and reach the owner team's receiver;
- ``warning`` alerts reach the owner team's receiver only;
- ``info`` alerts reach ``default``, the low-noise #sark-alerts channel, and nobody is paged;
- ``default`` also takes any alert without a known team (from another source, say).

The tree implements it in that order: the pager route matches ``severity="critical"`` and
continues, the info route stops info alerts, then one route per team. Business and compliance
warnings are mailed in office hours only; infrastructure warnings are muted during the weekly
maintenance window. Nothing that pages is ever muted.

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
- an SLO burning fast enough to page mutes the ticket tiers of the same SLO.
"""

from collections.abc import Sequence

from definitions import teams
from definitions.alerts import RULE_FILES
from definitions.slos import SLOS
from sarkmon.model.receivers import Email, Notifications, PagerDuty, Receiver, Slack
from sarkmon.model.routing import Inhibition, Route, Routing, Team
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

TEAMS = [Team(name, f"{name}-team") for name in teams.ALL]


def team_route(team: str, *children: Route, **timings: str) -> Route:
    return Route(receiver=f"{team}-team", matchers=[f'team="{team}"'], routes=children, **timings)


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
        Route(receiver=DEFAULT, matchers=['severity="info"'], repeat_interval="1d"),
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
    if slos:
        rules.append(SLO_PAGE_MUTES_TICKETS)
    return rules


routing = Routing(
    route=ROUTE,
    receivers=RECEIVERS,
    teams=TEAMS,
    pager=PAGER,
    info_receiver=DEFAULT,
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
