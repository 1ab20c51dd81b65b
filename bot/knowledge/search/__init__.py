"""Search over the knowledge base: `SearchIndex.build(kb).search(text, lang)`."""

from bot.knowledge.search.bands import Band
from bot.knowledge.search.engine import Hit, SearchIndex

__all__ = ["Band", "Hit", "SearchIndex"]
