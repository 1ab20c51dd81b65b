"""The knowledge base: articles (lv, ru) and catalogues, loaded, validated and searched."""

from bot.knowledge.base import KnowledgeBase, KnowledgeError
from bot.knowledge.catalogue import Catalogue
from bot.knowledge.model import Article, GoalTemplate, Measure, RiskFactor, RiskGroup
from bot.knowledge.problem import Problem
from bot.knowledge.validate import check

__all__ = [
    "Article",
    "Catalogue",
    "GoalTemplate",
    "KnowledgeBase",
    "KnowledgeError",
    "Measure",
    "Problem",
    "RiskFactor",
    "RiskGroup",
    "check",
]
