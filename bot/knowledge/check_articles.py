"""Checks of one article file: fields, types, and the rules of knowledge/FORMAT.md."""

from __future__ import annotations

import re
from typing import Any

from bot.knowledge.articles import FIELDS, LIST_FIELDS, TEXT_FIELDS, RawArticle
from bot.knowledge.codes import AUDIENCES, LANGS, SECTIONS
from bot.knowledge.model import word_count
from bot.knowledge.problem import Problem
from bot.knowledge.source import key_line

MIN_WORDS, MAX_WORDS = 150, 500
MIN_ALT, MAX_ALT = 3, 8
MAX_SUMMARY_CHARS = 400
MAX_SUMMARY_SENTENCES = 2
# A sentence ends at . ! ? or … before a capital letter or the end; "Nr. 474" does not end one.
_SENTENCE_END = re.compile(r"[.!?…](?=\s+[\"'«„(]?[A-ZĀ-ŽА-ЯЁ]|\s*$)")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def check_article(raw: RawArticle) -> list[Problem]:
    """Everything that can be checked about an article without looking at other files."""
    out: list[Problem] = []

    def add(message: str, key: str | None = None, value: str | None = None) -> None:
        line = key_line(raw.doc.front, key, value, raw.doc.front_start) if key else 1
        out.append(Problem(raw.path, line, message))

    data = raw.data
    for name in FIELDS:
        if name not in data:
            add(f"missing required field '{name}'")
    for name in data:
        if name not in FIELDS:
            add(f"unknown field '{name}' (known: {', '.join(FIELDS)})", str(name))
    for name in TEXT_FIELDS:
        if name in data and not _is_text(data[name]):
            add(f"field '{name}' must be a non-empty text", name)
    for name in LIST_FIELDS:
        if name in data and not _is_text_list(data[name]):
            add(f"field '{name}' must be a list of texts (quote yes/no/on/off)", name)
    if out:
        return out  # the rules below assume the shape is right

    folder, stem = raw.path.parent.name, raw.path.stem
    if data["lang"] not in LANGS:
        add(f"lang '{data['lang']}' is not one of {', '.join(LANGS)}", "lang")
    elif data["lang"] != folder:
        add(f"lang '{data['lang']}' does not match the folder '{folder}'", "lang")
    if data["id"] != stem:
        add(f"id '{data['id']}' does not match the file name '{stem}.md'", "id")
    if data["section"] not in SECTIONS:
        add(f"section '{data['section']}' is not one of {', '.join(SECTIONS)}", "section")
    if not data["audience"]:
        add("audience must name at least one of " + ", ".join(AUDIENCES), "audience")
    for value in data["audience"]:
        if value not in AUDIENCES:
            add(f"audience '{value}' is not one of {', '.join(AUDIENCES)}", "audience", value)
    summary = str(data["summary"]).strip()
    if len(summary) > MAX_SUMMARY_CHARS:
        add(f"summary has {len(summary)} characters; keep it to {MAX_SUMMARY_CHARS}", "summary")
    sentences = len(_SENTENCE_END.findall(summary))
    if sentences > MAX_SUMMARY_SENTENCES:
        add(f"summary has {sentences} sentences; keep it to one or two", "summary")
    if not data["tags"]:
        add("tags must not be empty", "tags")
    alts = data["alt_questions"]
    if not MIN_ALT <= len(alts) <= MAX_ALT:
        add(f"alt_questions has {len(alts)} items; write {MIN_ALT} to {MAX_ALT}", "alt_questions")
    if not data["sources"]:
        add("sources must list at least one URL", "sources")
    for url in data["sources"]:
        if not _URL.match(str(url)):
            add(f"source '{url}' is not an http(s) URL", "sources", str(url))
    words = word_count(raw.doc.body)
    if not MIN_WORDS <= words <= MAX_WORDS:
        out.append(
            Problem(
                raw.path,
                raw.doc.body_start,
                f"body has {words} words; write {MIN_WORDS}–{MAX_WORDS}",
            )
        )
    return out


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_text_list(value: Any) -> bool:
    if not isinstance(value, list):
        return False
    return all(
        isinstance(v, str | int | float) and not isinstance(v, bool) and str(v).strip()
        for v in value
    )
