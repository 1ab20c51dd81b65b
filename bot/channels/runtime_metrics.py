"""The figures a running bot reports on /metrics, read from its worker, sender and receiver."""

from __future__ import annotations

from bot.channels.inbox_worker import InboxWorker
from bot.channels.metrics import ErrorCount, Sample
from bot.channels.sender import Sender


def runtime_samples(
    worker: InboxWorker,
    sender: Sender,
    errors: ErrorCount,
    received: int,
    refused: int | None = None,
) -> list[Sample]:
    """`received` counts updates stored from either receiver; `refused` exists in webhook mode."""
    counters = [
        ("updates_received", "Updates received from Telegram (polled or posted)", received),
        ("updates_handled", "Updates processed", worker.processed),
        ("update_errors", "Updates that failed", worker.failed),
        ("messages_sent", "Bot API calls Telegram accepted", sender.sent),
        ("send_errors", "Bot API calls given up", sender.failed),
        ("chats_unreachable", "Chats found blocked (403)", sender.unreachable),
        ("errors", "Errors logged", errors.count),
    ]
    if refused is not None:
        wrong = "Webhook requests without the right secret"
        counters.append(("webhook_refused", wrong, refused))
    samples = [Sample(f"pumpurs_{name}_total", "counter", text, n) for name, text, n in counters]
    samples.append(
        Sample("pumpurs_send_latency_seconds", "histogram", "Bot API call latency", sender.latency)
    )
    return samples
