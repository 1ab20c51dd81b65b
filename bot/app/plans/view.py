"""A plan shown in chat: headings from the catalogues of texts, content as the people wrote it."""

from __future__ import annotations

from typing import Any

from bot.app.plans.common import label, measure_detail
from bot.core.replies import Raw, Text, say
from bot.knowledge import Catalogue
from bot.storage.models import Plan, Pupil

Part = Text | Raw


def overview(
    plan: Plan, pupil: Pupil, catalogue: Catalogue, lang: str, *, for_parent: bool = False
) -> tuple[Part, ...]:
    """The whole plan, section by section; a parent's view leaves out internal justifications."""
    content: dict[str, Any] = plan.content or {}
    parts: list[Part] = [
        say(
            "plan.view.header",
            number=plan.id,
            name=Raw(pupil.name),
            pupil_class=Raw(pupil.class_name),
            semester=Raw(plan.semester),
            status=say(f"plan.status.{plan.status}"),
        )
    ]
    risks = content.get("risks") or []
    parts.append(say("plan.view.risks"))
    lines = []
    for risk in risks:
        factor = catalogue.factor(risk["code"])
        name = label(factor.label, lang) if factor else risk["code"]
        lines.append(
            f"• {name}" + ("" if for_parent or not risk.get("why") else f": {risk['why']}")
        )
    parts.append(Raw("\n".join(lines) or "—"))
    goals = content.get("goals") or []
    parts.append(say("plan.view.goals"))
    parts.append(Raw("\n".join(f"• {_goal(g)}" for g in goals) or "—"))
    parts.append(say("plan.view.measures"))
    measures = []
    for entry in content.get("measures") or []:
        measure = catalogue.measure(entry["code"])
        name = label(measure.label, lang) if measure else entry["code"]
        who, often = measure_detail(entry, measure, lang)
        measures.append(f"• {name} — {who}; {often}")
    parts.append(Raw("\n".join(measures) or "—"))
    commitments = content.get("commitments") or {}
    parts.append(
        say(
            "plan.view.commitments",
            pupil_part=Raw(commitments.get("pupil", "—")),
            parent_part=Raw(commitments.get("parents", "—")),
        )
    )
    if content.get("review_date"):
        parts.append(say("plan.view.review", date=Raw(str(content["review_date"]))))
    if content.get("family_view"):
        parts.append(say("plan.view.family", text=Raw(str(content["family_view"]))))
    return tuple(parts)


def _goal(goal: dict[str, Any]) -> str:
    text = str(goal.get("text", ""))
    for key in ("baseline", "target", "date"):
        text = text.replace("{" + key + "}", str(goal.get(key, "")))
    if "{" not in str(goal.get("text", "")):  # a goal written freely: add the figures after it
        text += f" ({goal.get('baseline', '')} → {goal.get('target', '')}, {goal.get('date', '')})"
    return text
