"""The decision box at the top of the page (being built for issue 15): per scenario, the pick, its
margin with a bootstrap interval, who is within noise, and the reason in counters; and the A/A
control's outcome."""

from dataclasses import dataclass, field


@dataclass
class Box:
    scenarios: list = field(default_factory=list)
    control: object = None


def box(results):
    return Box()
