"""Issue 22 (low): files written through a predictable ``.tmp`` name could be redirected by a planted
symlink. The dashboard's profile save (like the report, the tune export and the tune checkpoint) now
writes through ``tempfile.mkstemp`` in the target's folder, then ``os.replace``."""

from __future__ import annotations

import os

from whichai.decide.profile import Profile, load_profile, saved_profiles_dir


def test_a_planted_tmp_symlink_neither_redirects_nor_blocks_a_profile_save(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WHICHAI_DATA_DIR", str(tmp_path / "data"))
    from whichai.web.profiles import save

    folder = saved_profiles_dir()
    folder.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (folder / ".shop.yaml.tmp").symlink_to(victim)  # the name the old code wrote through
    path = save(Profile(team_skill="strong"), "shop")
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not path.is_symlink() and load_profile("shop").team_skill == "strong"
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    leftovers = [p.name for p in folder.iterdir() if p.name not in ("shop.yaml", ".shop.yaml.tmp")]
    assert leftovers == [], leftovers
    assert os.path.islink(folder / ".shop.yaml.tmp")  # untouched: never followed, never replaced
