"""Tests of the fake Telegram server itself, over real HTTP."""

from __future__ import annotations

import asyncio
import html
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from . import FakeTelegram, Fault, make_message, parse_html

TOKEN = "123:ABC"
USER = 1001


def ok(response: httpx.Response) -> Any:
    body = response.json()
    assert response.status_code == 200 and body["ok"] is True, body
    return body["result"]


def error(response: httpx.Response, code: int) -> str:
    body = response.json()
    assert response.status_code == code and body["ok"] is False, body
    assert body["error_code"] == code
    return str(body["description"])


def keyboard(*data: str) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": d, "callback_data": d} for d in data]]}


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as fake:
        yield fake


@pytest.fixture
def api(tg: FakeTelegram) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=tg.api_url, timeout=10) as client:
        yield client


# ----------------------------------------------------------------------------- basics


def test_get_me_token_and_unknown_method(tg: FakeTelegram, api: httpx.Client) -> None:
    assert tg.base_url.startswith("http://127.0.0.1:")
    me = ok(api.get("/getMe"))
    assert me["username"] == "pumpurs_test_bot" and me["is_bot"] is True
    assert ok(api.post("/GETME"))["id"] == 123  # method names are case-insensitive
    wrong = httpx.get(f"{tg.base_url}/bot999:XYZ/getMe")
    assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert error(api.post("/sendTelepathy"), 404) == "Not Found"
    assert [c.status for c in tg.calls()] == [200, 200, 401, 404]


def test_custom_bot_username() -> None:
    with FakeTelegram(token="42:x", bot_username="other_bot") as tg:
        assert ok(httpx.get(f"{tg.api_url}/getMe"))["username"] == "other_bot"


# ----------------------------------------------------------------------------- getUpdates


def test_get_updates_offset_semantics(tg: FakeTelegram, api: httpx.Client) -> None:
    for text in ("one", "two", "three"):
        tg.send_text(USER, text)
    updates = ok(api.post("/getUpdates"))
    assert [u["update_id"] for u in updates] == [1, 2, 3]
    assert [u["update_id"] for u in ok(api.post("/getUpdates", json={"limit": 2}))] == [1, 2]
    # Without an offset nothing is confirmed.
    assert len(ok(api.post("/getUpdates"))) == 3
    # offset=2 confirms update 1 for good.
    assert [u["update_id"] for u in ok(api.post("/getUpdates", data={"offset": "2"}))] == [2, 3]
    assert [u["update_id"] for u in ok(api.post("/getUpdates"))] == [2, 3]
    assert ok(api.post("/getUpdates", json={"offset": 4})) == []
    assert tg.pending_updates == []
    tg.push_update({"message": make_message("four")})
    assert [u["update_id"] for u in ok(api.get("/getUpdates", params={"offset": 4}))] == [4]


def test_negative_offset_and_configurable_start() -> None:
    with FakeTelegram(token=TOKEN, first_update_id=500) as tg, httpx.Client() as client:
        for i in range(4):
            tg.send_text(USER, f"m{i}")
        got = ok(client.post(f"{tg.api_url}/getUpdates", json={"offset": -2}))
        assert [u["update_id"] for u in got] == [502, 503]
        assert [u["update_id"] for u in tg.pending_updates] == [502, 503]


def test_long_poll_returns_early_on_push_from_other_thread(
    tg: FakeTelegram, api: httpx.Client
) -> None:
    timer = threading.Timer(0.3, tg.send_text, args=(USER, "wake up"))
    started = time.monotonic()
    timer.start()
    updates = ok(api.post("/getUpdates", json={"offset": 0, "timeout": 5}))
    elapsed = time.monotonic() - started
    timer.join()
    assert [u["message"]["text"] for u in updates] == ["wake up"]
    assert 0.25 <= elapsed < 2


def test_long_poll_times_out_empty(api: httpx.Client) -> None:
    started = time.monotonic()
    assert ok(api.post("/getUpdates", json={"timeout": 1})) == []
    assert 0.9 <= time.monotonic() - started < 2


