"""`python -m bot kb ...`: the knowledge base from the command line."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from bot.cli.common import EXIT_FAILED, EXIT_OK, fail, settings_or_exit
from bot.knowledge import KnowledgeBase, KnowledgeError, check
from bot.knowledge.codes import LANGS
from bot.knowledge.search import SearchIndex
from bot.knowledge.search.evaluate import (
    DEPTH,
    CaseFileError,
    figures,
    read_cases,
    report,
    run,
    title_baseline,
)

DEFAULT_LANG = "lv"  # the interface language when neither --lang nor the query tells


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kb = sub.add_parser("kb", help="knowledge base: check, list, search, eval, misses")
    ksub = kb.add_subparsers(dest="kb_command", required=True, metavar="ACTION")
    ksub.add_parser("check", help="validate articles and catalogues").set_defaults(handler=_check)
    lst = ksub.add_parser("list", help="list articles")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_list)
    search = ksub.add_parser("search", help="search the knowledge base")
    search.add_argument("query")
    search.add_argument("--lang", choices=("lv", "ru"))
    search.add_argument("--json", action="store_true")
    search.set_defaults(handler=_search)
    ev = ksub.add_parser("eval", help="measure search quality on a TSV file")
    ev.add_argument("file")
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(handler=_eval)
    misses = ksub.add_parser("misses", help="questions the knowledge base did not answer")
    misses.add_argument("--json", action="store_true")
    misses.set_defaults(handler=_misses)


def _check(args: argparse.Namespace) -> int:
    problems = check()
    for problem in problems:
        print(problem.render(Path.cwd()))
    if problems:
        print(f"{len(problems)} problem(s) in the knowledge base.")
        return EXIT_FAILED
    kb = _kb()
    print(f"Knowledge base OK: {len(kb.ids())} articles in lv and ru, catalogue checked.")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    kb = _kb()
    articles = [a for lang in LANGS for a in kb.articles(lang)]
    if args.json:
        rows = [
            {
                "id": a.id,
                "lang": a.lang,
                "title": a.title,
                "words": a.words,
                "audience": list(a.audience),
            }
            for a in articles
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{'ID':<30} {'LANG':<4} {'WORDS':>5}  {'AUDIENCE':<27} TITLE")
    for a in articles:
        print(f"{a.id:<30} {a.lang:<4} {a.words:>5}  {','.join(a.audience):<27} {a.title}")
    print(f"{len(articles)} articles")
    return EXIT_OK


def _search(args: argparse.Namespace) -> int:
    kb = _kb()
    index = SearchIndex.build(kb)
    lang = args.lang or index.query_lang(args.query, DEFAULT_LANG)
    hits = index.search(args.query, lang)
    if args.json:
        print(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not hits:
        print("No matching articles.")
    for hit in hits:
        print(f"{hit.score:.3f}  {hit.id:<30} {hit.title}")
    print(f"band: {index.classify(hits).value}")
    return EXIT_OK


def _eval(args: argparse.Namespace) -> int:
    kb = _kb()
    try:
        cases = read_cases(Path(args.file))
    except (OSError, CaseFileError) as exc:
        fail(str(exc))
    index = SearchIndex.build(kb)
    results = run(cases, lambda q, lang: [h.id for h in index.search(q, lang, limit=DEPTH)])
    ours, baseline = figures(results), figures(run(cases, title_baseline(kb)))
    if args.json:
        print(json.dumps(report(results, baseline), ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in results:
        if r.rank != 1:
            want, got = "|".join(r.case.expected), ", ".join(r.got[:3]) or "-"
            print(
                f"rank {r.rank or '-':>2}  [{r.case.lang}] {r.case.query}  want {want}  got {got}"
            )
    print(f"{'':<10} {'top-1':>6} {'top-3':>6} {'MRR':>6}   (n={ours.n})")
    for name, f in (("search", ours), ("baseline", baseline)):
        print(f"{name:<10} {f.top1:>6.3f} {f.top3:>6.3f} {f.mrr:>6.3f}")
    print("baseline: rapidfuzz WRatio of the query against titles in its language")
    return EXIT_OK


def _kb() -> KnowledgeBase:
    try:
        return KnowledgeBase.load()
    except KnowledgeError as exc:
        fail(f"{exc}\nRun `python -m bot kb check` for every problem.")


def _misses(args: argparse.Namespace) -> int:
    """Unanswered, "none of these" and 👎 questions, grouped by similarity."""
    from bot.app.misses import group_misses
    from bot.storage import migrate
    from bot.storage.database import Database
    from bot.storage.repos.question_log import missed

    settings = settings_or_exit()
    migrate.upgrade_if_needed(settings.database_url)
    groups = group_misses(Database(settings.database_url).run_blocking(missed))
    if args.json:
        rows = [
            {
                "count": g.count,
                "language": g.language,
                "example": g.example,
                "reasons": dict(g.reasons),
                "questions": g.questions,
            }
            for g in groups
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    if not groups:
        print("No missed questions yet.")
    for g in groups:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(g.reasons.items()))
        print(f"{g.count:>4}  [{g.language}]  {g.example}   ({reasons})")
    return EXIT_OK
