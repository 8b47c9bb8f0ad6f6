"""Where a tune lives and what it came from.

Each tune is a folder ``<user data dir>/tunes/<NAME>/``: ``checkpoint.pt`` while training (adapter,
optimizer state, step), ``adapter/`` (the LoRA weights), ``tuned.gguf`` (base + LoRA merged; the model
``local/tuned:NAME``) and ``lineage.json`` (base, examples' hash, hyper-parameters, training time, energy).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whichai.errors import InputError
from whichai.paths import data_dir

GGUF_NAME = "tuned.gguf"
LINEAGE_NAME = "lineage.json"
# Energy is an estimate, not a meter reading: training time × the stated draw of the device.
WATTS = {"cpu": 65.0, "cuda": 350.0}  # a desktop CPU package under load; an H100 PCIe board at its limit
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise InputError(f"--name {name!r}: a tune name is 1-64 letters, digits, '.', '_' or '-'. Fix: e.g. --name reviews-v1.")
    return name


def tunes_dir() -> Path:
    return data_dir() / "tunes"


def tune_dir(name: str) -> Path:
    return tunes_dir() / check_name(name)


@dataclass
class Lineage:
    name: str
    model_id: str  # local/tuned:NAME
    base: str
    task: str
    examples: int
    examples_hash: str
    hyper: dict[str, Any]
    device: str
    threads: int
    train_seconds: float
    train_cpu_seconds: float
    energy_wh: float
    energy_basis: str
    steps: int
    final_loss: float | None
    created_at: str
    measured: dict[str, Any] = field(default_factory=dict)  # base and tuned pass rates on the held-out cases
    task_ref: str = ""  # the --task argument as given (a built-in name or a task file)

    def save(self, folder: Path) -> None:
        (folder / LINEAGE_NAME).write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False), "utf-8")


def energy(seconds: float, cpu_seconds: float, device: str) -> tuple[float, str]:
    """Watt-hours, estimated: on a GPU its wall time × the board's draw; on a CPU the process's CPU time ×
    the package's draw per core (on a machine shared with other work, wall time would charge it theirs)."""
    if device.startswith("cuda"):
        return round(seconds * WATTS["cuda"] / 3600.0, 3), f"estimate: {seconds:.0f} s × {WATTS['cuda']:.0f} W ({device})"
    cores = os.cpu_count() or 1
    per_core = WATTS["cpu"] / cores
    return round(cpu_seconds * per_core / 3600.0, 3), f"estimate: {cpu_seconds:.0f} CPU-s × {per_core:.1f} W per core ({WATTS['cpu']:.0f} W / {cores} cores)"


def read(folder: Path) -> Lineage | None:
    try:
        return Lineage(**json.loads((folder / LINEAGE_NAME).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def list_tunes(root: Path | None = None) -> list[Lineage]:
    """Every finished tune (one with its GGUF and lineage), by name; ``root``: the user's tunes folder by default."""
    root = tunes_dir() if root is None else root
    if not root.is_dir():
        return []
    found = [read(d) for d in sorted(root.iterdir()) if (d / GGUF_NAME).is_file()]
    return [f for f in found if f is not None]


@dataclass(frozen=True)
class TuneEvidence:
    """What a measured tune says about customising its base: pass rates on the held-out cases, McNemar."""

    model_id: str
    task: str
    base_rate: float
    tuned_rate: float
    cases: int
    p_value: float
    raised: bool  # the tune passed significantly more held-out cases than its base (p < 0.05)
    train_seconds: float = 0.0
    train_cpu_seconds: float = 0.0
    device: str = "cpu"
    energy_wh: float = 0.0


def matches_task(t: Lineage, task: str) -> bool:
    """Whether a tune was measured on the decision's task: its name, or the --task it was given (a
    file named with or without its folder)."""
    refs = {t.task, t.task_ref} - {""}
    return task in refs or any(Path(ref).name == Path(task).name for ref in refs if "/" in ref or "/" in task)


def evidence_for(base: str, task: str | None, root: Path | None = None) -> TuneEvidence | None:
    """The best measured tune of ``base`` on ``task`` (highest held-out pass rate), or None. A tune
    measured on another task says nothing about this one, so with no task there is none. ``root``: the
    tunes folder (the user's by default)."""
    if not task:
        return None
    found = []
    for t in list_tunes(root):
        rates, comparison = (t.measured or {}).get("pass_rates") or {}, (t.measured or {}).get("comparison") or {}
        if t.base != base or base not in rates or t.model_id not in rates or not comparison.get("cases") or not matches_task(t, task):
            continue
        found.append(TuneEvidence(model_id=t.model_id, task=t.task, base_rate=rates[base]["rate"] or 0.0,
                                  tuned_rate=rates[t.model_id]["rate"] or 0.0, cases=comparison["cases"],
                                  p_value=comparison["p_value"], raised=comparison.get("better") == t.model_id,
                                  train_seconds=t.train_seconds, train_cpu_seconds=t.train_cpu_seconds,
                                  device=t.device, energy_wh=t.energy_wh))
    return max(found, key=lambda e: (e.raised, e.tuned_rate), default=None)
