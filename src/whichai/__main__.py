from whichai.cli.main import main

main()