def test_second_poller_terminates_first(tg: FakeTelegram, api: httpx.Client) -> None:
    first: list[httpx.Response] = []
    poll = threading.Thread(
        target=lambda: first.append(
            httpx.post(f"{tg.api_url}/getUpdates", json={"timeout": 5}, timeout=10)
        )
    )
    poll.start()
    time.sleep(0.2)  # let the first poll start waiting
    assert ok(api.post("/getUpdates")) == []
    poll.join()
    assert "terminated by other getUpdates request" in error(first[0], 409)


def test_webhook_blocks_polling(tg: FakeTelegram, api: httpx.Client) -> None:
    assert "HTTPS URL" in error(api.post("/setWebhook", json={"url": "http://x"}), 400)
    assert ok(api.post("/setWebhook", json={"url": "https://bot.example/hook"}))
    assert ok(api.get("/getWebhookInfo"))["url"] == "https://bot.example/hook"
    assert "webhook is active" in error(api.post("/getUpdates"), 409)
    tg.send_text(USER, "pending")
    assert ok(api.post("/deleteWebhook", json={"drop_pending_updates": True})) is True
    assert ok(api.post("/getUpdates")) == []
    assert ok(api.post("/close")) is True and ok(api.post("/logOut")) is True


@pytest.mark.asyncio
async def test_async_usage_long_poll_and_wait() -> None:
    async with FakeTelegram(token=TOKEN) as tg, httpx.AsyncClient(base_url=tg.api_url) as api:
        loop = asyncio.get_running_loop()
        loop.call_later(0.2, tg.send_text, USER, "/start")
        started = loop.time()
        response = await api.post("/getUpdates", json={"timeout": 5})
        updates = ok(response)
        assert loop.time() - started < 2
        message = updates[0]["message"]
        assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]

        async def reply_later() -> None:
            await asyncio.sleep(0.1)
            await api.post("/sendMessage", json={"chat_id": USER, "text": "Sveiki!"})

        task = asyncio.create_task(reply_later())
        sent = await tg.wait_for_messages_async(USER, 1, timeout=3)
        await task
        assert sent[0]["text"] == "Sveiki!"
        with pytest.raises(RuntimeError, match="wait_for_async"):
            tg.wait_for_messages(USER, 1, timeout=0.1)
        with pytest.raises(AssertionError, match="Sveiki"):
            await tg.wait_for_messages_async(USER, 2, timeout=0.2)


# ----------------------------------------------------------------------------- messages


def test_send_edit_delete_and_record(tg: FakeTelegram, api: httpx.Client) -> None:
    tg.send_text(USER, "hi")  # the user's message takes message_id 1 in the chat
    # Form-encoded like python-telegram-bot: nested objects arrive as JSON strings.
    sent = ok(
        api.post(
            "/sendMessage",
            data={
                "chat_id": str(USER),
                "text": "Menu",
                "reply_markup": json.dumps(keyboard("a", "b")),
            },
        )
    )
    assert sent["message_id"] == 2 and sent["chat"] == {
        "id": USER,
        "type": "private",
        "first_name": "Test",
    }
    assert sent["from"]["username"] == "pumpurs_test_bot" and sent["text"] == "Menu"
    assert sent["reply_markup"] == keyboard("a", "b")
    second = ok(api.post("/sendMessage", json={"chat_id": 77, "text": "other chat"}))
    assert second["message_id"] == 1 and second["chat"] == {"id": 77, "type": "private"}

    edit = {"chat_id": USER, "message_id": 2, "text": "Menu v2", "reply_markup": keyboard("a")}
    assert ok(api.post("/editMessageText", json=edit))["text"] == "Menu v2"
    assert "message is not modified" in error(api.post("/editMessageText", json=edit), 400)
    missing = {**edit, "message_id": 99}
    assert (
        error(api.post("/editMessageText", json=missing), 400)
        == "Bad Request: message to edit not found"
    )
    assert ok(
        api.post(
            "/editMessageReplyMarkup",
            json={"chat_id": USER, "message_id": 2, "reply_markup": keyboard("z")},
        )
    )["reply_markup"] == keyboard("z")

    mine = tg.sent_messages(USER)
    assert [m["text"] for m in mine] == ["Menu v2"] and "edit_date" in mine[0]
    assert [m["text"] for m in tg.sent_messages()] == ["Menu v2", "other chat"]
    call = tg.calls("sendMessage")[0]
    assert call.chat_id == USER and call.params["reply_markup"] == keyboard("a", "b")
    assert call.response is not None and call.response["result"]["text"] == "Menu"

    assert ok(api.post("/deleteMessage", json={"chat_id": USER, "message_id": 2})) is True
    assert tg.is_deleted(USER, 2) and tg.sent_messages(USER, include_deleted=False) == []
    assert "not found" in error(api.post("/editMessageText", json={**edit, "text": "x"}), 400)
    assert "to delete not found" in error(
        api.post("/deleteMessage", json={"chat_id": USER, "message_id": 2}), 400
    )


