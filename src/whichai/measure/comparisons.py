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
- ``better``: the model with more discordant wins when ``p_value < 0.05``, else None.
- ``cases_for_10_points``: when no difference is significant, about how many shared cases would tell a
  10-point difference apart (two-sided α = 0.05, power 80 %), by Connor's (1987) formula for McNemar's
  test: ``n = (z_{α/2}·√ψ + z_β·√(ψ − δ²))² / δ²`` with δ = 0.10 and ψ the share of discordant cases,
  taken as observed but at least 0.20 (few discordant cases in a small run are not evidence that a
  larger run would have few).
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations
from typing import Any

Z95 = 1.959963984540054
Z80 = 0.8416212335729143  # one-sided z for 80 % power
ALPHA = 0.05
DELTA = 0.10
PSI_FLOOR = 0.20


def wilson(passed: int, n: int, z: float = Z95) -> tuple[float, float]:
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
    agreement = both * neither - a_only * b_only
    if agreement > 0:  # Newcombe's correction: without it, no discordant case gives a zero-width interval
        agreement = max(agreement - n / 2, 0.0)
    phi = agreement / math.sqrt(margins) if margins else 0.0
    d = p1 - p2
    lower = d - math.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    upper = d + math.sqrt(max(0.0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2))
    return (max(-1.0, lower), min(1.0, upper))


def cases_needed(discordant_share: float, delta: float = DELTA) -> int:
    """Connor (1987): shared cases for McNemar's test to detect ``delta`` (α = 0.05 two-sided, power 80 %)."""
    psi = max(discordant_share, PSI_FLOOR, delta)
    n = (Z95 * math.sqrt(psi) + Z80 * math.sqrt(psi - delta * delta)) ** 2 / (delta * delta)
    return math.ceil(n)


def compare_pair(a: str, b: str, outcomes_a: dict[str, bool], outcomes_b: dict[str, bool]) -> dict[str, Any]:
    """The comparison of two models on the cases both have an outcome for (case id -> passed)."""
    shared = [cid for cid in outcomes_a if cid in outcomes_b]
    both = sum(1 for c in shared if outcomes_a[c] and outcomes_b[c])
    a_only = sum(1 for c in shared if outcomes_a[c] and not outcomes_b[c])
    b_only = sum(1 for c in shared if outcomes_b[c] and not outcomes_a[c])
    neither = len(shared) - both - a_only - b_only
    n = len(shared)
    p_value = mcnemar_exact(a_only, b_only)
    low, high = paired_difference_ci(both, a_only, b_only, neither)
    better = None
    if p_value < ALPHA and a_only != b_only:
        better = a if a_only > b_only else b
    entry: dict[str, Any] = {
        "a": a, "b": b, "cases": n, "both": both, "a_only": a_only, "b_only": b_only, "neither": neither,
        "difference": round((a_only - b_only) / n, 4) if n else None,
        "difference_ci95": [round(low, 4), round(high, 4)] if n else None,
        "difference_ci_method": "newcombe-hybrid-score-paired",
        "p_value": float(f"{p_value:.4g}"),
        "test": "mcnemar-exact",
        "better": better,
        "cases_for_10_points": None if better else cases_needed((a_only + b_only) / n if n else 0.0),
        "origin": "measured",
    }
    entry["text"] = explain(entry)
    return entry


def compare_all(models: list[str], outcomes: dict[str, dict[str, bool]]) -> list[dict[str, Any]]:
    """Every pair of models (in the run's order) that share at least one case with an outcome."""
    out = []
    for a, b in combinations(models, 2):
        entry = compare_pair(a, b, outcomes.get(a, {}), outcomes.get(b, {}))
        if entry["cases"]:
            out.append(entry)
    return out


def _pct(x: float) -> str:
    return f"{x * 100:+.0f}"


def explain(c: dict[str, Any]) -> dict[str, str]:
    """One sentence per language saying whether the difference is real, with its figures."""
    n, a, b = c["cases"], c["a"], c["b"]
    if not n:
        return {"en": f"{a} and {b} share no answered case; they cannot be compared.",
                "id": f"{a} dan {b} tidak punya kasus terjawab yang sama; keduanya tidak bisa dibandingkan."}
    low, high = c["difference_ci95"]
    figures_en = (f"on {n} shared cases {a} alone passed {c['a_only']} and {b} alone passed {c['b_only']}; "
                  f"difference {_pct(c['difference'])} points (95 % CI {_pct(low)} to {_pct(high)}), "
                  f"McNemar exact p = {c['p_value']:.3g}")
    figures_id = (f"pada {n} kasus yang sama hanya {a} lulus di {c['a_only']} kasus dan hanya {b} lulus di "
                  f"{c['b_only']} kasus; selisih {_pct(c['difference'])} poin (IK 95 % {_pct(low)} s.d. {_pct(high)}), "
                  f"uji McNemar eksak p = {c['p_value']:.3g}")
    if c["better"]:
        worse = b if c["better"] == a else a
        return {"en": f"{c['better']} is better than {worse}, and the difference is unlikely to be chance: {figures_en}.",
                "id": f"{c['better']} lebih baik daripada {worse}, dan selisihnya kecil kemungkinan kebetulan: {figures_id}."}
    need = c["cases_for_10_points"]
    return {
        "en": f"No real difference shown between {a} and {b} (p ≥ 0.05): {figures_en}. "
              f"About {need} shared cases would tell a 10-point difference apart.",
        "id": f"Belum terbukti ada selisih nyata antara {a} dan {b} (p ≥ 0,05): {figures_id}. "
              f"Sekitar {need} kasus yang sama diperlukan untuk membedakan selisih 10 poin.",
    }
