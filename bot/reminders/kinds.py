"""Kinds of reminder a person can turn off, and which rules belong to each. Pure."""

from __future__ import annotations

DIGEST = "digest"
RULE_KIND = {
    "draft_stale": "draft",
    "approval_waiting": "approval",
    "review_in_7": "review",
    "review_in_1": "review",
    "review_overdue": "review",
    "evaluation_due": "evaluation",
    "no_delivery": "delivery",
    "ack_pending": "ack",
    DIGEST: DIGEST,
}
AUTHOR_KINDS = ("draft", "review", "evaluation", "delivery")
LEADER_KINDS = ("draft", "approval", "review", "evaluation", "delivery", DIGEST)
PARENT_KINDS = ("ack",)
LEADERS = frozenset({"head", "coordinator"})
AUTHORS = frozenset({"teacher", "specialist"})


def kind_of(rule: str) -> str:
    return RULE_KIND.get(rule, rule)


def kinds_for(roles: frozenset[str]) -> tuple[str, ...]:
    """The kinds this person can receive, in a stable order, given their roles."""
    wanted: set[str] = set()
    if roles & LEADERS:
        wanted.update(LEADER_KINDS)
    if roles & AUTHORS:
        wanted.update(AUTHOR_KINDS)
    if "parent" in roles:
        wanted.update(PARENT_KINDS)
    order = (*LEADER_KINDS, *PARENT_KINDS)
    return tuple(k for k in order if k in wanted)


def parse_off(raw: str) -> frozenset[str]:
    return frozenset(k for k in raw.split(",") if k in RULE_KIND.values())


def format_off(kinds: frozenset[str]) -> str:
    return ",".join(sorted(kinds))
