"""Is the difference real? McNemar's exact test, the paired difference interval, sample sizes, texts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whichai.measure.comparisons import cases_needed, compare_all, compare_pair, mcnemar_exact, paired_difference_ci, wilson


@pytest.mark.parametrize(
    ("b", "c", "p"),
    [
        (10, 2, 0.0386),  # 2 * (1 + 12 + 66) / 4096 = 0.03857
        (2, 10, 0.0386),
        (0, 5, 0.0625),  # 2 / 32
        (5, 0, 0.0625),
        (0, 0, 1.0),
        (3, 3, 1.0),
        (1, 0, 1.0),
        (0, 6, 0.03125),
        (7, 1, 0.0703),  # 2 * (1 + 8) / 256
    ],
)
def test_mcnemar_exact_known_values(b, c, p):
    assert mcnemar_exact(b, c) == pytest.approx(p, abs=5e-5)


def test_mcnemar_exact_is_exact_for_large_counts():
    # 600 vs 400 discordant cases: the normal approximation gives z = 200/sqrt(1000) = 6.32, p ~ 2.5e-10.
    p = mcnemar_exact(600, 400)
    assert 1e-10 < p < 1e-9
    assert mcnemar_exact(5000, 5000) == 1.0
    assert mcnemar_exact(0, 1000) == pytest.approx(2.0**-999, rel=1e-12)  # exact integers, no overflow of 2**n


def test_mcnemar_rejects_negative_counts():
    with pytest.raises(ValueError):
        mcnemar_exact(-1, 3)


@given(st.integers(0, 60), st.integers(0, 60))
@settings(max_examples=200, deadline=None)
def test_mcnemar_is_symmetric_and_a_probability(b, c):
    p = mcnemar_exact(b, c)
    assert p == mcnemar_exact(c, b)
    assert 0 < p <= 1


@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))
@settings(max_examples=300, deadline=None)
def test_paired_interval_contains_the_difference(both, a_only, b_only, neither):
    n = both + a_only + b_only + neither
    low, high = paired_difference_ci(both, a_only, b_only, neither)
    assert -1 <= low <= high <= 1
    if n:
        d = (a_only - b_only) / n
        assert low - 1e-9 <= d <= high + 1e-9


def test_paired_interval_narrows_with_more_cases_and_excludes_zero_when_clear():
    small = paired_difference_ci(5, 6, 1, 8)
    large = paired_difference_ci(50, 60, 10, 80)
    assert (large[1] - large[0]) < (small[1] - small[0])
    assert large[0] > 0  # 60 vs 10 discordant: clearly positive
    # identical models: the interval is centred on 0 and symmetric
    low, high = paired_difference_ci(10, 0, 0, 10)
    assert low == pytest.approx(-high) and low < 0 < high


def test_compare_pair_counts_only_shared_cases_and_names_the_better_model():
    a = {f"c{i}": True for i in range(12)} | {"only-a": True}
    b = {f"c{i}": i < 2 for i in range(12)} | {"only-b": False}
    # shared c0..c11: both pass c0, c1; a alone passes c2..c11 (10); b alone passes none
    entry = compare_pair("m/a", "m/b", a, b)
    assert (entry.cases, entry.a_only, entry.b_only, entry.both) == (12, 10, 0, 2)
    assert entry.p_value == pytest.approx(2 / 1024, abs=1e-6)
    assert entry.better == "m/a"
    assert entry.difference == pytest.approx(10 / 12, abs=1e-4)
    assert entry.cases_for_10_points is None
    assert "m/a is better than m/b" in entry.text["en"]
    assert "m/a lebih baik daripada m/b" in entry.text["id"]


def test_no_significant_difference_says_how_many_cases_would_tell():
    a = {f"c{i}": i % 2 == 0 for i in range(20)}
    b = {f"c{i}": i % 3 == 0 for i in range(20)}
    entry = compare_pair("x/1", "x/2", a, b)
    assert entry.p_value >= 0.05 and entry.better is None
    need = entry.cases_for_10_points
    assert need == cases_needed((entry.a_only + entry.b_only) / 20)
    assert f"About {need} shared cases" in entry.text["en"]
    assert f"Sekitar {need} kasus" in entry.text["id"]


def test_cases_needed_follows_connors_formula():
    # psi = 0.2, delta = 0.1: (1.96*sqrt(.2) + 0.8416*sqrt(.19))^2 / .01 = 154.6 -> 155
    assert cases_needed(0.0) == 155
    assert cases_needed(0.2) == 155
    psi = 0.4
    expected = math.ceil((1.959964 * math.sqrt(psi) + 0.841621 * math.sqrt(psi - 0.01)) ** 2 / 0.01)
    assert cases_needed(psi) == expected
    assert cases_needed(0.6) > cases_needed(0.4)


def test_compare_all_skips_pairs_with_no_shared_case():
    outcomes = {"a/1": {"x": True}, "b/2": {"y": False}, "c/3": {"x": False}}
    pairs = compare_all(["a/1", "b/2", "c/3"], outcomes)
    assert [(p.a, p.b) for p in pairs] == [("a/1", "c/3")]


def test_wilson_matches_a_known_interval():
    # 8 of 10: Wilson 95 % interval 0.4902 - 0.9433
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4) and high == pytest.approx(0.9433, abs=1e-4)


@pytest.mark.parametrize("tables", [300, pytest.param(3000, marks=pytest.mark.slow)])  # the quick loop: the first 300
def test_the_interval_agrees_with_the_test_that_decides(tables):
    """Issue 23, finding 9: "+100 points (95 % CI +39 to +100)" was printed next to "no real difference
    shown". The interval is now exact on the discordant cases (Clopper-Pearson, scaled): on 3,000 random
    tables it excludes 0 exactly when McNemar's exact p < 0.05, and holds the observed difference."""
    import random

    rng = random.Random(23)
    for _ in range(tables):
        n = rng.randint(1, 120)
        cells = [rng.random() ** rng.choice((1, 3)) for _ in range(4)]
        total = sum(cells)
        counts = [int(n * c / total) for c in cells]
        outcomes_a = {}
        outcomes_b = {}
        i = 0
        for (pa, pb), count in zip(((True, True), (True, False), (False, True), (False, False)), counts):
            for _ in range(count):
                outcomes_a[f"c{i}"], outcomes_b[f"c{i}"] = pa, pb
                i += 1
        if not i:
            continue
        entry = compare_pair("A", "B", outcomes_a, outcomes_b)
        low, high = entry.difference_ci95
        excludes = low > 0 or high < 0
        assert excludes == (entry.p_value < 0.05) == (entry.better is not None), entry
        assert low - 1e-9 <= entry.difference <= high + 1e-9, entry
        assert entry.difference_ci_method == "mcnemar-exact-conditional"


def test_the_issue_case_reads_consistently():
    entry = compare_pair("A", "B", {f"c{i}": True for i in range(3)}, {f"c{i}": False for i in range(3)})
    assert entry.better is None and entry.difference_ci95[0] < 0 < entry.difference_ci95[1]
    assert "No real difference" in entry.text["en"] and "which decides" in entry.text["en"]
    assert "yang menentukan" in entry.text["id"]


def test_clopper_pearson_matches_references():
    from whichai.measure.comparisons import clopper_pearson

    # R: binom.test(x, n)$conf.int
    for (x, n), (lo, hi) in {(3, 3): (0.2924018, 1.0), (0, 10): (0.0, 0.3084971), (7, 20): (0.1539092, 0.5921885)}.items():
        got = clopper_pearson(x, n)
        assert abs(got[0] - lo) < 1e-6 and abs(got[1] - hi) < 1e-6, (x, n, got)
