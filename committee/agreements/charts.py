"""A small line chart of an indicator's values, drawn as SVG on the server (no JavaScript)."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 36


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str
    value: Decimal


@dataclass(frozen=True)
class IndicatorChart:
    points: list[ChartPoint]
    polyline: str
    baseline_y: float | None
    target_y: float | None
    y_ticks: list[tuple[float, Decimal]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM


def indicator_chart(
    series: list[tuple[str, Decimal]], baseline: Decimal | None, target: Decimal | None
) -> IndicatorChart | None:
    """Place (label, value) pairs, oldest first, with baseline and target lines."""
    if not series:
        return None
    values = [value for _label, value in series]
    reference = [v for v in (baseline, target) if v is not None]
    low = min([*values, *reference, Decimal(0)])
    high = max([*values, *reference])
    if high == low:
        high = low + 1
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def y_of(value: Decimal) -> float:
        return round(TOP + plot_height * float((high - value) / (high - low)), 1)

    step = plot_width / max(len(series) - 1, 1)
    points = [
        ChartPoint(
            x=round(LEFT + (step * index if len(series) > 1 else plot_width / 2), 1),
            y=y_of(value),
            label=label,
            value=value,
        )
        for index, (label, value) in enumerate(series)
    ]
    ticks = [(y_of(low + (high - low) * n / 4), (low + (high - low) * n / 4)) for n in range(5)]
    return IndicatorChart(
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        baseline_y=y_of(baseline) if baseline is not None else None,
        target_y=y_of(target) if target is not None else None,
        y_ticks=[(y, value.quantize(Decimal("0.01"))) for y, value in ticks],
    )
