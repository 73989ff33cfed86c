from hldgraph.cli import main

main()
