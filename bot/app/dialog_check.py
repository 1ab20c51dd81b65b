"""`dialogs check`: flows parse, targets exist, steps are reachable, names and texts resolve."""

from __future__ import annotations

from pathlib import Path

from bot.core.flows import Flow, Step
from bot.core.flows_loader import Problem, check_references, parse_all, text_keys
from bot.core.registry import Registry
from bot.i18n import LANGUAGES, translator


def check_dialogs(root: Path, registry: Registry) -> list[Problem]:
    flows, problems = parse_all(root)
    problems += check_references(flows)
    problems += _named_pieces(flows, registry)
    for key, (path, line) in sorted(text_keys(flows).items()):
        for lang in LANGUAGES:
            if not translator(lang).has(key):
                problems.append(Problem(path, line, f"text key {key!r} is not translated ({lang})"))
    return problems


def _named_pieces(flows: dict[str, Flow], registry: Registry) -> list[Problem]:
    problems = []
    for flow in flows.values():
        for step in flow.steps.values():
            for kind, name, known in _names(step, registry):
                if name not in known:
                    problems.append(Problem(flow.path, step.line, f"unknown {kind} {name!r}"))
    return problems


def _names(step: Step, registry: Registry) -> list[tuple[str, str, set[str]]]:
    actions, conditions = set(registry.actions), set(registry.conditions)
    out = []
    for t in (step.next, step.yes, step.no, *(o.next for o in step.options)):
        if t is not None and t.action:
            out.append(("action", t.action, actions))
    if step.on_enter:
        out.append(("action", step.on_enter, actions))
    if step.skip_if:
        out.append(("condition", step.skip_if, conditions))
    out += [("condition", o.show_if, conditions) for o in step.options if o.show_if]
    if step.options_from:
        out.append(("option provider", step.options_from, set(registry.providers)))
    return out


def mermaid(flow: Flow) -> str:
    """The flow as a Mermaid state diagram."""
    lines = ["stateDiagram-v2", f"    [*] --> {flow.start}"]
    for step in flow.steps.values():
        edges = [("", step.next), ("yes", step.yes), ("no", step.no)]
        edges += [(o.id, o.next) for o in step.options]
        for label, t in edges:
            if t is None:
                continue
            target = "[*]" if t.target == "end" else t.target.replace("dialog:", "dialog_")
            text = " / ".join(x for x in (label, t.action or "") if x)
            lines.append(f"    {step.name} --> {target}" + (f" : {text}" if text else ""))
    return "\n".join(lines)