def test_text_limits(api: httpx.Client) -> None:
    assert ok(api.post("/sendMessage", json={"chat_id": USER, "text": "x" * 4096}))
    assert (
        error(api.post("/sendMessage", json={"chat_id": USER, "text": "x" * 4097}), 400)
        == "Bad Request: message is too long"
    )
    assert (
        error(api.post("/sendMessage", json={"chat_id": USER, "text": ""}), 400)
        == "Bad Request: message text is empty"
    )
    assert (
        error(api.post("/sendMessage", json={"text": "hi"}), 400) == "Bad Request: chat_id is empty"
    )


def test_callback_data_limit_is_64_bytes(tg: FakeTelegram, api: httpx.Client) -> None:
    fits = {"inline_keyboard": [[{"text": "ok", "callback_data": "x" * 64}]]}
    assert ok(api.post("/sendMessage", json={"chat_id": USER, "text": "a", "reply_markup": fits}))
    # 33 Latvian letters: 33 characters but 66 bytes in UTF-8.
    for data in ("x" * 65, "ā" * 33):
        markup = {
            "inline_keyboard": [
                [{"text": "ok", "callback_data": "y"}],
                [{"text": "long", "callback_data": data}],
            ]
        }
        body = {"chat_id": USER, "text": "a", "reply_markup": markup}
        assert error(api.post("/sendMessage", json=body), 400) == "Bad Request: BUTTON_DATA_INVALID"
        edit = {"chat_id": USER, "message_id": 1, "reply_markup": markup}
        assert "BUTTON_DATA_INVALID" in error(api.post("/editMessageReplyMarkup", json=edit), 400)
    assert len(tg.sent_messages()) == 1


def test_upload_document_and_photo(tg: FakeTelegram, api: httpx.Client) -> None:
    doc = ok(
        api.post(
            "/sendDocument",
            data={"chat_id": str(USER), "caption": "<b>Plan</b>", "parse_mode": "HTML"},
            files={"document": ("plan.pdf", b"%PDF-1.4 data", "application/pdf")},
        )
    )
    assert doc["document"]["file_name"] == "plan.pdf"
    assert doc["document"]["mime_type"] == "application/pdf"
    assert doc["caption"] == "Plan" and doc["caption_entities"][0]["type"] == "bold"
    assert tg.file_content(doc["document"]["file_id"]) == b"%PDF-1.4 data"
    upload = tg.calls("sendDocument")[0].files["document"]
    assert (upload.filename, upload.data) == ("plan.pdf", b"%PDF-1.4 data")
    # aiogram style: the part is referenced through attach://
    photo = ok(
        api.post(
            "/sendPhoto",
            data={"chat_id": str(USER), "photo": "attach://p1"},
            files={"p1": ("pic.jpg", b"\xff\xd8jpeg", "image/jpeg")},
        )
    )
    assert len(photo["photo"]) == 2 and tg.file_content(photo["photo"][-1]["file_id"])
    # Re-sending by file_id works; an unknown id does not.
    again = {"chat_id": USER, "document": doc["document"]["file_id"]}
    assert ok(api.post("/sendDocument", json=again))["document"] == doc["document"]
    bogus = {"chat_id": USER, "document": "nope"}
    assert "wrong file identifier" in error(api.post("/sendDocument", json=bogus), 400)
    assert [m["message_id"] for m in tg.sent_messages(USER)] == [1, 2, 3]


