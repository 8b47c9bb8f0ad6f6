"""Rebuild the shipped catalog (src/whichai/catalog/data/catalog.json.gz) from ../shared/data.

    python tools/build_catalog.py [--data DIR]

The snapshot dates are those of the upstream copies in DIR/README.md; pass newer ones with
``whichai catalog refresh`` when refreshing from a newer upstream copy.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from whichai.catalog.build import SHIPPED, build_catalog, write_catalog  # noqa: E402

SNAPSHOTS = {"osai-index": "2026-06-12", "mof": "2026-05-11", "models.dev": "2026-07-02"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    parser.add_argument("--out", default=str(SHIPPED))
    args = parser.parse_args()
    data = Path(args.data)
    doc = build_catalog(data / "osai-index", data / "model-openness-tool", data / "models-dev", SNAPSHOTS)
    path = write_catalog(doc, Path(args.out))
    counts = {}
    for e in doc["entries"]:
        counts[e["openness"]] = counts.get(e["openness"], 0) + 1
    print(f"{path}: {len(doc['entries'])} entries {counts}, {len(doc['issues'])} issues, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
