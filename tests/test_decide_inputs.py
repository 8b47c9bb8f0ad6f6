"""Where decide's inputs come from: ``--profile NAME`` also finds the profiles saved through the
dashboard (by name, never following a link planted there), and a user's catalog file is read as
safely as every other user YAML file (size cap, alias bombs, regular files only)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from whichai import app
from whichai.catalog import load_catalog
from whichai.decide.profile import Profile, load_profile, profile_names, saved_profiles_dir
from whichai.errors import FileInputError, InputError


def _save(name: str, **fields) -> Path:
    from whichai.web.profiles import save  # the dashboard's own save

    return save(Profile(**fields), name)


def test_a_profile_saved_through_the_dashboard_loads_by_name(env) -> None:
    path = _save("my-team", team_skill="strong", budget_usd_per_month=321)
    assert path.parent == saved_profiles_dir()
    found = load_profile("my-team")
    assert found.name == "my-team" and found.team_skill == "strong" and found.budget_usd_per_month == 321
    assert app.load_needs("my-team") == found
    assert "my-team" in profile_names()
    with pytest.raises(InputError, match="Did you mean 'my-team'"):
        app.load_needs("my-tem")


def test_recommend_profile_name_finds_the_saved_profile(cli, env) -> None:
    _save("lab-box", min_openness="open-source")
    proc = cli("recommend", "--profile", "lab-box", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["profile"]["name"] == "lab-box" and doc["verdict"] == "open-source"


def test_builtin_names_come_first_and_paths_still_work(env, tmp_path: Path) -> None:
    folder = saved_profiles_dir()
    folder.mkdir(parents=True)
    (folder / "research-lab.yaml").write_text("name: impostor\nteam_skill: none\n", encoding="utf-8")
    assert load_profile("research-lab").name == "research-lab"  # the built-in one
    mine = tmp_path / "mine.yaml"
    mine.write_text("name: from-a-path\n", encoding="utf-8")
    assert load_profile(str(mine)).name == "from-a-path"


def test_a_link_or_a_fifo_planted_in_the_profiles_folder_is_not_read(env, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: secret\n", encoding="utf-8")
    folder = saved_profiles_dir()
    folder.mkdir(parents=True)
    os.symlink(secret, folder / "linked.yaml")
    os.mkfifo(folder / "piped.yaml")
    for name in ("linked", "piped"):
        with pytest.raises(InputError, match="no profile named"):
            load_profile(name)
    assert "linked" not in profile_names() and "piped" not in profile_names()


def test_a_bad_saved_profile_names_its_file_and_line(env) -> None:
    folder = saved_profiles_dir()
    folder.mkdir(parents=True)
    (folder / "broken.yaml").write_text("name: broken\nteam_skil: none\n", encoding="utf-8")
    with pytest.raises(FileInputError) as info:
        load_profile("broken")
    text = str(info.value)
    assert "broken.yaml" in text and "2" in text and "team_skill" in text


# --- the user's catalog file ---------------------------------------------------------------------------


def test_a_catalog_file_with_an_alias_bomb_is_refused_with_its_line(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]")
    lines.append("models: []")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FileInputError) as info:
        load_catalog(bomb)
    assert "bomb.yaml" in str(info.value) and "alias" in str(info.value)


def test_a_catalog_file_that_is_too_big_or_not_a_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("models: []\n# " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(FileInputError, match="more than"):
        load_catalog(big)
    with pytest.raises(FileInputError, match="directory"):
        load_catalog(tmp_path)


def test_a_good_catalog_file_still_adds_an_entry(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "as_of: 2026-11-01\nmodels:\n  - id: acme/house-7b\n    name: House 7B\n    provider: ACME\n    openness: open-weights\n"
        "    params_b: 7\n    lifecycle: {status: active, shutdown_date: 2027-06-30}\n",
        encoding="utf-8",
    )
    found = load_catalog(path).find_raw("acme/house-7b")
    assert found is not None and found["params_b"] == 7 and found["lifecycle"]["shutdown_date"] == "2027-06-30"
