"""Reads and validates `dialogs/*.yaml`; every problem names the file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core import yaml_lines
from bot.core.flows import DIALOG_PREFIX, END, STOP, Flow, InputKind, Option, Step, Transition

MAX_OPTION_ID = 24  # keeps callback data far below Telegram's 64 bytes


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class FlowError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def load_flows(root: Path) -> dict[str, Flow]:
    """Load every flow or raise FlowError listing all problems."""
    flows, problems = parse_all(root)
    problems += check_references(flows)
    if problems:
        raise FlowError(problems)
    return flows


def parse_all(root: Path) -> tuple[dict[str, Flow], list[Problem]]:
    flows: dict[str, Flow] = {}
    problems: list[Problem] = []
    for path in sorted(root.glob("*.yaml")):
        try:
            doc = yaml_lines.load(path)
        except yaml_lines.YamlError as exc:
            problems.append(Problem(str(path), exc.line, exc.message))
            continue
        parser = _Parser(path)
        flow = parser.flow(doc)
        problems += parser.problems
        if flow is not None:
            if flow.name in flows:
                problems.append(Problem(str(path), 1, f"dialog {flow.name!r} is defined twice"))
            flows[flow.name] = flow
    return flows, problems


class _Parser:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def bad(self, line: int, message: str) -> None:
        self.problems.append(Problem(str(self.path), line, message))

    def flow(self, doc: Any) -> Flow | None:
        if not isinstance(doc, dict):
            self.bad(1, "a dialog file must be a mapping with name, start and steps")
            return None
        name, start, steps = doc.get("name"), doc.get("start"), doc.get("steps")
        if not isinstance(name, str) or not isinstance(start, str) or not isinstance(steps, dict):
            self.bad(yaml_lines.line_of(doc), "name, start and steps are required")
            return None
        parsed = {}
        for step_name, body in steps.items():
            if step_name == yaml_lines.LINE:
                continue
            step = self.step(str(step_name), body)
            if step is not None:
                parsed[step.name] = step
        progress = doc.get("progress") or []
        return Flow(name, start, parsed, str(self.path), doc.get("title"), tuple(progress))

    def step(self, name: str, body: Any) -> Step | None:
        line = yaml_lines.line_of(body)
        if not isinstance(body, dict):
            self.bad(line, f"step {name!r} must be a mapping")
            return None
        try:
            kind = InputKind(body.get("input", "message"))
        except ValueError:
            self.bad(line, f"step {name!r}: unknown input {body.get('input')!r}")
            return None
        prompt = body.get("prompt")
        if not isinstance(prompt, str):
            self.bad(line, f"step {name!r}: prompt (a text key) is required")
            return None
        options = tuple(self.option(name, o) for o in body.get("options") or [])
        step = Step(
            name=name,
            prompt=prompt,
            input=kind,
            line=line,
            params={
                str(k): str(v)
                for k, v in (body.get("params") or {}).items()
                if k != yaml_lines.LINE
            },
            save=body.get("save"),
            next=self.transition(body.get("next")),
            options=tuple(o for o in options if o is not None),
            options_from=body.get("options_from"),
            # YAML 1.1 reads bare `yes:`/`no:` keys as booleans; accept both spellings.
            yes=self.transition(body.get("yes", body.get(True))),
            no=self.transition(body.get("no", body.get(False))),
            min=body.get("min"),
            max=body.get("max"),
            min_length=int(body.get("min_length", 1)),
            max_length=int(body.get("max_length", 1000)),
            min_days=body.get("min_days"),
            max_days=body.get("max_days"),
            help=body.get("help"),
            skip_if=body.get("skip_if"),
            back=bool(body.get("back", True)),
            cancel=bool(body.get("cancel", True)),
            may_go=tuple(str(t) for t in body.get("may_go") or ()),
            on_enter=body.get("on_enter"),
            protect=bool(body.get("protect", False)),
            keep_text=body.get("keep_text"),
            kept_note=body.get("kept_note"),
            latest_from=body.get("latest_from"),
            suggest_from=body.get("suggest_from"),
        )
        self.step_rules(step)
        return step

    def step_rules(self, step: Step) -> None:
        def need(cond: bool, message: str) -> None:
            if not cond:
                self.bad(step.line, f"step {step.name!r}: {message}")

        if step.input in (InputKind.CHOICE, InputKind.MULTI):
            need(bool(step.options) or bool(step.options_from), "needs options or options_from")
        if step.input == InputKind.YES_NO:
            need(step.yes is not None and step.no is not None, "yes_no needs yes and no")
        if step.input in (InputKind.TEXT, InputKind.NUMBER, InputKind.DATE, InputKind.MULTI):
            need(step.save is not None, f"{step.input.value} input needs save")
            need(step.next is not None, f"{step.input.value} input needs next")
        if step.input == InputKind.MESSAGE:
            need(step.next is not None, "message needs next")
        if step.input == InputKind.CHOICE and not step.options_from:
            need(
                step.next is not None or all(o.next for o in step.options),
                "each option needs next, or the step needs next",
            )
        need(step.min_length <= step.max_length, "min_length is above max_length")
        if step.latest_from is not None or step.suggest_from is not None:
            need(step.input == InputKind.DATE, "latest_from and suggest_from are for date steps")
        if step.keep_text is not None or step.kept_note is not None:
            need(step.input == InputKind.CHOICE, "keep_text is for choice steps")
            need(
                isinstance(step.keep_text, str) and isinstance(step.kept_note, str),
                "keep_text (a name) and kept_note (a text key) go together",
            )

    def option(self, step: str, body: Any) -> Option | None:
        line = yaml_lines.line_of(body)
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            self.bad(line, f"step {step!r}: each option needs an id and a label")
            return None
        oid = body["id"]
        if len(oid.encode()) > MAX_OPTION_ID or not oid.replace("-", "").replace("_", "").isalnum():
            self.bad(line, f"option id {oid!r} must be short ASCII letters, digits, - or _")
        return Option(
            oid, str(body.get("label", "")), self.transition(body.get("next")), body.get("show_if")
        )

    def transition(self, raw: Any) -> Transition | None:
        if raw is None:
            return None
        if isinstance(raw, str):
            return Transition(raw)
        if isinstance(raw, dict) and isinstance(raw.get("to", END), str):
            return Transition(str(raw.get("to", END)), raw.get("action"))
        self.bad(yaml_lines.line_of(raw), f"bad transition {raw!r}")
        return None


def check_references(flows: dict[str, Flow]) -> list[Problem]:
    """Every target exists and every step can be reached from the start."""
    problems = []
    for flow in flows.values():
        if flow.start not in flow.steps:
            problems.append(Problem(flow.path, 1, f"start step {flow.start!r} does not exist"))
        for step in flow.steps.values():
            for target in _targets(step):
                if target in (END, STOP) or target in flow.steps:
                    continue
                if target.startswith(DIALOG_PREFIX):
                    name, _, at = target[len(DIALOG_PREFIX) :].partition("#")
                    if name in flows and (not at or at in flows[name].steps):
                        continue
                problems.append(Problem(flow.path, step.line, f"unknown target {target!r}"))
        for group in flow.progress:
            for name in group.split("|"):
                if name not in flow.steps:
                    problems.append(Problem(flow.path, 1, f"progress names unknown step {name!r}"))
        for name in sorted(set(flow.steps) - reachable(flow)):
            problems.append(
                Problem(flow.path, flow.steps[name].line, f"step {name!r} is unreachable")
            )
    return problems


def _targets(step: Step) -> list[str]:
    transitions = [step.next, step.yes, step.no, *(o.next for o in step.options)]
    return [t.target for t in transitions if t is not None] + list(step.may_go)


def reachable(flow: Flow) -> set[str]:
    seen: set[str] = set()
    todo = [flow.start]
    while todo:
        name = todo.pop()
        if name in seen or name not in flow.steps:
            continue
        seen.add(name)
        todo += _targets(flow.steps[name])
    return seen


def text_keys(flows: dict[str, Flow]) -> dict[str, tuple[str, int]]:
    """Every text key the flows use, with where it is used."""
    keys: dict[str, tuple[str, int]] = {}
    for flow in flows.values():
        if flow.title:
            keys.setdefault(flow.title, (flow.path, 1))
        for step in flow.steps.values():
            for key in (step.prompt, step.help, step.kept_note, *(o.label for o in step.options)):
                if key:
                    keys.setdefault(key, (flow.path, step.line))
    return keys
