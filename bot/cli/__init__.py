"""The command line: `python -m bot <command>`."""
