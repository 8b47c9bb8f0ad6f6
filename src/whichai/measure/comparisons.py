"""Is the difference between two models real? Paired statistics on the cases both models answered.

Two models measured on the same cases give, per case, a pair of outcomes (pass / fail). Only the
*discordant* cases — one passed, the other failed — carry information about which model is better:

- ``a_only``: cases A passed and B failed; ``b_only``: cases B passed and A failed.
- ``p_value``: McNemar's exact test, i.e. the two-sided exact binomial test of ``a_only`` successes in
  ``a_only + b_only`` trials with p = 1/2: ``p = min(1, 2 · Σ_{k ≤ min(b, c)} C(n, k) / 2^n)``,
  computed exactly with integers (no SciPy).
- ``difference``: ``(a_only − b_only) / cases`` = pass rate of A − pass rate of B on the shared cases.
- ``difference_ci95``: Newcombe's hybrid score interval for paired proportions (Newcombe 1998, method 10;
  recommended by Fagerland, Lydersen & Laake 2013): the Wilson intervals of both pass rates, combined
  with the phi correlation of the paired outcomes (its numerator ``AD − BC`` reduced by ``N/2`` when
  positive, as Newcombe does, so a run with no discordant case still gets an interval of non-zero width).
- ``difference_ci95`` (``difference_ci_method`` ``mcnemar-exact-conditional``): the interval that agrees
  with the test that decides. Given the ``n_d = a_only + b_only`` discordant cases, ``a_only`` is
  binomial(n_d, θ) with θ the chance that A is the one passing a discordant case; the exact
  (Clopper-Pearson) 95 % interval [θL, θU] of θ excludes 1/2 exactly when McNemar's exact p < 0.05, and
  maps to the difference as ``(n_d / cases) · (2θ − 1)``. So the interval excludes 0 iff the difference
  is called real (issue 23, finding 9: a Newcombe interval of "+39 to +100" next to "no real difference
  shown" in 84 of 2,400 tables). Newcombe's interval (:func:`paired_difference_ci`) is kept as
  ``difference_ci95_newcombe`` for reference.
- ``better``: the model with more discordant wins when ``p_value < 0.05``, else None.
- ``cases_for_10_points``: when no difference is significant, about how many shared cases would tell a
  10-point difference apart (two-sided α = 0.05, power 80 %), by Connor's (1987) formula for McNemar's
  test: ``n = (z_{α/2}·√ψ + z_β·√(ψ − δ²))² / δ²`` with δ = 0.10 and ψ the share of discordant cases,
  taken as observed but at least 0.20 (few discordant cases in a small run are not evidence that a
  larger run would have few).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from fractions import Fraction
from itertools import combinations
from typing import Any

Z95 = 1.959963984540054
Z80 = 0.8416212335729143  # one-sided z for 80 % power
ALPHA = 0.05
DELTA = 0.10
PSI_FLOOR = 0.20


def wilson(passed: float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of passed / n (0..1 when n is 0)."""
    if n == 0:
        return (0.0, 1.0)
    p = passed / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def mcnemar_exact(a_only: int, b_only: int) -> float:
    """Two-sided exact McNemar p-value: binomial(a_only + b_only, 1/2), doubled smaller tail, capped at 1."""
    if a_only < 0 or b_only < 0:
        raise ValueError("counts must be ≥ 0")
    n = a_only + b_only
    if n == 0:
        return 1.0
    term = tail = 1  # C(n, 0); each next term C(n, k + 1) = C(n, k) · (n − k) / (k + 1), exact in integers
    for k in range(min(a_only, b_only)):
        term = term * (n - k) // (k + 1)
        tail += term
    return float(min(Fraction(1), Fraction(2 * tail, 2**n)))


def paired_difference_ci(both: int, a_only: int, b_only: int, neither: int, z: float = Z95) -> tuple[float, float]:
    """Newcombe's (1998) hybrid score interval (method 10) for p_A − p_B on paired outcomes."""
    n = both + a_only + b_only + neither
    if n == 0:
        return (-1.0, 1.0)
    p1, p2 = (both + a_only) / n, (both + b_only) / n
    l1, u1 = wilson(both + a_only, n, z)
    l2, u2 = wilson(both + b_only, n, z)
    margins = (both + a_only) * (b_only + neither) * (both + b_only) * (a_only + neither)
    agreement: float = both * neither - a_only * b_only
    if agreement > 0:  # Newcombe's correction: without it, no discordant case gives a zero-width interval
        agreement = max(agreement - n / 2, 0.0)
    phi = agreement / math.sqrt(margins) if margins else 0.0
    d = p1 - p2
    lower = d - math.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    upper = d + math.sqrt(max(0.0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2))
    return (max(-1.0, lower), min(1.0, upper))


