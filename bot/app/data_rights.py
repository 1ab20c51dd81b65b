"""The person's data rights in chat: /mydata sends their data as JSON, /forget erases it."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from bot.core.context import Ctx
from bot.core.registry import ActionResult, Command, Registry
from bot.core.replies import Reply, say
from bot.exports.private import private_file, private_folder
from bot.storage.repos import personal_data

EXPORTS = Path(tempfile.gettempdir()) / "pumpurs-exports"


class DataRights:
    def __init__(self, exports: Path = EXPORTS) -> None:
        self.exports = exports

    def register(self, registry: Registry) -> None:
        registry.commands["mydata"] = Command("mydata", handler=self.my_data)
        registry.commands["forget"] = Command("forget", target="dialog:forget")
        registry.actions["forget_me"] = self.forget

    def my_data(self, ctx: Ctx, args: str) -> ActionResult:
        services = ctx.services
        data = personal_data.gather(services.session, services.user_id)
        stamp = ctx.now.strftime("%Y%m%d%H%M%S")
        path = private_folder(self.exports) / f"mydata-{services.user_id}-{stamp}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        private_file(path)
        services.audit("data.export", "user", services.user_id)
        services.flags.add("cleanup_document")  # the file is removed once Telegram has it
        reply = Reply((say("mydata.sent"),), document=str(path), protect=True)
        return ActionResult(replies=(reply,), goto="stop")

    def forget(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        services = ctx.services
        services.audit("user.erase", "user", services.user_id)
        personal_data.erase(services.session, services.user_id)
        services.flags.add("erased")
        return ActionResult(replies=(Reply((say("forget.done"),)),))
