"""The ``sarkmon`` command line. Subcommands are imported only when they run."""

from __future__ import annotations

import gc
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


def _debug_flag(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(dict)["debug"] = True


# Given after a subcommand, --debug means what it means before it (the root's ``obj`` is
# shared with the subcommand's context).
DEBUG_OPTION = click.Option(
    ["--debug"],
    is_flag=True,
    expose_value=False,
    callback=_debug_flag,
    help="Show tracebacks of internal errors and of exceptions in definitions.",
)


def debugging() -> bool:
    """Whether the running command was given --debug (before or after its name)."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and isinstance(ctx.obj, dict) and bool(ctx.obj.get("debug"))


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
        if DEBUG_OPTION not in command.params:
            command.params.append(DEBUG_OPTION)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help=DEBUG_OPTION.help)
@click.version_option(package_name="sarkmon")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Monitoring as code for SARK: compile and verify dashboards, rules and routing."""
    ctx.obj = {"debug": debug}


# A run builds one large model that lives until the end and allocates a lot meanwhile: with
# the collector's default thresholds it rescans that model over and over (a third of the
# time of a large project). Collections a hundred times rarer cost no memory here: the model
# holds no cycles to free.
BATCH_GC_THRESHOLD = (50_000, 20, 100)
_process = [False]  # True when main() runs the process (not when tests invoke the group)


def long_lived() -> None:
    """The objects made so far live until the process exits (the loaded and built model):
    the collector stops scanning them, during the run and at exit, where a last collection
    of a large model takes seconds. Only when sarkmon is the process."""
    if _process[0]:
        gc.freeze()


def main(argv: list[str] | None = None) -> Any:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    thresholds = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLD)
    _process[0] = True
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
    finally:
        long_lived()  # what is left is freed by exiting
        _process[0] = False
        gc.set_threshold(*thresholds)
