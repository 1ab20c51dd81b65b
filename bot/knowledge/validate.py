"""`kb check`: every problem in the knowledge content, each with its file and line."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.articles import RawArticle, article_paths, read_raw
from bot.knowledge.catalogue import Catalogue
from bot.knowledge.catalogue_file import CATALOGUE_FILE, build_catalogue, read_catalogue_data
from bot.knowledge.check_articles import check_article
from bot.knowledge.check_catalogue import check_catalogue
from bot.knowledge.check_links import check_coverage, check_references
from bot.knowledge.problem import Problem
from bot.knowledge.source import ContentError
from bot.paths import content_dir


def check(root: Path | None = None) -> list[Problem]:
    """Validate articles and the catalogue under `root` (default: the project's knowledge/)."""
    root = (root or content_dir("knowledge")).resolve()
    problems: list[Problem] = []
    paths = article_paths(root)
    raws: list[RawArticle] = []
    for path in paths:
        try:
            raws.append(read_raw(path))
        except ContentError as exc:
            problems.append(Problem(path, exc.line, exc.message))
    problems += check_coverage(root, paths)
    for raw in raws:
        problems += check_article(raw)

    catalogue: Catalogue | None = None
    cat_path = root / CATALOGUE_FILE
    try:
        text, data = read_catalogue_data(root)
        catalogue = build_catalogue(data)
    except ContentError as exc:
        problems.append(Problem(cat_path, exc.line, exc.message))
    else:
        ids = {p.stem for p in paths}
        problems += check_catalogue(cat_path, text, data, catalogue, ids)

    by_lang: dict[str, set[str]] = {}
    for path in paths:
        by_lang.setdefault(path.parent.name, set()).add(path.stem)
    for raw in raws:
        problems += check_references(raw, by_lang.get(raw.path.parent.name, set()), catalogue)
    return sorted(set(problems))
