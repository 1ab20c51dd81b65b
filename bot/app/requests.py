"""Support requests: a parent without an invitation asks the school; the coordinator answers,
accepts (the child is added and the parent linked) and can start a plan from it."""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select

from bot.app.pupils import CLASS, PERSONAL_CODE
from bot.core.callbacks import encode_global
from bot.core.context import Ctx
from bot.core.dates import fold
from bot.core.registry import ActionResult, DynamicOption, Registry
from bot.core.replies import Button, Raw, Reply, say
from bot.domain.roles import Role
from bot.knowledge.search.translit import to_cyrillic
from bot.storage.models import School, SupportRequest, User
from bot.storage.repos import schools

_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


class Requests:
    def register(self, registry: Registry) -> None:
        registry.providers.update({"school_matches": self.matches, "request_options": self.options})
        registry.actions.update(
            {
                "find_schools": self.find,
                "check_child_name": self.check_name,
                "check_child_class": self.check_class,
                "send_support_request": self.send,
                "cancel_request": lambda ctx, d: ActionResult(note=say("cancel.done")),
                "load_request": self.load,
                "answer_request": self.answer,
                "accept_request": self.accept,
                "plan_from_request": self.plan_from,
            }
        )
        registry.conditions["has_requests"] = lambda ctx, d: bool(self.options(ctx, d))
        registry.buttons["R"] = open_request_button

    # --- the parent's side ---------------------------------------------------------------------
    def _found(self, ctx: Ctx, query: str) -> list[tuple[int, str]]:
        rows = ctx.services.session.execute(
            select(School.id, School.name, School.municipality)
        ).all()
        choices = {sid: fold(f"{name} {town}") for sid, name, town in rows}
        if _CYRILLIC.search(query):  # "Рига 5", "Даугавпилс": the Latvian names read in Cyrillic
            choices = {sid: " ".join(map(to_cyrillic, t.split())) for sid, t in choices.items()}
        names = {sid: f"{name} ({town})" if town else name for sid, name, town in rows}
        best = process.extract(fold(query), choices, scorer=fuzz.WRatio, limit=6, score_cutoff=60)
        return [(int(sid), names[sid]) for _, _, sid in best]

    def find(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        if not self._found(ctx, str(data.get("school_query", ""))):
            return ActionResult(error=say("request.no_school"), goto="school_name")
        return None

    def matches(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        return [
            DynamicOption(f"s{sid}", Raw(name))
            for sid, name in self._found(ctx, str(data.get("school_query", "")))
        ]

    def check_name(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        name = str(data.get("child", ""))
        if PERSONAL_CODE.search(name) or any(ch.isdigit() for ch in name):
            data.pop("child", None)
            return ActionResult(error=say("pupils.no_codes"))
        return None

    def check_class(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        match = CLASS.match(str(data.get("child_class", "")))
        if match is None or not 1 <= int(match[1]) <= 12:
            return ActionResult(error=say("pupils.bad_class"))
        data["child_class"] = (
            f"{int(match[1])}.{match[2].lower()}" if match[2] else str(int(match[1]))
        )
        return None

    def send(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        pick = str(data.get("school", ""))
        school = (
            schools.get_school(ctx.services.session, int(pick[1:])) if pick[1:].isdigit() else None
        )
        if school is None:
            return ActionResult(error=say("error.stale_button"), goto="end")
        request = SupportRequest(
            user_id=ctx.services.user_id,
            school_id=school.id,
            child_name=str(data["child"]),
            child_class=str(data["child_class"]),
            worry=str(data["worry"]),
            language=ctx.language,
        )
        ctx.services.session.add(request)
        ctx.services.session.flush()
        ctx.services.audit("request.create", "request", request.id, school.id)
        notes = tuple(
            Reply(
                (say("request.notify", number=request.id),),
                ((Button(say("requests.open"), encode_global("R", str(request.id))),),),
                chat_id=c,
                language=lang,
            )
            for c, lang in self._coordinators(ctx, school.id)
        )
        return ActionResult(note=say("request.sent", school=Raw(school.name)), replies=notes)

    def _coordinators(self, ctx: Ctx, school_id: int) -> list[tuple[int, str | None]]:
        return schools.recipients(ctx.services.session, school_id, (Role.COORDINATOR.value,))

    # --- the coordinator's side ----------------------------------------------------------------
    def _mine(self, ctx: Ctx) -> frozenset[int]:
        coordinated: frozenset[int] = ctx.services.actor.schools(Role.COORDINATOR)
        return coordinated

    def options(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        mine = self._mine(ctx)
        if not mine:
            return []
        rows = ctx.services.session.execute(
            select(SupportRequest)
            .where(SupportRequest.school_id.in_(mine), SupportRequest.status == "new")
            .order_by(SupportRequest.id)
        ).scalars()
        return [
            DynamicOption(
                f"q{r.id}", say("requests.item", number=r.id, pupil_class=Raw(r.child_class))
            )
            for r in rows
        ]

    def _request(self, ctx: Ctx, data: dict[str, Any]) -> SupportRequest | None:
        raw = str(data.get("request", ""))
        row: SupportRequest | None = (
            ctx.services.session.get(SupportRequest, int(raw[1:])) if raw[1:].isdigit() else None
        )
        if row is None or row.school_id not in self._mine(ctx):
            ctx.services.refuse("request", "request", row.id if row else None)
            return None
        return row

    def load(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        row = self._request(ctx, data)
        if row is None:
            return ActionResult(error=say("access.denied"))
        return ActionResult(
            data={"req_child": row.child_name, "req_class": row.child_class, "req_worry": row.worry}
        )

    def answer(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        row = self._request(ctx, data)
        text = str(data.pop("answer", ""))
        if row is None:
            return ActionResult(error=say("access.denied"), goto="end")
        row.status = "answered"
        ctx.services.audit("request.answer", "request", row.id, row.school_id)
        parent = ctx.services.session.get(User, row.user_id) if row.user_id else None
        replies: tuple[Reply, ...] = ()
        if parent is not None and parent.reachable and parent.telegram_id > 0:
            replies = (
                Reply(
                    (say("request.answer_to_parent", number=row.id), Raw(text)),
                    chat_id=parent.telegram_id,
                    language=parent.language,
                ),
            )
        return ActionResult(note=say("requests.answered"), replies=replies)

    def accept(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        row = self._request(ctx, data)
        if row is None:
            return ActionResult(error=say("access.denied"), goto="end")
        pupil = schools.add_pupil(
            ctx.services.session,
            row.school_id,
            row.child_name,
            row.child_class,
            ctx.services.user_id,
        )
        row.status, row.pupil_id = "accepted", pupil.id
        replies: tuple[Reply, ...] = ()
        if row.user_id is not None:
            schools.add_membership(
                ctx.services.session, row.user_id, row.school_id, Role.PARENT.value
            )
            schools.link_parent(ctx.services.session, row.user_id, pupil.id)
            parent = ctx.services.session.get(User, row.user_id)
            if parent is not None and parent.reachable and parent.telegram_id > 0:
                replies = (
                    Reply(
                        (say("request.accepted_to_parent", number=row.id),),
                        chat_id=parent.telegram_id,
                        language=parent.language,
                    ),
                )
        ctx.services.audit("request.accept", "request", row.id, row.school_id, pupil=pupil.id)
        data["pupil"] = f"p{pupil.id}"
        return ActionResult(replies=replies)

    def plan_from(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        pupil = str(data.get("pupil", ""))
        return ActionResult(goto="dialog:plan_wizard#semester", carry={"pupil": pupil})


def open_request_button(ctx: Ctx, arg: str) -> ActionResult:
    """The button in a coordinator's notification: open that request."""
    if not arg.isdigit():
        return ActionResult(error=say("error.unknown_button"))
    return ActionResult(goto="dialog:requests#card", carry={"request": f"q{arg}"})
