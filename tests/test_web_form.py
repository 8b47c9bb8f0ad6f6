"""The dashboard's profile form covers every profile field the CLI accepts, and a profile survives the
round trip through the form unchanged (the built-in ones, and one with every field set)."""

from __future__ import annotations

import types
import typing

import pytest

from whichai.decide.profile import Profile, example_profiles
from whichai.web.form_labels import LABELS
from whichai.web.profile_form import form_values, profile_from_form


def leaf_paths(model: type, prefix: str = "") -> set[str]:
    """Every field path of a pydantic model, nested models and lists of entries (``*``) included."""
    from pydantic import BaseModel

    out = set()
    for name, annotation in typing.get_type_hints(model).items():
        if name not in model.model_fields:
            continue
        path = prefix + name
        union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
        args = [a for a in (typing.get_args(annotation) if union else (annotation,)) if a is not type(None)]
        inner = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        item = typing.get_args(args[0])[-1] if typing.get_origin(args[0]) in (list, dict) else None
        if inner:
            if union:
                out.add(path)  # the choice: these entries, or none (or a named option)
            out |= leaf_paths(inner[0], path + ".")
        elif isinstance(item, type) and issubclass(item, BaseModel):
            out |= leaf_paths(item, path + ".*.") | ({path + ".*._key"} if typing.get_origin(args[0]) is dict else set())
        elif typing.get_origin(args[0]) is dict:
            from whichai.criteria import CRITERION_IDS

            out |= {f"{path}.{c}" for c in CRITERION_IDS}
        else:
            out.add(path)
    return out


def params_of(profile: Profile) -> dict[str, str]:
    fields, values = form_values(profile)
    return {f.path: values[f.path] for f in fields}


def test_every_profile_field_has_an_input_and_a_label_in_both_languages():
    fields, _ = form_values(Profile())
    keys = {f.key for f in fields}
    expected = leaf_paths(Profile)
    assert expected <= keys, sorted(expected - keys)
    missing = sorted(k for k in keys if k not in LABELS)
    assert not missing, f"profile fields without a form label: {missing}"
    for key in keys:
        en, id_ = LABELS[key]
        assert en and id_


@pytest.mark.parametrize("name", sorted(example_profiles()))
def test_builtin_profiles_survive_the_form(name):
    profile = example_profiles()[name]
    assert profile_from_form(Profile(), params_of(profile)) == profile


def rich_profile() -> Profile:
    data = Profile().model_dump(mode="json")
    hardware = dict(data["hardware"] or {})
    hardware.update(cpu_cores=32, ram_gb=256, purchase_usd=40_000, power_watts=900,
                    gpus=[{"name": "NVIDIA A100 80GB", "memory_gb": 80, "count": 2},
                          {"name": "RTX 4090", "memory_gb": 24, "count": 1, "memory_bandwidth_gbps": 1008}])
    data.update(hardware=hardware, ops_hours_per_month=6, ops_hourly_rate_usd=45, languages=["id", "en"],
                weights={"cost": 3, "security": 2, "performance": 1}, budget_usd_per_month=750, min_quality=0.7,
                rent={**(data["rent"] or {}), "usd_per_hour": 1.8, "always_on": True})
    fields = Profile.model_fields
    if "horizon_months" in fields:
        data["horizon_months"] = 12
    if "prices" in fields:
        data["prices"] = {"openai/gpt-4o-mini": {"input": 0.12, "output": 0.5, "source": "our contract"}}
    if "capacity" in fields:
        data["capacity"] = [{"model": "meta/llama-3.1-8b", "tokens_per_s": 900, "source": "vllm bench on our A100"}]
    return Profile.model_validate(data)


def test_a_profile_with_every_kind_of_field_survives_the_form():
    profile = rich_profile()
    params = params_of(profile)
    assert params["hardware.gpus.1.memory_bandwidth_gbps"] == "1008" and params["hardware.gpus.2.name"] == ""
    assert params["weights.cost"] == "3" and params["weights.support"] == ""
    assert profile_from_form(Profile(), params) == profile


def test_the_form_adds_and_removes_gpu_rows_and_switches_the_hardware_off():
    params = params_of(rich_profile())
    params.update({"hardware.gpus.0.name": "", "hardware.gpus.0.memory_gb": "", "hardware.gpus.0.count": "",
                   "hardware.gpus.2.name": "L4", "hardware.gpus.2.memory_gb": "24", "hardware.gpus.2.count": "4"})
    got = profile_from_form(Profile(), params)
    assert [(g.name, g.count) for g in got.hardware.gpus] == [("RTX 4090", 1), ("L4", 4)]
    params["hardware"] = "none"
    assert profile_from_form(Profile(), params).hardware is None


def test_bad_values_name_the_field():
    from whichai.errors import InputError

    for path, value, words in [("volume.requests_per_month", "lots", "not a number"),
                               ("hardware.cpu_cores", "2.5", "whole number"),
                               ("data_may_go", "mars", "not one of"),
                               ("min_quality", "7", "min_quality")]:
        with pytest.raises(InputError, match=words):
            profile_from_form(Profile(), {path: value})
