"""Issue 23, finding 9: ``whichai inspect`` read 268 M parameters from a GGUF file that the recommendation
excluded as "parameter count unknown". A measured local GGUF the catalog does not know is sized by the
file's own tensors, as ``inspect`` reads them."""

from __future__ import annotations

import shutil
from datetime import date

from whichai.catalog.gguf import summarise
from whichai.decide.constraints import build_candidates
from whichai.decide.profile import OwnedHardware, Profile
from whichai.providers.identity import local_params_b

TODAY = date(2026, 12, 7)


def _copy(tmp_path):
    from whichai.providers.local import embedded_model_path

    other = tmp_path / "shop-copy.gguf"
    shutil.copyfile(embedded_model_path(), other)
    return other


def test_a_local_gguf_states_its_size_as_inspect_reads_it(tmp_path):
    other = _copy(tmp_path)
    assert local_params_b(f"local/{other}") == summarise(other)["params_b"] > 0.1
    assert local_params_b("openai/gpt-5.4-mini") is None
    assert local_params_b(f"local/{tmp_path / 'missing.gguf'}") is None


def test_a_measured_file_is_sized_not_excluded_as_size_unknown(tmp_path):
    model = f"local/{_copy(tmp_path)}"
    measured = {"model": model, "cases": 30, "answered": 30, "scored": 30, "passed": 6, "pass_rate": 0.2, "errors": 0,
                "latency_p50_s": 0.4, "latency_p95_s": 0.9, "ttft_p50_s": 0.05, "output_tokens_per_s": 40.0, "cost_usd": 0.0,
                "self_hosted": True, "hardware": "this-machine", "params_b": local_params_b(model)}
    profile = Profile(data_may_go="nowhere", deployment="on-premises", hardware=OwnedHardware(ram_gb=16), rent=None)
    found = {c.model: c for c in build_candidates(profile, [], [measured], lambda m: None, today=TODAY)}
    cand = found[model]
    codes = [r.code for r in cand.reasons] + [r.code for r in cand.notes]
    assert "size_unknown" not in codes, codes
    assert cand.modes and cand.fits_owned, codes
    without = {**measured, "params_b": None}  # the rule it replaces: unknown size, excluded on hardware not this machine
    again = build_candidates(profile, [], [without], lambda m: None, today=TODAY)[0]
    assert "size_unknown" in [r.code for r in again.reasons]
