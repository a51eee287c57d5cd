from sarkmon.bench import main

main()
