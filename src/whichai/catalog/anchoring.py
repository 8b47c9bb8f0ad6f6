"""The multilingual ability anchored on the general scale, benchmark by benchmark (issue 17).

The multilingual benchmarks were taken by different groups of models (frontier closed models report MMMLU,
small open ones MGSM), so a one-factor fit over them confounds a benchmark's difficulty with who took it:
entries measured on MMMLU alone sat 0.77 θ below the value their general ability linked to, MGSM alone 0.42
above. Anchoring each benchmark on the general θ removes that: the rule, with the data of
:func:`whichai.catalog.benchmarks.anchoring`:

- **a line per benchmark** (:class:`BenchmarkLine`): over the models that have benchmark b and a general
  prior, probit(figure) = α_b + β_b · θ_general, least squares (the figure clipped to [0.005, 0.995] first).
  A benchmark needs ``MIN_ANCHORED`` such models and a rising line (β_b > 0); else it is not used for the
  multilingual prior (:attr:`Anchoring.unused` says which and why);
- **a model's residual** on b, in units of general θ: r = (probit(figure) − α_b − β_b · θ_general) / β_b,
  how far above (+) or below (−) what its general ability predicts its figure is;
- **the spreads** (a one-way random-effects split of the residuals): the total mean square Σr² / (N − 2L)
  over the N residuals of the L lines, the within-model variance σ²_w pooled over the models with two or more
  figures (Σ (r − r̄_m)² / Σ (n_m − 1)), the between-model variance σ²_b = max(0, total − σ²_w);
- **the shift**: the mean of its n residuals, shrunk toward 0 by the precision weight w = n / (n + σ²_w/σ²_b)
  (w = 0 when σ²_b is 0: no figure says more than the benchmarks' noise); its standard error
  √(w · σ²_w / n), √σ²_b for a model with no figure (the shift 0: "not on record" is neutral, never a guess
  either way). The multilingual θ is θ_general + shift, on the general scale.

A pure function of the (general θ, figures) rows it is given; no whichai import (the catalog's benchmark
module calls it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist

MIN_ANCHORED = 8  # models having a benchmark and a general prior that its line needs
_CLIP = 0.005  # a figure of 0 or 1 has no probit: clipped to [0.005, 0.995]


def probit(figure: float) -> float:
    """Φ⁻¹ of a figure in [0, 1] (clipped), the scale a prior's θ is on (prior = Φ(θ))."""
    return NormalDist().inv_cdf(min(max(figure, _CLIP), 1 - _CLIP))


@dataclass(frozen=True)
class BenchmarkLine:
    """probit(figure) = intercept + slope · θ_general over ``n`` models; ``spread``: the residuals' root mean square in θ."""

    benchmark: str
    n: int
    intercept: float
    slope: float
    spread: float

    def residual(self, general_theta: float, figure: float) -> float:
        """How far the figure is above (+) or below (−) what the general θ predicts, in units of general θ."""
        return (probit(figure) - self.intercept - self.slope * general_theta) / self.slope


@dataclass(frozen=True)
class Anchored:
    """One model's multilingual θ relative to its general θ: ``shift`` ± ``shift_se``."""

    residuals: tuple[tuple[BenchmarkLine, float, float], ...]  # (its benchmark's line, figure, residual in θ) of each anchored figure
    weight: float  # n / (n + σ²_w/σ²_b): how much of the residuals' mean is kept
    shift: float
    shift_se: float
    unused: tuple[tuple[str, float], ...] = ()  # (benchmark, figure) of its figures on benchmarks without a line


@dataclass(frozen=True)
class Anchoring:
    """The lines of the usable multilingual benchmarks and the residual spreads (module docstring)."""

    lines: tuple[BenchmarkLine, ...]
    unused: tuple[tuple[str, int], ...]  # (benchmark, models having it and a general prior) of those without a line
    within: float  # σ²_w
    between: float  # σ²_b
    models: int  # models with a general prior and at least one anchored figure

    def line(self, benchmark: str) -> BenchmarkLine | None:
        return next((k for k in self.lines if k.benchmark == benchmark), None)

    def anchor(self, general_theta: float, figures: Iterable[tuple[str, float]]) -> Anchored:
        """A model's shift from its figures on the anchored benchmarks (others ignored); none: shift 0, ± σ_b."""
        figures = list(figures)
        res = tuple((k, y, k.residual(general_theta, y)) for b, y in figures if (k := self.line(b)) is not None)
        unused = tuple((b, y) for b, y in figures if self.line(b) is None)
        if not res:
            return Anchored((), 0.0, 0.0, math.sqrt(self.between), unused)
        n = len(res)
        weight = n / (n + self.within / self.between) if self.between > 0 else 0.0
        return Anchored(res, weight, weight * sum(r for *_, r in res) / n, math.sqrt(weight * self.within / n), unused)


def fit_line(benchmark: str, points: Sequence[tuple[float, float]]) -> BenchmarkLine | None:
    """Least squares of probit(figure) on general θ over (θ_general, figure) points; None below ``MIN_ANCHORED``
    points or for a line that does not rise (then a residual in θ has no meaning)."""
    if len(points) < MIN_ANCHORED:
        return None
    xs, ys = [g for g, _ in points], [probit(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx > 0 else 0.0
    if slope <= 0:
        return None
    intercept = my - slope * mx
    spread = math.sqrt(sum(((y - intercept - slope * x) / slope) ** 2 for x, y in zip(xs, ys)) / len(xs))
    return BenchmarkLine(benchmark, len(points), round(intercept, 6), round(slope, 6), round(spread, 6))


def fit_anchoring(rows: Iterable[tuple[float, Sequence[tuple[str, float]]]]) -> Anchoring | None:
    """The anchoring over (θ_general, [(benchmark, figure), ...]) rows, one per model with a general prior and
    multilingual figures; None when no benchmark has a line."""
    rows = list(rows)
    points: dict[str, list[tuple[float, float]]] = {}
    for g, figures in rows:
        for b, y in figures:
            points.setdefault(b, []).append((g, y))
    fitted = {b: fit_line(b, p) for b, p in sorted(points.items())}
    lines = tuple(k for k in fitted.values() if k is not None)
    if not lines:
        return None
    partial = Anchoring(lines, (), 0.0, 0.0, 0)
    per_model = [[r for *_, r in partial.anchor(g, figures).residuals] for g, figures in rows]
    per_model = [r for r in per_model if r]
    within, between = _spreads(per_model, len(lines))
    unused = tuple((b, len(points[b])) for b, k in fitted.items() if k is None)
    return Anchoring(lines, unused, round(within, 6), round(between, 6), len(per_model))


def _spreads(per_model: list[list[float]], n_lines: int) -> tuple[float, float]:
    """(σ²_w, σ²_b) of the residuals grouped by model (module docstring); σ²_w is the total when no model has two."""
    n = sum(len(r) for r in per_model)
    total = sum(x * x for r in per_model for x in r) / max(1, n - 2 * n_lines)
    twice = [r for r in per_model if len(r) > 1]
    if not twice:
        return total, 0.0
    within = sum(sum((x - sum(r) / len(r)) ** 2 for x in r) for r in twice) / sum(len(r) - 1 for r in twice)
    return within, max(0.0, total - within)
