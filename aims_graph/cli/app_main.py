"""``python -m aims_graph.cli.app_main``: the console script without an installed entry point."""

from aims_graph.cli import main

if __name__ == "__main__":
    main()