def test_chat_action_and_commands(tg: FakeTelegram, api: httpx.Client) -> None:
    assert ok(api.post("/sendChatAction", json={"chat_id": USER, "action": "typing"}))
    assert "action" in error(
        api.post("/sendChatAction", json={"chat_id": USER, "action": "dancing"}), 400
    )
    cmds = [{"command": "start", "description": "Sākt"}]
    assert ok(
        api.post("/setMyCommands", data={"commands": json.dumps(cmds), "language_code": "lv"})
    )
    assert ok(api.post("/getMyCommands", json={"language_code": "lv"})) == cmds
    assert ok(api.post("/getMyCommands")) == [] and tg.commands("lv") == cmds
    bad = [{"command": "Start!", "description": "x"}]
    assert "BOT_COMMAND_INVALID" in error(api.post("/setMyCommands", json={"commands": bad}), 400)
    assert ok(api.post("/deleteMyCommands", json={"language_code": "lv"}))
    assert tg.commands("lv") == []


# ----------------------------------------------------------------------------- HTML


@pytest.mark.parametrize(
    ("source", "plain", "entities"),
    [
        (
            "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>t</strike>"
            "<del>d</del>",
            "bsieunstd",
            [
                "bold",
                "bold",
                "italic",
                "italic",
                "underline",
                "underline",
                "strikethrough",
                "strikethrough",
                "strikethrough",
            ],
        ),
        (
            '<tg-spoiler>x</tg-spoiler><span class="tg-spoiler">y</span>',
            "xy",
            ["spoiler", "spoiler"],
        ),
        ('<a href="https://e.lv/?a=1&amp;b=2">link</a>', "link", ["text_link"]),
        (
            '<pre><code class="language-python">x = 1</code></pre> <code>c</code>',
            "x = 1 c",
            ["pre", "code"],
        ),
        (
            "<blockquote expandable>q</blockquote><blockquote>r</blockquote>",
            "qr",
            ["expandable_blockquote", "blockquote"],
        ),
        ("5 &gt; 3 &amp;&amp; 2 &lt; 4 &quot;q&quot; &#228;", '5 > 3 && 2 < 4 "q" ä', []),
        ("AT&T &copy; 3 > 2", "AT&T &copy; 3 > 2", []),  # Telegram keeps a bare & and >
        ("<B>caps</B>", "caps", ["bold"]),
    ],
)
def test_html_accepted(source: str, plain: str, entities: list[str]) -> None:
    text, found = parse_html(source)
    assert text == plain
    assert [e["type"] for e in found] == entities


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("ā<div>x</div>", 'Unsupported start tag "div" at byte offset 2'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<a href="x>y</a>', "Unclosed end of attribute value"),
    ],
)
def test_html_rejected_over_http(api: httpx.Client, source: str, message: str) -> None:
    body = {"chat_id": USER, "text": source, "parse_mode": "HTML"}
    description = error(api.post("/sendMessage", json=body), 400)
    assert description.startswith("Bad Request: can't parse entities: ")
    assert message in description


def test_html_catches_unescaped_user_text(api: httpx.Client) -> None:
    name = "<Jānis & Co>"
    raw = {"chat_id": USER, "text": f"Sveiki, <b>{name}</b>!", "parse_mode": "HTML"}
    assert "can't parse entities" in error(api.post("/sendMessage", json=raw), 400)
    safe = {**raw, "text": f"Sveiki, <b>{html.escape(name)}</b>! 😀 <i>x</i>"}
    sent = ok(api.post("/sendMessage", json=safe))
    assert sent["text"] == "Sveiki, <Jānis & Co>! 😀 x"
    # Offsets count UTF-16 units: the emoji takes two.
    assert sent["entities"] == [
        {"type": "bold", "offset": 8, "length": 12},
        {"type": "italic", "offset": 25, "length": 1},
    ]


# ----------------------------------------------------------------------------- faults


def send(api: httpx.Client, chat_id: int = USER, text: str = "hi") -> httpx.Response:
    return api.post("/sendMessage", json={"chat_id": chat_id, "text": text})


