"""`python -m bot kb ...`: the knowledge base from the command line."""

from __future__ import annotations

import argparse

from bot.cli.common import not_yet


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kb = sub.add_parser("kb", help="knowledge base: check, list, search, eval, misses")
    ksub = kb.add_subparsers(dest="kb_command", required=True, metavar="ACTION")
    ksub.add_parser("check", help="validate articles and catalogues")
    lst = ksub.add_parser("list", help="list articles")
    lst.add_argument("--json", action="store_true")
    search = ksub.add_parser("search", help="search the knowledge base")
    search.add_argument("query")
    search.add_argument("--lang", choices=("lv", "ru"))
    search.add_argument("--json", action="store_true")
    ev = ksub.add_parser("eval", help="measure search quality on a TSV file")
    ev.add_argument("file")
    ev.add_argument("--json", action="store_true")
    ksub.add_parser("misses", help="questions the knowledge base did not answer")
    kb.set_defaults(handler=lambda a: not_yet("kb", "the knowledge base issues (#4, #5)"))
