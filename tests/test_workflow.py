"""The repository's own pull-request workflow: valid YAML whose steps run the Makefile's targets."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pull-request.yml"


def load() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text())
    return data


def makefile_targets() -> set[str]:
    text = (REPO / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z-]*):", text, re.MULTILINE))


def make_calls(steps: list[dict[str, Any]]) -> list[list[str]]:
    """The argument lists of every `make` command the steps run (expressions as <name>)."""
    calls = []
    for step in steps:
        for line in str(step.get("run", "")).splitlines():
            # GitHub fills in ${{ expressions }} before the shell reads the line.
            words = shlex.split(re.sub(r"\$\{\{\s*(.*?)\s*\}\}", r"<\1>", line))
            if words[:1] == ["make"]:
                calls.append(words[1:])
    return calls


def test_it_runs_on_pull_requests_with_the_rights_it_needs() -> None:
    data = load()
    # PyYAML reads the bare key `on` as a boolean (YAML 1.1): GitHub reads it as "on".
    triggers = data.get("on", data.get(True))
    assert "pull_request" in triggers
    assert data["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert set(data["jobs"]) == {"test", "review"}
    for job in data["jobs"].values():
        assert job["container"] == "python:3.11-bookworm"
        assert job["timeout-minutes"] <= 30
        assert job["steps"][0]["uses"].startswith("actions/checkout@")


def test_every_step_calls_a_makefile_target() -> None:
    jobs = load()["jobs"]
    targets = makefile_targets()
    test_calls = make_calls(jobs["test"]["steps"])
    review_calls = make_calls(jobs["review"]["steps"])
    assert [c[0] for c in test_calls] == ["test"]
    assert [c[0] for c in review_calls] == ["drift", "review", "verify", "preview"]
    verify, preview = (next(c for c in review_calls if c[0] == t) for t in ("verify", "preview"))
    # The previews draw the series that the verify step recorded.
    assert "SERIES=build/series.json" in verify and "SERIES=build/series.json" in preview
    for call in test_calls + review_calls:
        assert call[0] in targets, call
        assert all("=" in word for word in call[1:]), call  # only variables after the target
    review = next(c for c in review_calls if c[0] == "review")
    assert "BASE=origin/<github.base_ref>" in review
    assert jobs["review"]["steps"][0]["with"]["fetch-depth"] == 0  # the base is read from git


def test_the_targets_run_the_commands_the_workflow_relies_on(tmp_path: Path) -> None:
    def dry_run(*args: str) -> str:
        done = subprocess.run(
            ["make", "-n", *args], cwd=REPO, capture_output=True, text=True, check=True
        )
        return done.stdout

    assert "sarkmon generate --check" in dry_run("drift")
    review = dry_run("review", "BASE=origin/main", "REVIEW=build/review.md")
    assert "sarkmon diff origin/main --max-chars 60000 --output build/review.md" in review
    assert "sarkmon preview --out build/preview --screenshots" in dry_run(
        "preview", "PREVIEW=build/preview"
    )
    # The preview draws what verify recorded, once there is such a file.
    series = tmp_path / "series.json"
    assert f"sarkmon verify --series-out {series}" in dry_run("verify", f"SERIES={series}")
    assert "--series" not in dry_run("preview", f"SERIES={series}")
    series.write_text("{}")
    assert f"--screenshots --series {series}" in dry_run("preview", f"SERIES={series}")
    test = dry_run("test")
    assert "pytest --cov=sarkmon" in test and "sarkmon check" in test
    # The suite fails when line coverage of sarkmon/ drops under 85%.
    assert re.search(r"pytest --cov=sarkmon .*--cov-fail-under=85\b", test)


def test_the_report_is_posted_as_one_comment_updated_on_each_push() -> None:
    steps = load()["jobs"]["review"]["steps"]
    post = next(s for s in steps if str(s.get("uses", "")).startswith("actions/github-script@"))
    script = post["with"]["script"]
    assert "build/review.md" in script and "<!-- sarkmon-diff -->" in script
    assert "updateComment" in script and "createComment" in script
    assert post["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["path"] == "build/preview/"
