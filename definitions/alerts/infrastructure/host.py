"""Hosts: disk space on the database volume and network errors (node_exporter)."""

from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import Inputs, constant
from definitions.metrics import external
from sarkmon.model import AlertRule, RuleGroup, Runbook, not_re
from sarkmon.model.alert_tests import Series, threshold_cases

VOLUME = {"mountpoint": "/var/lib/postgresql"}
SIZE = external.NODE_FILESYSTEM_SIZE_BYTES(**VOLUME)
AVAIL = external.NODE_FILESYSTEM_AVAIL_BYTES(**VOLUME)
DISK_USED = f"1 - {AVAIL} / {SIZE}"
DISK_DIAGNOSIS = (f"{AVAIL}", f"predict_linear({AVAIL}[6h], 24 * 3600)")
TX_ERRORS = external.NODE_NETWORK_TRANSMIT_ERRS(device=not_re("lo|docker.*"))

# Test inputs: a 100 GB volume, the level its used share.
NODE = {"instance": "db-host:9100"}
DISK = {"device": "/dev/sdb1", "fstype": "ext4", "mountpoint": "/var/lib/postgresql", **NODE}
ROOT = {**DISK, "device": "/dev/sda1", "mountpoint": "/"}
GB = 10**9
DISK_FILLING: Inputs = lambda p: [  # noqa: E731
    Series(external.NODE_FILESYSTEM_SIZE_BYTES(**DISK), p.gauge(lambda _: 100 * GB)),
    Series(external.NODE_FILESYSTEM_AVAIL_BYTES(**DISK), p.gauge(lambda u: 100 * GB * (1 - u))),
    # Other volumes, however full, do not count.
    Series(external.NODE_FILESYSTEM_SIZE_BYTES(**ROOT), p.gauge(lambda _: 100 * GB)),
    Series(external.NODE_FILESYSTEM_AVAIL_BYTES(**ROOT), p.gauge(lambda _: 0)),
]

group = RuleGroup(
    "infrastructure_host",
    interval="30s",
    rules=[
        AlertRule(
            "HighDiskUsage",
            f"{DISK_USED} > 0.8",
            for_="10m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="storage",
            dashboards=(boards.GATEWAY_OPERATIONS,),
            component="database",
            summary="Database volume on {{ $labels.instance }} is filling up",
            description="{{ $value | humanizePercentage }} of the database volume is used "
            "(threshold 80%).",
            runbook=Runbook(
                impact="None yet; PostgreSQL stops writing when the volume is full.",
                diagnosis=DISK_DIAGNOSIS,
                mitigation=(
                    "Check audit retention: old audit rows are the usual growth.",
                    "Grow the volume before it reaches 95%.",
                ),
            ),
            tests=threshold_cases(
                DISK_FILLING,
                threshold=0.8,
                for_="10m",
                labels=DISK,
                annotations={
                    "summary": "Database volume on db-host:9100 is filling up",
                    "description": "84% of the database volume is used (threshold 80%).",
                },
            ),
        ),
        AlertRule(
            "CriticalDiskUsage",
            f"{DISK_USED} > 0.95",
            for_="5m",
            severity="critical",
            team=teams.INFRASTRUCTURE,
            category="storage",
            dashboards=(boards.GATEWAY_OPERATIONS,),
            component="database",
            summary="Database volume on {{ $labels.instance }} is nearly full",
            description="{{ $value | humanizePercentage }} of the database volume is used "
            "(threshold 95%).",
            runbook=Runbook(
                impact="PostgreSQL will stop accepting writes: audit and policy updates fail.",
                diagnosis=DISK_DIAGNOSIS,
                mitigation=(
                    "Grow the volume now; then purge what retention allows.",
                    "Remove stray files (old WAL, dumps) if growing is not possible.",
                ),
            ),
            tests=threshold_cases(
                DISK_FILLING,
                threshold=0.95,
                for_="5m",
                labels=DISK,
                annotations={
                    "summary": "Database volume on db-host:9100 is nearly full",
                    "description": "99.75% of the database volume is used (threshold 95%).",
                },
            ),
        ),
        AlertRule(
            "HighNetworkErrors",
            f"sum by (instance, device) (rate({TX_ERRORS}[5m])) > 10",
            for_="10m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="network",
            dashboards=(boards.GATEWAY_OPERATIONS,),
            component="host",
            summary="Network transmit errors on {{ $labels.instance }} {{ $labels.device }}",
            description="{{ $labels.device }} on {{ $labels.instance }} fails to transmit "
            "{{ $value | humanize }} packets per second (threshold 10/s).",
            runbook=Runbook(
                impact="Packets are lost: retries, timeouts and slow requests.",
                diagnosis=(f"rate({TX_ERRORS}[5m])",),
                mitigation=("Check the interface, cable or virtual NIC; move the workload.",),
            ),
            tests=threshold_cases(
                lambda p: [
                    Series(external.NODE_NETWORK_TRANSMIT_ERRS(device="eth0", **NODE), p.counter()),
                    # Loopback and container bridges are left out.
                    constant(external.NODE_NETWORK_TRANSMIT_ERRS(device="docker0", **NODE), 50, p),
                ],
                threshold=10,
                for_="10m",
                window="5m",
                labels={"device": "eth0", **NODE},
                annotations={
                    "summary": "Network transmit errors on db-host:9100 eth0",
                    "description": "eth0 on db-host:9100 fails to transmit 10.5 packets per "
                    "second (threshold 10/s).",
                },
            ),
        ),
    ],
)
