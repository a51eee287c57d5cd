"""Alertmanager receivers and their integrations, with secrets only ever read from files.

The integrations offer no field for an inline secret: Slack webhook addresses, PagerDuty keys
and SMTP passwords are named by the ``*_file`` fields Alertmanager 0.25 reads at notification
time (``api_url_file``, ``routing_key_file``/``service_key_file``, ``auth_password_file``). The
webhook integration has no ``url_file`` in 0.25, so its address must not carry a credential;
its bearer token comes from ``credentials_file``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sarkmon.diagnostics import report
from sarkmon.source import Location, caller_location

# Notification texts come from the named templates the Alertmanager compiler ships.
TITLE = '{{ template "sarkmon.title" . }}'
TEXT = '{{ template "sarkmon.text" . }}'
PAGERDUTY_SEVERITY = '{{ template "sarkmon.pagerduty.severity" . }}'


def _require(value: str, obj: str, what: str, where: Location, hint: str = "") -> None:
    if not isinstance(value, str) or not value:
        report("definition/receiver", obj, f"{what} is required", where, hint)


@dataclass(frozen=True)
class Slack:
    """A Slack channel, through an incoming webhook whose address is read from a file."""

    channel: str
    api_url_file: str
    send_resolved: bool = True
    title: str = TITLE
    text: str = TEXT
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        obj = f"slack integration {self.channel!r}"
        _require(self.channel, obj, "channel", self.location)
        _require(
            self.api_url_file,
            obj,
            "api_url_file",
            self.location,
            "the webhook address is a secret: name the file that holds it",
        )


@dataclass(frozen=True)
class PagerDuty:
    """A PagerDuty service: Events API v2 ``routing_key_file``, or v1 ``service_key_file``."""

    routing_key_file: str = ""
    service_key_file: str = ""
    send_resolved: bool = True
    description: str = TITLE
    severity: str = PAGERDUTY_SEVERITY
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        if bool(self.routing_key_file) == bool(self.service_key_file):
            report(
                "definition/receiver",
                "pagerduty integration",
                "give exactly one of routing_key_file and service_key_file",
                self.location,
                "routing_key_file for an Events API v2 integration",
            )


@dataclass(frozen=True)
class Email:
    """Mail through the global SMTP settings; ``auth_password_file`` overrides their password."""

    to: str
    send_resolved: bool = True
    auth_username: str = ""
    auth_password_file: str = ""
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        obj = f"email integration {self.to!r}"
        _require(self.to, obj, "to", self.location)
        if bool(self.auth_username) != bool(self.auth_password_file):
            report(
                "definition/receiver",
                obj,
                "auth_username and auth_password_file go together",
                self.location,
            )


@dataclass(frozen=True)
class Webhook:
    """An HTTP endpoint; its bearer token, if any, is read from ``credentials_file``."""

    url: str
    credentials_file: str = ""
    send_resolved: bool = True
    max_alerts: int = 0
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        obj = f"webhook integration {self.url!r}"
        parts = urlsplit(self.url if isinstance(self.url, str) else "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            report("definition/receiver", obj, "url must be an http(s) address", self.location)
        elif parts.username or parts.password or parts.query:
            report(
                "definition/secret",
                obj,
                "the url carries credentials or a query string, which would be stored inline",
                self.location,
                "put the token in a file and name it with credentials_file",
            )
        if not isinstance(self.max_alerts, int) or self.max_alerts < 0:
            report("definition/receiver", obj, "max_alerts must be >= 0", self.location)


Integration = Slack | PagerDuty | Email | Webhook
INTEGRATIONS: tuple[type, ...] = (Slack, PagerDuty, Email, Webhook)


@dataclass(frozen=True)
class Receiver:
    """A named set of integrations; a receiver without integrations drops what reaches it."""

    name: str
    integrations: Sequence[Integration] = ()
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "integrations", tuple(self.integrations))
        if not isinstance(self.name, str) or not self.name.strip():
            report("definition/receiver", "receiver", "a receiver needs a name", self.location)
        # Definitions are not type-checked: a stray object would vanish from the config.
        for item in self.integrations:
            if type(item) not in INTEGRATIONS:
                report(
                    "definition/receiver",
                    f"receiver {self.name!r}",
                    f"unknown integration {item!r}",
                    self.location,
                    "use Slack, PagerDuty, Email or Webhook",
                )

    def of_type(self, kind: type[Integration]) -> tuple[Integration, ...]:
        return tuple(i for i in self.integrations if isinstance(i, kind))


@dataclass(frozen=True)
class Notifications:
    """Alertmanager's ``global`` section: resolve timeout and the SMTP relay emails use."""

    resolve_timeout: str = "5m"
    smtp_smarthost: str = ""  # host:port
    smtp_from: str = ""
    smtp_auth_username: str = ""
    smtp_auth_password_file: str = ""
    smtp_require_tls: bool = True
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        if bool(self.smtp_auth_username) != bool(self.smtp_auth_password_file):
            report(
                "definition/receiver",
                "notification settings",
                "smtp_auth_username and smtp_auth_password_file go together",
                self.location,
            )
        host, sep, port = self.smtp_smarthost.rpartition(":")
        if self.smtp_smarthost and not (sep and host and port.isdigit()):
            report(
                "definition/receiver",
                "notification settings",
                f"smtp_smarthost must be host:port, got {self.smtp_smarthost!r}",
                self.location,
            )
