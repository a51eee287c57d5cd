"""One module per ``sarkmon`` subcommand."""
