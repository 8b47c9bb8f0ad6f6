"""Rebuild the shipped catalog (src/whichai/catalog/data/catalog.json.gz) from ../shared/data.

    python tools/build_catalog.py [--data DIR] [--out FILE] [--day YYYY-MM-DD]

The snapshot dates are those of the upstream copies in DIR/README.md; pass newer ones with
``whichai catalog refresh`` when refreshing from a newer upstream copy. ``--day`` is the date the
lifecycle counts and the check are reported for (default: today); the catalog itself stores the
announced lifecycle facts, and statuses are evaluated when it is read (lifecycle.evaluate). Prints the counts and the check result;
exits 1 when `whichai catalog check` would find an error.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from whichai.catalog.build import SHIPPED, build_catalog, write_catalog  # noqa: E402
from whichai.catalog.checks import run_checks  # noqa: E402

SNAPSHOTS = {"osai-index": "2026-06-12", "mof": "2026-05-11", "models.dev": "2026-07-02"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    parser.add_argument("--out", default=str(SHIPPED))
    parser.add_argument("--day", default=None, help="date the lifecycle counts and the check are reported for (default: today)")
    args = parser.parse_args()
    data = Path(args.data)
    doc = build_catalog(data / "osai-index", data / "model-openness-tool", data / "models-dev", SNAPSHOTS, day=args.day)
    path = write_catalog(doc, Path(args.out))
    day = date.fromisoformat(args.day) if args.day else None
    findings = Counter(f["level"] for f in run_checks(doc, day))  # evaluates every lifecycle on that day
    openness = Counter(e["openness"] for e in doc["entries"])
    status = Counter(e["lifecycle"]["status"] for e in doc["entries"])
    print(f"{path}: {len(doc['entries'])} entries {dict(openness)}, {doc['counts']['offers']} offers, "
          f"lifecycle {dict(status)}, {len(doc['issues'])} build issues, check {dict(findings)}, {path.stat().st_size} bytes")
    return 1 if findings.get("error") else 0


if __name__ == "__main__":
    sys.exit(main())
