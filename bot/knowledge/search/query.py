"""From a user's text to weighted index terms, matching typos and Russian typed in Latin letters."""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.search.concept import Concept
from bot.knowledge.search.index import LangIndex
from bot.knowledge.search.normalize import is_cyrillic, tokens
from bot.knowledge.search.stem_lv import stem_lv
from bot.knowledge.search.stem_ru import stem_ru
from bot.knowledge.search.stopwords import STOPWORDS
from bot.knowledge.search.translit import cyrillic_variants

# Long texts are cut so that time stays bounded: a question rarely needs more than this.
MAX_CHARS = 300
MAX_TOKENS = 40
SKELETON_WEIGHT = 0.9  # a transliteration that only differs in ш/щ, и/ы/й or a soft sign
PREFIX_WEIGHT = 0.7  # another derived form of the word (see Vocabulary.sharing_prefix)
UNKNOWN_WEIGHT = 0.5  # an unknown word lowers confidence half as much as a rare known one


@dataclass(frozen=True, slots=True)
class Query:
    concepts: list[Concept]
    ideal: float  # what a document matching every word perfectly would score
    unknown: int  # words the index does not know even approximately


def query_tokens(text: str) -> list[str]:
    """Folded tokens of the first MAX_CHARS characters, at most MAX_TOKENS of them."""
    return [t for t in tokens(text[:MAX_CHARS]) if len(t) > 1][:MAX_TOKENS]


def resolve(index: LangIndex, words: list[str]) -> Query:
    """The query's words as concepts of this index; unknown words only lower the ideal."""
    concepts: dict[frozenset[str], Concept] = {}
    unknown: set[str] = set()
    for word in words:
        candidates = _candidates(word, index.lang)
        if candidates is None:
            continue  # a function word
        matched = _match(index, *candidates)
        if not matched:
            unknown.add(word)
            continue
        ideal = _worth(index, matched)
        concepts.setdefault(frozenset(matched), Concept(terms=matched, ideal=ideal))
    total = sum(c.ideal for c in concepts.values())
    total += len(unknown) * UNKNOWN_WEIGHT * index.bm25.rare_idf()
    return Query(concepts=list(concepts.values()), ideal=total, unknown=len(unknown))


def _worth(index: LangIndex, matched: dict[str, float]) -> float:
    """What a word is worth: the idf of its surest reading, not of a rarer lookalike.

    Of two exact readings (logoped: a Latvian term quoted in Russian articles, and логопед) the
    commoner sets the worth; of equally likely guesses (synonyms, typo corrections) the best.
    """
    surest = max(matched.values())
    idfs = [index.bm25.idf[t] for t, w in matched.items() if w == surest]
    return min(idfs) if surest >= 1.0 else max(idfs)


def _candidates(word: str, lang: str) -> tuple[list[list[str]], str] | None:
    """Index terms the word may stand for, in tiers (the first tier found wins), and the term
    to correct typos in; None for a function word."""
    if is_cyrillic(word):
        return None if word in STOPWORDS["ru"] else ([[stem_ru(word)]], stem_ru(word))
    if lang == "lv":
        if word in STOPWORDS["lv"]:
            return None
        tiers = [[stem_lv(word)]]
        # Debitive jā- (jāparaksta: must sign) and negation ne- (neierodas) are prefixes in
        # Latvian; the bare verb is tried only when the prefixed form is not in the articles.
        if word.startswith(("ja", "ne")) and len(word) > 5:
            tiers.append([stem_lv(word[2:])])
        return tiers, tiers[0][0]
    variants = cyrillic_variants(word)
    if variants[0] in STOPWORDS["ru"]:
        return None
    # Both readings count: a Latvian term quoted in Russian articles (IAP, e-klase, logopēds)
    # and the transliteration (logoped: логопед).
    translit = list(dict.fromkeys(stem_ru(v) for v in variants))
    return [[stem_lv(word), *translit]], translit[0]


def _match(index: LangIndex, tiers: list[list[str]], typo: str) -> dict[str, float]:
    """Known terms for a word: exact, or as transliterated, or a stand-in, or typo-corrected."""
    vocab = index.vocab
    for tier in tiers:
        exact = [c for c in tier if c in vocab]
        if exact:
            found = dict.fromkeys(exact, 1.0)
            for term in exact:
                for other in vocab.sharing_prefix(term):
                    found.setdefault(other, PREFIX_WEIGHT)
            return found
    candidates = [c for tier in tiers for c in tier]
    for candidate in candidates:
        if is_cyrillic(candidate):
            alike = vocab.same_skeleton(candidate)
            if alike:
                return dict.fromkeys(alike, SKELETON_WEIGHT)
    for candidate in candidates:
        stand_in = index.synonyms.stand_in(candidate)
        if stand_in:
            return stand_in
    found = dict.fromkeys(vocab.sharing_prefix(typo), PREFIX_WEIGHT)
    for term, similarity in vocab.fuzzy(typo):
        found[term] = max(found.get(term, 0.0), similarity)
    return found
