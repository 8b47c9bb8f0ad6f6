"""Profiles: numbers finite and bounded, hostile YAML refused with file:line and a fix (exit 2), "did
you mean" for misspelt fields, the new fields (hardware: this-machine, horizon, capacity, prices),
and `whichai profile new` asking operations hours and rate."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import invoke  # the entry point in process: its exit status, stdin and streams

from whichai.decide.profile import dump_profile, parse_profile
from whichai.errors import FileInputError

BAD = {
    "inf": ("volume:\n  requests_per_month: .inf\n", 2, "finite number"),
    "nan": ("volume: {requests_per_month: .nan}\n", 1, "finite number"),
    "huge": ("name: x\nbudget_usd_per_month: 1e308\n", 2, "less than or equal"),
    "negative_inf": ("hardware:\n  ram_gb: -.inf\n", 2, "finite number"),
    "digits": ("name: x\nops_hourly_usd: " + "9" * 5000 + "\n", 2, "out of range"),
    "nested": ("name: " + "[" * 3000 + "]" * 3000 + "\n", 1, "nests too deeply"),
    "nested_maps": ("a:\n" + "".join("  " * i + f"b{i}:\n" for i in range(1, 30)) + "  " * 30 + "c: 1\n", None, "nests too deeply"),
    "alias": ("volume: &v {requests_per_month: 5}\nrent: *v\n", 1, "aliases"),
    "misspelt": ("name: x\nbudgett_usd_per_month: 5\n", 2, "did you mean `budget_usd_per_month`"),
    "misspelt_nested": ("hardware:\n  hours_per_mnth: 176\n", 2, "did you mean `hours_per_month`"),
    "capacity_zero": ("capacity:\n  - {model: a/b, tokens_per_s: 0, source: x}\n", 2, "greater than 0"),
    "horizon": ("horizon_months: 1000\n", 1, "less than or equal"),
    "hours": ("hardware: {hours_per_month: 800}\n", 1, "less than or equal to 744"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_numbers_and_hostile_yaml_name_the_line_and_the_fix(case: str) -> None:
    text, line, words = BAD[case]
    with pytest.raises(FileInputError) as err:
        parse_profile(text, "p.yaml")
    assert words in str(err.value) and "Fix:" in str(err.value)
    if line is not None:
        assert err.value.line == line


def test_the_cli_exits_2_without_a_traceback(tmp_path: Path) -> None:
    for case in ("inf", "digits", "nested", "alias", "misspelt"):
        path = tmp_path / f"{case}.yaml"
        path.write_text(BAD[case][0], encoding="utf-8")
        proc = invoke(["profile", "show", str(path)])
        assert proc.returncode == 2, (case, proc.stderr)
        assert "Traceback" not in proc.stderr and str(path) in proc.stderr and "Fix:" in proc.stderr


def test_a_big_file_is_refused_before_parsing() -> None:
    with pytest.raises(FileInputError, match="characters long"):
        parse_profile("# " + "x" * 300_000 + "\n", "big.yaml")


def test_new_fields_validate_and_round_trip() -> None:
    p = parse_profile("""
name: pan
horizon_months: 3
task_kind: code
hardware: {name: office, ram_gb: 64, hours_per_month: 176, purchase_usd: 2000}
capacity:
  - {model: lab/m, tokens_per_s: 200, source: "a load test", hardware: office}
prices:
  openai/gpt-5: {input: 1.25, output: 10}
