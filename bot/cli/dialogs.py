"""`python -m bot dialogs ...`: validate and draw the dialog flows."""

from __future__ import annotations

import argparse

from bot.cli.common import EXIT_FAILED, EXIT_OK, fail


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dialogs = sub.add_parser("dialogs", help="dialog flows: check, graph")
    dsub = dialogs.add_subparsers(dest="dialogs_command", required=True, metavar="ACTION")
    dsub.add_parser("check", help="validate dialog flows")
    graph = dsub.add_parser("graph", help="print a flow as a Mermaid diagram")
    graph.add_argument("name")
    dialogs.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from bot.app.build import build_registry
    from bot.app.dialog_check import check_dialogs, mermaid
    from bot.core.flows_loader import parse_all
    from bot.paths import content_dir

    root = content_dir("dialogs")
    if args.dialogs_command == "graph":
        flows, _ = parse_all(root)
        if args.name not in flows:
            fail(f"No dialog named {args.name!r}. Known: {', '.join(sorted(flows))}", EXIT_FAILED)
        print(mermaid(flows[args.name]))
        return EXIT_OK
    from bot.knowledge import KnowledgeBase

    problems = check_dialogs(root, build_registry(KnowledgeBase.load()))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {root}")
        return EXIT_FAILED
    print(f"Dialogs OK: {len(list(root.glob('*.yaml')))} files in {root}")
    return EXIT_OK