def test_each_fault_kind(tg: FakeTelegram, api: httpx.Client) -> None:
    tg.inject(
        "sendMessage",
        Fault.retry_after(7),
        Fault.server_error(502),
        Fault.forbidden(),
        Fault.drop(),
        Fault.delay(0.3),
    )
    response = send(api)
    assert response.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    assert error(send(api), 502) == "Bad Gateway"
    assert error(send(api), 403) == "Forbidden: bot was blocked by the user"
    with pytest.raises(httpx.RemoteProtocolError):
        send(api)
    started = time.monotonic()
    assert ok(send(api, text="late"))["text"] == "late"
    assert time.monotonic() - started >= 0.3
    assert ok(send(api, text="normal"))  # queue exhausted
    kinds = [c.fault.kind if c.fault else None for c in tg.calls("sendMessage")]
    assert kinds == ["retry_after", "server_error", "forbidden", "drop", "delay", None]
    assert [c.status for c in tg.calls("sendMessage")] == [429, 502, 403, 0, 200, 200]
    assert [m["text"] for m in tg.sent_messages()] == ["late", "normal"]
    assert tg.http_429 == 1


def test_faults_for_chat_and_blocked_user(tg: FakeTelegram, api: httpx.Client) -> None:
    tg.inject_for_chat(5, Fault.server_error(), times=2)
    assert ok(send(api, 6))  # other chats are unaffected
    assert error(send(api, 5), 500) == "Internal Server Error"
    assert error(api.post("/sendChatAction", json={"chat_id": 5, "action": "typing"}), 500)
    assert ok(send(api, 5))
    tg.block_user(6)
    for _ in range(3):
        assert error(send(api, 6), 403) == "Forbidden: bot was blocked by the user"
    tg.unblock_user(6)
    assert ok(send(api, 6))
    assert [m["chat"]["id"] for m in tg.sent_messages()] == [6, 5, 6]


def test_rate_limits_count_429() -> None:
    with (
        FakeTelegram(token=TOKEN, global_rate=3, per_chat_rate=1) as tg,
        httpx.Client(base_url=tg.api_url) as api,
    ):
        assert ok(send(api, 1)) and ok(send(api, 2))
        assert error(send(api, 1), 429) == "Too Many Requests: retry after 1"
        assert ok(send(api, 3))
        assert send(api, 4).json()["parameters"] == {"retry_after": 1}  # global 3/s reached
        assert tg.http_429 == 2 and len(tg.sent_messages()) == 3
        time.sleep(1.05)  # sliding window frees up
        assert ok(send(api, 1))


def test_rate_limits_off_by_default(tg: FakeTelegram, api: httpx.Client) -> None:
    for i in range(40):
        assert send(api, 1, f"m{i}").status_code == 200
    assert tg.http_429 == 0


# ----------------------------------------------------------------------------- updates


def test_press_button_update_shape(tg: FakeTelegram, api: httpx.Client) -> None:
    sent = ok(
        api.post(
            "/sendMessage",
            json={"chat_id": USER, "text": "Pick", "reply_markup": keyboard("lv", "ru")},
        )
    )
    ok(
        api.post(
            "/editMessageText",
            json={
                "chat_id": USER,
                "message_id": sent["message_id"],
                "text": "Pick again",
                "reply_markup": keyboard("lv"),
            },
        )
    )
    update = tg.press_button(USER, tg.sent_messages(USER)[0], "lv", first_name="Anna")
    query = update["callback_query"]
    assert set(query) == {"id", "from", "message", "chat_instance", "data"}
    assert query["data"] == "lv" and query["from"]["id"] == USER
    assert query["from"]["first_name"] == "Anna" and query["from"]["is_bot"] is False
    assert query["message"]["text"] == "Pick again"  # the message as it is now
    assert query["message"]["from"]["is_bot"] is True
    assert ok(api.post("/getUpdates"))[0]["callback_query"]["id"] == query["id"]
    answer = {"callback_query_id": query["id"], "text": "Done"}
    assert ok(api.post("/answerCallbackQuery", json=answer)) is True
    assert "query is too old" in error(api.post("/answerCallbackQuery", json=answer), 400)
    with pytest.raises(AssertionError, match="no such button"):
        tg.press_button(USER, sent["message_id"], "ru")  # removed by the edit
    assert tg.press_button(USER, sent["message_id"], "ru", strict=False)


