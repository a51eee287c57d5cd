"""The ``sarkmon`` command line. Subcommands are imported only when they run."""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

import click

# name -> module:function; each module holds one command.
COMMANDS: dict[str, str] = {
    "generate": "sarkmon.commands.generate:generate",
    "catalog": "sarkmon.commands.catalog:catalog",
    "check": "sarkmon.commands.check:check",
    "diff": "sarkmon.commands.diff:diff",
    "import": "sarkmon.commands.import_:import_",
    "preview": "sarkmon.commands.preview:preview",
    "lint": "sarkmon.commands.lint:lint",
    "verify": "sarkmon.commands.verify:verify",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module, _, name = spec.partition(":")
        command = getattr(import_module(module), name)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(package_name="sarkmon")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Monitoring as code for SARK: compile and verify dashboards, rules and routing."""
    ctx.obj = {"debug": debug}


def main(argv: list[str] | None = None) -> Any:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        return cli.main(args=argv, prog_name="sarkmon", standalone_mode=True)
    except SystemExit:
        raise
    except Exception as err:  # an internal error: one line unless --debug
        if debug:
            raise
        click.echo(
            f"sarkmon: internal error: {type(err).__name__}: {err} (rerun with --debug)", err=True
        )
        sys.exit(2)
