from sarkmon.cli import main

main()
