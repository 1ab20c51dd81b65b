"""`python -m bot dialogs ...`: validate and draw the dialog flows."""

from __future__ import annotations

import argparse

from bot.cli.common import not_yet


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dialogs = sub.add_parser("dialogs", help="dialog flows: check, graph")
    dsub = dialogs.add_subparsers(dest="dialogs_command", required=True, metavar="ACTION")
    dsub.add_parser("check", help="validate dialog flows")
    graph = dsub.add_parser("graph", help="print a flow as a Mermaid diagram")
    graph.add_argument("name")
    dialogs.set_defaults(handler=lambda a: not_yet("dialogs", "the conversation engine issue (#3)"))
