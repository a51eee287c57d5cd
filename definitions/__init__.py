"""SARK's monitoring, as code. ``sarkmon generate`` reads ``project`` from here."""

from definitions.alerts import gateway
from definitions.metrics import catalog
from sarkmon.model import Project
from sarkmon.model.targets import Targets

project = Project(
    name="sark",
    catalog=catalog,
    rule_files=[gateway.rules],
    targets=Targets(
        runbook_base_url="https://github.com/apathy-ca/sarkmon/blob/main/generated/docs/runbooks",
    ),
)
