"""Dialog flows as data: the model that `dialogs/*.yaml` describes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.registry import DynamicOption
from bot.core.replies import say


class InputKind(StrEnum):
    MESSAGE = "message"  # show the prompt, then go on (no answer)
    CHOICE = "choice"  # one button
    MULTI = "multi"  # toggles and Done
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    YES_NO = "yes_no"


# Where a transition may lead besides a step name.
END = "end"  # leave the dialog, back to the menu
STOP = "stop"  # leave the dialog quietly: the last message stays the last thing shown
DIALOG_PREFIX = "dialog:"  # start another dialog


@dataclass(frozen=True, slots=True)
class Transition:
    """Run an optional named action, then go to `target` (a step, `end` or `dialog:NAME`)."""

    target: str
    action: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str  # a text key
    next: Transition | None = None
    show_if: str | None = None  # a named condition
    # The option as a menu shows it, made once: it depends on nothing but the option.
    shown: DynamicOption = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        target = self.next.target if self.next else None
        object.__setattr__(self, "shown", DynamicOption(self.id, say(self.label), target))


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    prompt: str  # a text key
    input: InputKind
    line: int
    params: dict[str, str] = field(default_factory=dict)  # prompt placeholder -> answer name
    save: str | None = None  # the answer is kept under this name
    next: Transition | None = None
    options: tuple[Option, ...] = ()
    options_from: str | None = None  # a named provider of dynamic options
    yes: Transition | None = None
    no: Transition | None = None
    min: float | None = None
    max: float | None = None
    min_length: int = 1
    max_length: int = 1000
    min_days: int | None = None  # dates: earliest allowed, in days from today
    max_days: int | None = None
    help: str | None = None
    skip_if: str | None = None
    back: bool = True
    cancel: bool = True
    on_enter: str | None = None  # a named action run before the prompt is shown
    protect: bool = False
    may_go: tuple[str, ...] = ()  # where the step's named actions may send the person
    # Choice steps: text typed instead of pressing a button is kept under this name (appended to
    # what was kept before), and kept_note (a text key) says so above the prompt again.
    keep_text: str | None = None
    kept_note: str | None = None
    # Date steps: answers (ISO dates) that an action put in the data: the latest date allowed,
    # beyond max_days (a semester's end), and a suggested date offered first as a button.
    latest_from: str | None = None
    suggest_from: str | None = None


@dataclass(frozen=True, slots=True)
class Flow:
    name: str
    start: str
    steps: dict[str, Step]
    path: str
    title: str | None = None
    progress: tuple[str, ...] = ()  # steps counted in "Step n of m"
    # Step name -> its place in `progress`; an entry may group steps: "risk_group|risk_factors".
    positions: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        positions: dict[str, int] = {}
        for i, group in enumerate(self.progress):
            for name in group.split("|"):
                positions.setdefault(name, i)
        object.__setattr__(self, "positions", positions)

    def step(self, name: str) -> Step | None:
        return self.steps.get(name)
