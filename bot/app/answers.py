"""Answers to free-text questions: search, then one of three bands, each logged.

Confident: the short answer, "Read more", related articles and 👍/👎. Close: "Did you mean" with
the best two or three and "None of these". Nothing good: an honest reply, a hint, and an offer to
pass the question to the school.
"""

from __future__ import annotations

import html
import re
from typing import Any

from bot.app.actions import set_language
from bot.app.markdown import to_telegram_html
from bot.app.plans.from_answer import FromAnswer
from bot.app.words import answer_words
from bot.core.callbacks import encode_global
from bot.core.context import Ctx
from bot.core.dates import fold
from bot.core.registry import ActionResult, Registry
from bot.core.replies import Button, Markup, Raw, Reply, say
from bot.knowledge import Article, KnowledgeBase
from bot.knowledge.search import Band, Hit, SearchIndex

MAX_QUERY = 300  # longer questions are cut: search time stays bounded
RELATED = 3
CLOSE_OPTIONS = 3
SMALL_TALK_MAX = 60  # characters: "Labdien, paldies par atbildi!" fits, a question seldom does
_NOT_WORDS = re.compile(r"[^\w\s]+|[\d_]+")  # punctuation, emoji and digits around a greeting


class Answers:
    def __init__(self, kb: KnowledgeBase, index: SearchIndex) -> None:
        self.kb, self.index = kb, index
        self.to_plan = FromAnswer(kb)
        # Small talk is answered in kind, not searched (and not logged as a question missed).
        greetings, thanks = answer_words("input.greeting_words"), answer_words("input.thanks_words")
        self.small_talk = {
            lang: {**dict.fromkeys(greetings[lang], "answer.greeting"),
                   **dict.fromkeys(thanks[lang], "answer.thanks")}
            for lang in greetings
        }  # fmt: skip

    def register(self, registry: Registry) -> None:
        self.to_plan.register(registry)
        registry.free_text = self.answer
        registry.actions["answer_question"] = self.answer_action
        registry.actions["set_language_and_answer"] = self.language_then_answer
        registry.buttons.update(
            {
                "r": self.read_more,
                "a": self.open_article,
                "f": self.feedback,
                "n": self.none_fit,
                "s": self.to_school,
            }
        )

    # --- asking --------------------------------------------------------------------------
    def answer_action(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        result = self.answer(ctx, str(data.get("question", "")))
        return ActionResult(replies=result.replies, goto="stop")

    def language_then_answer(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        """The first choice of language; what was typed before it (onboarding keeps it) is
        answered right away, in the language just chosen."""
        chosen = set_language(ctx, data)
        kept = str(data.pop("question", "") or "")
        if chosen.error is not None or not kept.strip() or self.chat_reply(ctx, kept) is not None:
            return chosen  # a greeting needs no answer: the menu follows
        answered = self.answer(ctx, kept)
        return ActionResult(note=chosen.note, replies=answered.replies, goto="stop")

    def chat_reply(self, ctx: Ctx, text: str) -> str | None:
        """The reply key when the whole message only greets or thanks, else None."""
        if len(text) > SMALL_TALK_MAX:  # a question, not a greeting: no need to look
            return None
        words = " ".join(_NOT_WORDS.sub(" ", fold(text)).split())
        return self.small_talk.get(ctx.language, {}).get(words)

    def answer(self, ctx: Ctx, text: str) -> ActionResult:
        query = " ".join(text.split())[:MAX_QUERY]
        if (key := self.chat_reply(ctx, query)) is not None:
            return ActionResult(replies=(Reply((say(key),)),))
        if len(query) < 2:
            return ActionResult(replies=(Reply((say("answer.too_short"),)),))
        hits = self.index.search(query, ctx.language, limit=5)
        band = self.index.classify(hits)
        log_id = ctx.services.log_question(
            query, [h.id for h in hits], [h.score for h in hits], band.value
        )
        if band == Band.CONFIDENT:
            article = self.kb.article(hits[0].id, ctx.language)
            if article is not None:
                return ActionResult(replies=(self.confident(article, log_id, ctx),))
        if band in (Band.CONFIDENT, Band.CLOSE):
            return ActionResult(replies=(self.close(hits[:CLOSE_OPTIONS], log_id),))
        return ActionResult(replies=(self.nothing(log_id),))

    def confident(self, article: Article, log_id: int = 0, ctx: Ctx | None = None) -> Reply:
        rows: list[tuple[Button, ...]] = [
            (Button(say("answer.read_more"), encode_global("r", article.id)),)
        ]
        use = self.to_plan.button(ctx, article) if ctx is not None else None
        if use is not None:
            rows.append((use,))
        for rid in article.related[:RELATED]:
            related = self.kb.article(rid, article.lang)
            if related is not None:
                rows.append((Button(Raw("📄 " + related.title), encode_global("a", rid)),))
        if log_id > 0:
            rows.append(
                (
                    Button(say("answer.helpful"), encode_global("f", f"{log_id}.up")),
                    Button(say("answer.not_helpful"), encode_global("f", f"{log_id}.down")),
                )
            )
        parts = (Markup(f"<b>{_escape(article.title)}</b>"), Raw(article.summary))
        return Reply(parts, tuple(rows))

    def close(self, hits: list[Hit], log_id: int) -> Reply:
        rows = [(Button(Raw(h.title), encode_global("a", f"{h.id}.{log_id}")),) for h in hits]
        rows.append((Button(say("answer.none_of_these"), encode_global("n", str(log_id))),))
        return Reply((say("answer.did_you_mean"),), tuple(rows))

    def nothing(self, log_id: int) -> Reply:
        rows = ((Button(say("answer.ask_school"), encode_global("s", str(log_id))),),)
        return Reply((say("answer.nothing"),), rows)

    # --- buttons under answers (they work on old messages too) ----------------------------
    def open_article(self, ctx: Ctx, arg: str) -> ActionResult:
        article_id, _, log = arg.partition(".")
        article = self.kb.article(article_id, ctx.language)
        if article is None:
            return ActionResult(error=say("error.unknown_button"))
        # Feedback buttons only for the person's own logged question.
        log_id = int(log) if log.isdigit() and ctx.services.own_question(int(log)) else 0
        return ActionResult(replies=(self.confident(article, log_id, ctx),))

    def read_more(self, ctx: Ctx, article_id: str) -> ActionResult:
        article = self.kb.article(article_id, ctx.language)
        if article is None:
            return ActionResult(error=say("error.unknown_button"))
        body = Markup(f"<b>{_escape(article.title)}</b>\n\n" + to_telegram_html(article.body))
        rows = tuple(
            (Button(Raw("📄 " + r.title), encode_global("a", r.id)),)
            for r in (self.kb.article(i, ctx.language) for i in article.related[:RELATED])
            if r is not None
        )
        return ActionResult(replies=(Reply((body,), rows),))

    def feedback(self, ctx: Ctx, arg: str) -> ActionResult:
        log_id, _, verdict = arg.partition(".")
        if not log_id.isdigit() or verdict not in ("up", "down"):
            return ActionResult(error=say("error.unknown_button"))
        if not ctx.services.question_feedback(int(log_id), verdict):
            return ActionResult(error=say("error.unknown_button"))
        key = "answer.thanks_up" if verdict == "up" else "answer.thanks_down"
        return ActionResult(replies=(Reply((say(key),)),))

    def none_fit(self, ctx: Ctx, arg: str) -> ActionResult:
        if not arg.isdigit() or not ctx.services.question_feedback(int(arg), "none"):
            return ActionResult(error=say("error.unknown_button"))
        return ActionResult(replies=(self.nothing(int(arg)),))

    def to_school(self, ctx: Ctx, arg: str) -> ActionResult:
        question = ctx.services.own_question(int(arg)) if arg.isdigit() else None
        if question is None:
            return ActionResult(error=say("error.unknown_button"))
        return ActionResult(goto="dialog:ask_school", carry={"question": question})


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
