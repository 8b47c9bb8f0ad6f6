"""What decide caches must never change what it finds (issue 21, item 3: speed from structure).

- Every profile answer reaches every pass over a shared catalog view: a recommendation over a view that
  earlier recommendations have filled gives the same document as one over a fresh view, whichever
  answer changed (one check per field of the profile; a new field fails the test until it is listed).
- The weight walk, which reads the winner only where it can change, finds what reading it after every
  event finds; the ranking's heap places the rows as the rule says, row by row.
- The benchmark links kept between processes are those the catalog in use gives, and a changed input
  names another file.
"""

from __future__ import annotations

import math
import random
from datetime import date

import pytest

from whichai.catalog.schema import Fact, ModelEntry, Price, Source
from whichai.decide.catalog_view import CatalogView
from whichai.decide.profile import GPU, Capacity, OwnedHardware, PriceOverride, Profile, RentedGPU, Volume
from whichai.decide.recommendation import recommend
from whichai.decide.scoring import TIE_BAND, rank_order
from whichai.decide.sensitivity import _Line, _top, _walk

TODAY = date(2026, 11, 25)
SRC = Source(name="curated", url="https://example.org", as_of="2026-07-01")


def _entries() -> list[ModelEntry]:
    def price(i: float, o: float) -> Price:
        return Price(input=i, output=o, as_of="2026-07-02", source="models.dev")

    def facts(sla, zero) -> dict:
        return {"sla": Fact(value=sla, source=SRC), "zero_retention_available": Fact(value=zero, source=SRC),
                "fine_tuning": Fact(value=True, source=SRC), "support": Fact(value="community", source=SRC)}

    return [
        ModelEntry(id="lab/big-70b-instruct", name="Big 70B", provider="Lab", openness="open-weights", license="custom",
                   license_restricts_use=True, commercial_use=True, weights_downloadable=True, api_available=True,
                   price_usd_per_mtok=price(0.6, 0.8), params_b=70.0, languages=["en", "id"], facts=facts(None, None),
                   task_fit=["chat"], release_date="2025-09-01"),
        ModelEntry(id="lab/small-8b-instruct", name="Small 8B", provider="Lab", openness="open-source", license="Apache-2.0",
                   license_restricts_use=False, commercial_use=True, weights_downloadable=True, api_available=False, params_b=8.0,
                   facts=facts(None, None), task_fit=["chat"], release_date="2026-03-01"),
        ModelEntry(id="lab/coder-14b", name="Coder 14B", provider="Lab", openness="open-weights", license="custom",
                   license_restricts_use=False, commercial_use=False, weights_downloadable=True, api_available=True,
                   price_usd_per_mtok=price(0.2, 0.3), params_b=14.0, facts=facts(None, None), task_fit=["code"]),
        ModelEntry(id="vendor/frontier", name="Frontier", provider="Vendor", openness="closed", weights_downloadable=False,
                   api_available=True, price_usd_per_mtok=price(3.0, 15.0), facts=facts(True, True), task_fit=["chat", "reasoning"],
                   release_date="2026-05-01"),
        ModelEntry(id="vendor/mini", name="Mini", provider="Vendor", openness="closed", weights_downloadable=False, api_available=True,
                   price_usd_per_mtok=price(0.15, 0.6), facts=facts(False, None), task_fit=["chat"], release_date="2024-07-18",
                   lifecycle={"status": "deprecated", "shutdown_date": "2027-02-01"}),
        ModelEntry(id="vendor/think-r1", name="Think R1", provider="Vendor", openness="closed", weights_downloadable=False,
                   api_available=True, price_usd_per_mtok=price(0.5, 2.0), facts=facts(None, True), task_fit=["reasoning"]),
    ]


BASE = Profile(hardware=OwnedHardware(ram_gb=64, gpus=[GPU(name="RTX 4090", memory_gb=24)]), sensitive_share=0.5,
               data_sensitivity="confidential", data_may_go="zero-retention-vendor")

# one other answer for every field of the profile (nested ones through their parent)
CHANGES: dict[str, object] = {
    "name": "other", "description": "another description", "use_case": "support chat", "task": "none-such-task",
    "commercial": False, "accept_use_restrictions": False,
    "volume": Volume(requests_per_month=3_000_000, input_tokens_per_request=2000, output_tokens_per_request=900),
    "budget_usd_per_month": 800.0, "cost_reference_usd": 5000.0, "data_sensitivity": "regulated", "data_may_go": "nowhere",
    "sensitive_share": 0.2, "deployment": "on-premises",
    "hardware": OwnedHardware(ram_gb=256, gpus=[GPU(name="A100", memory_gb=80, count=2)], purchase_usd=30000, power_watts=900,
                              electricity_usd_per_kwh=0.3, hours_per_month=200),
    "rent": RentedGPU(gpu="NVIDIA L40S 48GB", memory_gb=48, usd_per_hour=1.2, always_on=True),
    "availability": "business_hours", "team_skill": "none", "ops_hourly_rate_usd": 150.0, "ops_hours_per_month": 30.0,
    "support": "sla-required", "customise": "must", "min_openness": "open-weights", "languages": ["en", "id"], "task_kind": "code",
    "horizon_months": 12.0, "latency_target_s": 1.5, "min_quality": 0.6, "weights": {"cost": 5.0, "performance": 0.5},
    "capacity": [Capacity(model="lab/small-8b-instruct", tokens_per_s=900.0, source="a load test")],
    "prices": {"vendor/frontier": PriceOverride(input=1.0, output=5.0)},
}


