"""SARK's monitoring, as code. ``sarkmon generate`` reads ``project`` from here."""

from definitions.alerts import RULE_FILES
from definitions.dashboards import DASHBOARDS
from definitions.metrics import catalog
from definitions.routing import routing
from definitions.slos import SLOS
from sarkmon.model import Project
from sarkmon.model.targets import Targets

project = Project(
    name="sark",
    catalog=catalog,
    rule_files=RULE_FILES,
    dashboards=DASHBOARDS,
    slos=SLOS,  # type: ignore[arg-type]
    routing=routing,
    targets=Targets(
        runbook_base_url="https://github.com/apathy-ca/sarkmon/blob/main/generated/docs/runbooks",
    ),
)
