from boundaries.cli import main

main()