def test_every_profile_field_has_a_change_to_check():
    assert set(CHANGES) == set(Profile.model_fields), "add the new profile field to CHANGES: a cached pass must see it"


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_a_changed_answer_reaches_a_view_that_served_other_answers(field):
    entries = _entries()
    changed = BASE.model_copy(update={field: CHANGES[field]})
    shared = CatalogView(entries)
    recommend(BASE, entries, today=TODAY, view=shared)  # fills what is cached on the view's models
    after = recommend(changed, entries, today=TODAY, view=shared).to_json()
    fresh = recommend(changed, entries, today=TODAY).to_json()
    assert after == fresh, field


def _walk_every_event(lines: list[_Line], x0: float, up: bool, rest: float):
    """The walk as the rule reads, without shortcuts: the winner read just past every point where the
    highest line changes or a line's distance to it crosses the band."""
    top = _top(lines, x0, rest)
    first, x, change = top.openness, x0, None
    for _ in range(8 * (len(lines) + 2)):
        high = max(lines, key=lambda ln: (ln.a + ln.s * x, ln.s if up else -ln.s))
        nxt = None
        for ln in lines:
            if ln is high:
                continue
            for da, ds in ((ln.a - high.a, ln.s - high.s), (ln.a - high.a + TIE_BAND * rest, ln.s - high.s + TIE_BAND)):
                if ds == 0:
                    continue
                at = -da / ds
                if ((up and at > x and math.isfinite(at)) or (not up and 0.0 <= at < x)) and (nxt is None or (at < nxt if up else at > nxt)):
                    nxt = at
        if nxt is None:
            return change, None
        x = nxt * (1 + 1e-9) + 1e-12 if up else max(nxt * (1 - 1e-9) - 1e-12, 0.0)
        new = _top(lines, x, rest)
        if new is top:
            continue
        top = new
        change = change or (nxt, top)
        if top.openness not in (first, "unknown"):
            return change, (nxt, top)
    return change, None


def test_the_weight_walk_finds_what_reading_every_event_finds():
    rng = random.Random(11)
    for _ in range(1500):
        grid = rng.choice([0.05, 0.01, None])

        def value(grid: float | None = grid) -> float:
            v = rng.random()
            return round(v / grid) * grid if grid else v

        lines = [_Line(value() * rng.choice([1, 3, 8]), value(), f"m{i:02d}", rng.choice(["open-source", "open-weights", "closed", "unknown"]),
                       rng.choice([0, 1, 5, 10, rng.random() * 100])) for i in range(rng.randint(2, 30))]
        rest, x0 = rng.choice([0.5, 5.0, 14.0]), rng.choice([0.5, 1.0, 3.0])
        for up in (True, False):
            got = [(w[0], w[1].model) if w else None for w in _walk(lines, x0, up, rest)]
            want = [(w[0], w[1].model) if w else None for w in _walk_every_event(lines, x0, up, rest)]
            assert got == want


def test_the_ranking_places_rows_as_the_rule_says():
    def by_the_rule(rows, total_w):
        band, rest, out = TIE_BAND * total_w, sorted(rows, key=lambda r: (-r[0], r[2])), []
        while rest:
            within = [r for r in rest if r[0] >= rest[0][0] - band - 1e-12]
            out.append(min(within, key=lambda r: (round(r[1], 6), r[2])))
            rest.remove(out[-1])
        return out

    rng = random.Random(5)
    for _ in range(3000):
        grid = rng.choice([0.001, 0.005, None])
        rows = [(round(rng.random() / grid) * grid if grid else rng.random(), rng.choice([0, 1, 3.3333333, rng.random()]), f"m{i}")
                for i in range(rng.randint(0, 25))]
        total_w = rng.choice([1.0, 0.3, 2.0])
        assert rank_order(rows, lambda r: r[0], lambda r: r[1], lambda r: r[2], total_w) == by_the_rule(rows, total_w)


def test_the_benchmark_links_kept_between_processes_are_the_catalogs(tmp_path, monkeypatch):
    from whichai.catalog import benchmarks

    monkeypatch.setenv("WHICHAI_DATA_DIR", str(tmp_path))
    computed = benchmarks._derived.__wrapped__()  # nothing kept yet: linked, and written
    path = benchmarks._derived_file()
    assert path.is_file()
    assert benchmarks._derived.__wrapped__() == computed  # read back: the same links and priors
    path.write_text("{not json")
    assert benchmarks._derived.__wrapped__() == computed  # a damaged file is linked again (and written over)
    stamps = benchmarks._stamps()
    assert stamps is not None and benchmarks._read_derived(path, stamps) == computed
    other = tmp_path / "mod.py"
    other.write_text("")
    monkeypatch.setattr(benchmarks, "__file__", str(other))
    assert benchmarks._read_derived(path, benchmarks._stamps()) is None  # another input: not read