def _binom_upper_tail(x: int, n: int, theta: float) -> float:
    """P(X ≥ x) for X ~ binomial(n, theta), summed in log space (no overflow for large n)."""
    if x <= 0:
        return 1.0
    if theta <= 0.0:
        return 0.0
    if theta >= 1.0:
        return 1.0
    lt, l1 = math.log(theta), math.log1p(-theta)
    logs = [math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * lt + (n - k) * l1 for k in range(x, n + 1)]
    top = max(logs)
    return min(1.0, math.exp(top) * sum(math.exp(v - top) for v in logs))


def clopper_pearson(x: int, n: int, alpha: float = ALPHA) -> tuple[float, float]:
    """The exact (Clopper-Pearson) 1 − alpha interval of a binomial proportion x / n, by bisection."""
    if n == 0:
        return (0.0, 1.0)

    def solve(f: Any) -> float:  # f rises with theta from below 0 to above 0
        lo, hi = 0.0, 1.0
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
        return (lo + hi) / 2

    lower = 0.0 if x == 0 else solve(lambda t: _binom_upper_tail(x, n, t) - alpha / 2)
    upper = 1.0 if x == n else solve(lambda t: alpha / 2 - (1.0 - _binom_upper_tail(x + 1, n, t)))
    return (lower, upper)


def mcnemar_difference_ci(a_only: int, b_only: int, cases: int, p_value: float | None = None) -> tuple[float, float]:
    """The 95 % interval of p_A − p_B consistent with McNemar's exact test: Clopper-Pearson on the
    discordant cases, scaled by their share of the cases. It excludes 0 exactly when p < 0.05 (the exact
    p-value decides at the boundary, where bisection could round either way)."""
    n_d = a_only + b_only
    if cases == 0:
        return (-1.0, 1.0)
    share = n_d / cases
    lo, hi = clopper_pearson(a_only, n_d)
    low, high = share * (2 * lo - 1), share * (2 * hi - 1)
    p = mcnemar_exact(a_only, b_only) if p_value is None else p_value
    if p < ALPHA:  # real: the interval lies on one side of 0
        low, high = (max(low, 1e-4), high) if a_only > b_only else (low, min(high, -1e-4))
    else:  # not shown: the interval holds 0
        low, high = min(low, 0.0), max(high, 0.0)
    return (max(-1.0, low), min(1.0, high))


def cases_needed(discordant_share: float, delta: float = DELTA) -> int:
    """Connor (1987): shared cases for McNemar's test to detect ``delta`` (α = 0.05 two-sided, power 80 %)."""
    psi = max(discordant_share, PSI_FLOOR, delta)
    n = (Z95 * math.sqrt(psi) + Z80 * math.sqrt(psi - delta * delta)) ** 2 / (delta * delta)
    return math.ceil(n)


@dataclass(frozen=True, slots=True)
class PairComparison:
    """Two models on their shared cases (the fields are described in the module docstring); ``text``: one
    sentence per language (:func:`explain`)."""

    a: str
    b: str
    cases: int
    both: int
    a_only: int
    b_only: int
    neither: int
    difference: float | None
    difference_ci95: tuple[float, float] | None
    difference_ci_method: str
    difference_ci95_newcombe: tuple[float, float] | None
    p_value: float
    test: str
    better: str | None
    cases_for_10_points: int | None
    origin: str = "measured"
    text: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """The run document's entry (the intervals as JSON arrays)."""
        doc = asdict(self)
        for key in ("difference_ci95", "difference_ci95_newcombe"):
            doc[key] = list(doc[key]) if doc[key] is not None else None
        return doc