ops_hourly_usd: 45
""")
    assert p.horizon_months == 3 and p.task_kind == "code" and p.hardware.hours_per_month == 176
    assert p.capacity[0].tokens_per_s == 200 and p.prices["openai/gpt-5"].source == "profile"
    assert p.ops_hourly_rate_usd == 45  # ops_hourly_usd is accepted as the field's other name
    assert parse_profile(dump_profile(p)) == p


def test_this_machine_reads_the_machine_and_is_written_back_as_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    import whichai.catalog.hardware as hardware

    monkeypatch.setattr(hardware, "this_machine", lambda: {"ram_gb": 7.5, "cpu_cores": 3})
    p = parse_profile("hardware: this-machine\n")
    assert (p.hardware.ram_gb, p.hardware.cpu_cores, p.hardware.this_machine, p.hardware.name) == (7.5, 3, True, "this-machine")
    assert yaml.safe_load(dump_profile(p))["hardware"] == "this-machine"
    with_gpu = parse_profile("hardware: {this_machine: true, gpus: [{name: RTX 4090, memory_gb: 24}]}\n")
    assert with_gpu.hardware.ram_gb == 7.5 and with_gpu.hardware.gpu_memory_gb() == 24
    assert yaml.safe_load(dump_profile(with_gpu))["hardware"] == {"this_machine": True, "gpus": [{"name": "RTX 4090", "memory_gb": 24.0}]}


def test_profile_new_asks_operations_hours_and_rate_with_their_defaults(tmp_path: Path) -> None:
    # name, use, requests, in, out, budget, sensitivity, data, deployment, RAM (a machine of 32 GB), GPU,
    # rent price, skill, support, customise, openness, languages, latency, quality, ops hours, ops rate, horizon
    answers = ["shop", "emails", "", "", "", "", "", "", "", "32", "0", "0", "", "", "", "", "en,id", "", "", "3", "45", "4"]
    out = tmp_path / "shop.yaml"
    proc = invoke(["profile", "new", "--out", str(out), "--lang", "en"], input="\n".join(answers) + "\n")
    assert proc.returncode == 0, proc.stderr
    assert "Hours a month your team spends running a self-hosted model" in proc.stderr and "[60]" in proc.stderr
    p = parse_profile(out.read_text(encoding="utf-8"))
    assert (p.ops_hours_per_month, p.ops_hourly_rate_usd, p.horizon_months, p.hardware.ram_gb) == (3, 45, 4, 32)
    # Indonesian, answers ending early: the rule (no stated hours) and the defaults are kept
    out = tmp_path / "toko.yaml"
    proc = invoke(["profile", "new", "--out", str(out), "--lang", "id"], input="toko\n")
    assert proc.returncode == 0, proc.stderr
    p = parse_profile(out.read_text(encoding="utf-8"))
    assert p.ops_hours_per_month is None and p.ops_hourly_rate_usd == 60


NUMERIC_PATHS = [
    ("volume", "requests_per_month"), ("volume", "input_tokens_per_request"), ("budget_usd_per_month",), ("cost_reference_usd",),
    ("hardware", "ram_gb"), ("hardware", "purchase_usd"), ("hardware", "power_watts"), ("hardware", "hours_per_month"),
    ("hardware", "amortisation_months"), ("rent", "usd_per_hour"), ("ops_hours_per_month",), ("ops_hourly_usd",),
    ("horizon_months",), ("latency_target_s",), ("min_quality",), ("weights", "cost"), ("sensitive_share",),
]
NUMBER_TEXTS = [".inf", "-.inf", ".nan", "1e308", "-1e308", "1e-320", "0", "-1", "1" + "0" * 400, "9" * 4400, "1_000", "0x10",
                "12.5", "3", "1e12", "1e13", "744", "745", "true", "null", "'7'", "[1]", "{a: 1}"]


def _nest(path: tuple[str, ...], value: str) -> str:
    text = f"{path[-1]}: {value}\n"
    for key in reversed(path[:-1]):
        text = f"{key}:\n" + "".join("  " + line + "\n" for line in text.splitlines())
    return text


def test_every_number_in_every_numeric_field_is_valid_and_finite_or_bad_input() -> None:
    """An exhaustive sweep (17 fields × 23 values): either a profile whose every number is finite and
    within its bound, or a FileInputError naming the line; never another exception."""
    import math

    seen = {"ok": 0, "refused": 0}
    for path in NUMERIC_PATHS:
        for value in NUMBER_TEXTS:
            text = _nest(path, value)
            try:
                p = parse_profile(text, "fuzz.yaml")
            except FileInputError as exc:
                assert exc.line is not None, (text, str(exc))
                seen["refused"] += 1
                continue
            numbers = [v for v in _leaves(p.model_dump()) if isinstance(v, (int, float)) and not isinstance(v, bool)]
            assert all(math.isfinite(v) and abs(v) <= 1e12 for v in numbers), text
            seen["ok"] += 1
    assert seen["ok"] > 50 and seen["refused"] > 150


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value
