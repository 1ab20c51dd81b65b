"""Search speed: load and index build time and query latency, on the real and a large base.

The large base is synthesised from the real articles: each copy keeps an article's structure and
catalogue links but replaces a share of its words with made-up words, so the vocabulary grows as
a real, larger base would. Queries are the dev and held-out query files plus typos, translit and
over-long texts. Prints figures; not a test.

    python bench/search.py [--json] [--articles N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.knowledge import Article, KnowledgeBase
from bot.knowledge.codes import LANGS
from bot.knowledge.search import SearchIndex
from bot.knowledge.search.evaluate import read_cases

POOL = 30_000
DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
EXTRA_QUERIES = [
    ("psiholgs", "lv"),
    ("буллинк в классе", "ru"),
    ("rebenok ne hochet uchitsya", "ru"),
    ("berns negrib iet uz skolu ko darit", "lv"),
    ("Ja bērns neiet uz skolu jau divas nedēļas, ko darīt? " * 40, "lv"),
    ("SELECT * FROM articles; DROP TABLE users; --", "lv"),
    ("🙂🙂🙂", "ru"),
]


def queries() -> list[tuple[str, str]]:
    found = [
        (c.query, c.lang)
        for f in ("search-dev.tsv", "search-extra.tsv")
        for c in read_cases(DATA / f)
    ]
    return found + EXTRA_QUERIES


def synthesise(articles: Sequence[Article], count: int, seed: int = 7) -> list[Article]:
    """`count` article ids (each in every language) made from the real ones with varied words."""
    rng = random.Random(seed)
    by_lang = {lang: [a for a in articles if a.lang == lang] for lang in LANGS}
    letters = {"lv": "aābcčdeēfgģhiījkķlļmnņoprsštuūvzž", "ru": "абвгдежзийклмнопрстуфхцчшщыэюя"}
    # A shared pool, as a real base reuses its words: about 30,000 new words per language.
    pool = {
        lang: ["".join(rng.choices(letters[lang], k=rng.randint(4, 11))) for _ in range(POOL)]
        for lang in LANGS
    }
    out: list[Article] = []
    for number in range(count):
        pick = rng.randrange(len(by_lang[LANGS[0]]))
        for lang in LANGS:
            base = by_lang[lang][pick % len(by_lang[lang])]
            made_up = rng.sample(pool[lang], 40)
            out.append(
                dataclasses.replace(
                    base,
                    id=f"{base.id}-{number}",
                    title=_vary(rng, base.title, made_up),
                    summary=_vary(rng, base.summary, made_up),
                    body=_vary(rng, base.body, made_up),
                    alt_questions=tuple(_vary(rng, q, made_up) for q in base.alt_questions),
                    related=(),
                )
            )
    return out


def _vary(rng: random.Random, text: str, made_up: list[str], share: float = 0.3) -> str:
    """The text with about `share` of its words replaced by made-up ones."""
    return " ".join(rng.choice(made_up) if rng.random() < share else w for w in text.split())


def latency(index: SearchIndex, work: list[tuple[str, str]], rounds: int) -> tuple[float, float]:
    """p50 and p99 of one search, in milliseconds."""
    times = []
    for _ in range(rounds):
        for text, lang in work:
            started = time.perf_counter()
            index.search(text, lang)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--articles", type=int, default=5000)
    args = parser.parse_args()

    started = time.perf_counter()
    kb = KnowledgeBase.load()
    load_s = time.perf_counter() - started
    work = queries()
    started = time.perf_counter()
    index = SearchIndex.build(kb)
    build_s = time.perf_counter() - started
    p50, p99 = latency(index, work, rounds=20)

    real = [a for lang in LANGS for a in kb.articles(lang)]
    big_articles = synthesise(real, args.articles)
    started = time.perf_counter()
    big = SearchIndex.from_articles(big_articles, kb.catalogue)
    build_big_s = time.perf_counter() - started
    p50_big, p99_big = latency(big, work, rounds=3)

    figures = {
        "load_s": round(load_s, 4),
        "build_s": round(build_s, 4),
        "p50_ms": round(p50, 3),
        "p99_ms": round(p99, 3),
        "articles": len(kb.ids()),
        "build_s_5000": round(build_big_s, 3),
        "p50_ms_5000": round(p50_big, 3),
        "p99_ms_5000": round(p99_big, 3),
        "articles_5000": args.articles,
        "queries": len(work),
    }
    if args.json:
        print(json.dumps(figures))
        return
    print(f"real base: {figures['articles']} articles x {len(LANGS)} languages")
    print(
        f"  load {load_s:.3f} s, build {build_s:.3f} s,"
        f" query p50 {p50:.2f} ms, p99 {p99:.2f} ms (target p99 <= 5 ms)"
    )
    print(f"synthetic base: {args.articles} articles x {len(LANGS)} languages")
    print(
        f"  build {build_big_s:.2f} s, query p50 {p50_big:.2f} ms, p99 {p99_big:.2f} ms"
        " (target p99 <= 50 ms)"
    )


if __name__ == "__main__":
    main()