def compare_pair(a: str, b: str, outcomes_a: dict[str, bool], outcomes_b: dict[str, bool]) -> PairComparison:
    """The comparison of two models on the cases both have an outcome for (case id -> passed)."""
    shared = [cid for cid in outcomes_a if cid in outcomes_b]
    both = sum(1 for c in shared if outcomes_a[c] and outcomes_b[c])
    a_only = sum(1 for c in shared if outcomes_a[c] and not outcomes_b[c])
    b_only = sum(1 for c in shared if outcomes_b[c] and not outcomes_a[c])
    neither = len(shared) - both - a_only - b_only
    n = len(shared)
    p_value = mcnemar_exact(a_only, b_only)
    low, high = mcnemar_difference_ci(a_only, b_only, n, p_value)
    nlow, nhigh = paired_difference_ci(both, a_only, b_only, neither)
    better = None
    if p_value < ALPHA and a_only != b_only:
        better = a if a_only > b_only else b
    entry = PairComparison(
        a=a, b=b, cases=n, both=both, a_only=a_only, b_only=b_only, neither=neither,
        difference=round((a_only - b_only) / n, 4) if n else None,
        difference_ci95=(_round_out(low, better is not None and low > 0), _round_out(high, better is not None and high < 0)) if n else None,
        difference_ci_method="mcnemar-exact-conditional",
        difference_ci95_newcombe=(round(nlow, 4), round(nhigh, 4)) if n else None,
        p_value=float(f"{p_value:.4g}"),
        test="mcnemar-exact",
        better=better,
        cases_for_10_points=None if better else cases_needed((a_only + b_only) / n if n else 0.0),
    )
    return replace(entry, text=explain(entry))


def compare_all(models: list[str], outcomes: dict[str, dict[str, bool]]) -> list[PairComparison]:
    """Every pair of models (in the run's order) that share at least one case with an outcome."""
    pairs = (compare_pair(a, b, outcomes.get(a, {}), outcomes.get(b, {})) for a, b in combinations(models, 2))
    return [entry for entry in pairs if entry.cases]


def _round_out(x: float, keep_off_zero: bool) -> float:
    """Four decimals, never rounding a bound that excludes 0 onto 0."""
    r = round(x, 4)
    return math.copysign(1e-4, x) if keep_off_zero and r == 0 else r


def _pct(x: float) -> str:
    return f"{x * 100:+.0f}"


def _pct_bound(x: float, side: int) -> str:
    """A bound in points, rounded outward (side −1 down, +1 up), so a shown interval never shrinks."""
    if 0 < abs(x) < 0.01:  # a bound just off 0 stays off 0 in the text
        return f"{x * 100:+.2g}"
    v = math.floor(x * 100) if side < 0 else math.ceil(x * 100)
    return f"{v:+d}"


def explain(c: PairComparison) -> dict[str, str]:
    """One sentence per language saying whether the difference is real, with its figures."""
    n, a, b = c.cases, c.a, c.b
    if not n or c.difference_ci95 is None or c.difference is None:
        return {"en": f"{a} and {b} share no answered case; they cannot be compared.",
                "id": f"{a} dan {b} tidak punya kasus terjawab yang sama; keduanya tidak bisa dibandingkan."}
    low, high = c.difference_ci95
    figures_en = (f"on {n} shared cases {a} alone passed {c.a_only} and {b} alone passed {c.b_only}; "
                  f"difference {_pct(c.difference)} points (95 % CI {_pct_bound(low, -1)} to {_pct_bound(high, 1)}, exact on "
                  f"the discordant cases), McNemar's exact test, which decides: p = {c.p_value:.3g}")
    figures_id = (f"pada {n} kasus yang sama hanya {a} lulus di {c.a_only} kasus dan hanya {b} lulus di "
                  f"{c.b_only} kasus; selisih {_pct(c.difference)} poin (IK 95 % {_pct_bound(low, -1)} s.d. {_pct_bound(high, 1)}, "
                  f"eksak pada kasus yang berbeda hasil), uji eksak McNemar, yang menentukan: p = {c.p_value:.3g}")
    if c.better:
        worse = b if c.better == a else a
        return {"en": f"{c.better} is better than {worse}, and the difference is unlikely to be chance: {figures_en}.",
                "id": f"{c.better} lebih baik daripada {worse}, dan selisihnya kecil kemungkinan kebetulan: {figures_id}."}
    need = c.cases_for_10_points
    return {
        "en": f"No real difference shown between {a} and {b} (p ≥ 0.05): {figures_en}. "
              f"About {need} shared cases would tell a 10-point difference apart.",
        "id": f"Belum terbukti ada selisih nyata antara {a} dan {b} (p ≥ 0,05): {figures_id}. "
              f"Sekitar {need} kasus yang sama diperlukan untuk membedakan selisih 10 poin.",
    }
