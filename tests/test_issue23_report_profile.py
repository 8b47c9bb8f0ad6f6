"""Issue 23, finding 5: a run remembers the profile it was decided with; its report and the dashboard
show that decision unless told otherwise, and a report is never overwritten silently."""

from __future__ import annotations

import json

from report_sample import make_sample_run

from whichai.app import remember_run_profile, run_profile, write_report
from whichai.decide.profile import parse_profile

RUN = "a1b2c3d4e5f6sample"
SHOP = "name: toko-online\nlanguages: [en, id]\ndata_may_go: nowhere\ndeployment: on-premises\nhardware: {ram_gb: 16}\n"


def test_report_shows_the_runs_own_profile_and_never_overwrites(tmp_path, cli, env):
    db = tmp_path / "whichai.db"
    store = make_sample_run(db)
    remember_run_profile(store, RUN, parse_profile(SHOP, "shop.yaml"))
    assert run_profile(store, RUN).name == "toko-online"
    first = write_report(store, RUN, fmt="json")
    second = write_report(store, RUN, fmt="json")
    assert first != second and first.exists() and second.exists()  # a new name, not an overwrite
    store.close()
    shown = cli("report", RUN[:8], "--format", "json", "--out", "-", "--db", str(db), timeout=120)
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert '"toko-online"' in json.dumps(document)
    other = cli("report", RUN[:8], "--format", "json", "--out", "-", "--db", str(db), "--profile", "default", timeout=120)
    assert other.returncode == 0 and '"toko-online"' not in other.stdout  # told otherwise
    out = tmp_path / "r.json"
    assert cli("report", RUN[:8], "--format", "json", "--out", str(out), "--db", str(db), timeout=120).returncode == 0
    again = cli("report", RUN[:8], "--format", "json", "--out", str(out), "--db", str(db), timeout=120)
    assert again.returncode == 2 and "Fix:" in again.stderr and "--force" in again.stderr