def test_update_helpers_and_factories(tg: FakeTelegram, api: httpx.Client) -> None:
    start = tg.send_text(USER, "/start@pumpurs_test_bot payload", language_code="ru")
    assert start["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 23}]
    assert start["message"]["from"]["language_code"] == "ru"
    assert "entities" not in make_message("/ not a command")
    assert tg.send_sticker(USER)["message"]["sticker"]["emoji"]
    assert tg.send_photo(USER, caption="c")["message"]["photo"][-1]["width"] > 0
    assert tg.send_voice(USER)["message"]["voice"]["duration"] == 3
    doc = tg.send_document(USER, file_name="x.docx")["message"]
    assert doc["document"]["file_name"] == "x.docx"
    assert tg.edit_text(USER, 1, "fixed")["edited_message"]["text"] == "fixed"
    group = tg.group_text(USER, -100500, "hello", chat_type="supergroup")["message"]
    assert group["chat"]["type"] == "supergroup" and group["chat"]["title"] == "Test Group"
    post = tg.channel_post(-100600, "news")["channel_post"]
    assert "from" not in post and post["sender_chat"]["type"] == "channel"
    updates = ok(api.post("/getUpdates"))
    assert [u["update_id"] for u in updates] == list(range(1, 9))
    assert [u["message"]["message_id"] for u in updates if "message" in u][:5] == [1, 2, 3, 4, 5]
    # The bot may resend a file a user sent, and reply to their message.
    resend = {"chat_id": USER, "document": doc["document"]["file_id"], "reply_to_message_id": 5}
    assert ok(api.post("/sendDocument", json=resend))["reply_to_message"]["message_id"] == 5
    assert ok(send(api, -100500))["chat"]["type"] == "supergroup"


def test_wait_for_messages_sync(tg: FakeTelegram, api: httpx.Client) -> None:
    def bot() -> None:
        time.sleep(0.2)
        for text in ("one", "two"):
            send(api, USER, text)

    worker = threading.Thread(target=bot)
    worker.start()
    assert [m["text"] for m in tg.wait_for_messages(USER, 2, timeout=5)] == ["one", "two"]
    worker.join()
    last = tg.wait_for(lambda: tg.calls("sendMessage")[-1], timeout=1)
    assert last.params["text"] == "two"
    with pytest.raises(AssertionError) as caught:
        tg.wait_for_messages(USER, 3, timeout=0.2)
    report = str(caught.value)
    assert "3 message(s) to chat 1001" in report and "'two'" in report


def test_cli_runs_in_foreground() -> None:
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "tests.fake_telegram", "--port", "0", "--token", "9:T"]
    with subprocess.Popen(
        command, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout is not None and proc.stdin is not None
            base = proc.stdout.readline().split()[3]
            assert base.startswith("http://127.0.0.1:")
            assert ok(httpx.get(f"{base}/bot9:T/getMe"))["username"] == "pumpurs_test_bot"
            proc.stdin.write("labdien\n")
            proc.stdin.flush()
            updates = ok(httpx.post(f"{base}/bot9:T/getUpdates", json={"timeout": 5}, timeout=10))
            assert updates[0]["message"]["text"] == "labdien"
        finally:
            proc.terminate()


def test_webhook_delivery_carries_the_secret(tg: FakeTelegram, api: httpx.Client) -> None:
    import http.server

    received: list[tuple[str, str | None, dict[str, Any]]] = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((self.path, self.headers.get("X-Telegram-Bot-Api-Secret-Token"), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    target = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        bad = {"url": "https://bot.example/hook", "secret_token": "no spaces"}
        assert "unallowed characters" in error(api.post("/setWebhook", json=bad), 400)
        hook = {"url": "https://bot.example/hook", "secret_token": "s_1", "allowed_updates": []}
        assert ok(api.post("/setWebhook", json=hook)) is True
        assert "secret_token" not in ok(api.get("/getWebhookInfo"))  # Telegram never shows it
        assert tg.webhook["secret_token"] == "s_1"
        tg.route_webhook(target, target, fan_out=True)
        update = tg.send_text(USER, "hello")
        assert [(p, s, b["update_id"]) for p, s, b in received] == [
            ("/hook", "s_1", update["update_id"])
        ] * 2
        assert tg.pending_updates == []  # delivered, not queued for getUpdates
    finally:
        server.shutdown()
        server.server_close()
