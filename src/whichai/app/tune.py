"""``whichai tune``: fine-tune an open model on the user's examples, export it as ``local/tuned:NAME``,
then measure base and tune on the held-out cases through the runner and compare them (McNemar).

Order of work: every input is checked (extra installed, base open and on this machine, examples enough,
memory enough) before anything is written; then training (resumed from the tune's checkpoint when one with
the same base, examples and hyper-parameters exists), export, lineage, measurement.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whichai.errors import ConfigError, InputError
from whichai.tune.lineage import Lineage

if TYPE_CHECKING:
    from whichai.tune.train import TuneKey

TUNED_PREFIX = "local/tuned:"


@dataclass
class TuneRequest:
    base: str
    task: str
    train_file: str | None = None
    split: float = 0.5
    epochs: int = 3
    rank: int = 8
    learning_rate: float = 5e-4
    name: str | None = None
    max_steps: int | None = None  # stop this call after N steps (the checkpoint is kept; run again to resume)
    restart: bool = False
    max_tokens: int = 32  # answer length when measuring
    config: str | None = None
    db: str | None = None


@dataclass
class TuneResult:
    name: str
    model_id: str
    base: str
    folder: str
    steps: int
    total_steps: int
    resumed_from: int
    finished: bool
    train_seconds: float
    losses: list[float] = field(default_factory=list)
    lineage: Lineage | None = None
    run_id: str | None = None
    pass_rates: dict[str, dict[str, Any]] = field(default_factory=dict)  # model -> {passed, cases, rate}
    comparison: dict[str, Any] | None = None


def base_gguf(base: str) -> Path:
    """The GGUF file of an open base model on this machine; a clear error for a closed or remote one."""
    from whichai.providers.registry import split_model_id

    prefix, model = split_model_id(base)
    if prefix == "local" and not model.startswith("tuned:"):
        from whichai.providers.local import check_gguf

        return check_gguf(model)
    from whichai.catalog import load_catalog

    raw = load_catalog().find_raw(base)
    if raw and raw.get("openness") == "closed":
        raise ConfigError(f"{base} is a closed model: its weights are not published, so it cannot be tuned here. "
                          "Fix: tune an open model, e.g. whichai tune local/smollm2-135m-instruct (or its vendor's own fine-tuning service).")
    raise ConfigError(f"{base}: tuning needs the model's weights on this machine as a GGUF file. "
                      "Fix: pass local/PATH/TO/MODEL.gguf, local/hf:OWNER/REPO:QUANT, or local/smollm2-135m-instruct.")


def default_name(task_name: str, base: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{task_name}-{base.rsplit('/', 1)[-1]}").strip("-.")
    return (slug or "tune")[:64]


def prepare(req: TuneRequest):
    """Every check before anything is written: (base file, split, hyper-parameters, name, key)."""
    from whichai.tasks.loader import load_file, load_task
    from whichai.tune import export, train
    from whichai.tune.examples import split_task
    from whichai.tune.lineage import check_name

    train.check_installed()
    if req.epochs < 1 or req.rank < 1:
        raise InputError("--epochs and --rank must be at least 1. Fix: e.g. --epochs 3 --rank 8.")
    path = base_gguf(req.base)
    export.check_exportable(path)
    train.check_memory(train.gguf_parameters(path))
    task = load_task(req.task)
    split = split_task(task, load_file(req.train_file) if req.train_file else None, req.split)
    hyper = train.Hyper(epochs=req.epochs, rank=req.rank, alpha=2 * req.rank, learning_rate=req.learning_rate)
    name = check_name(req.name or default_name(task.name, req.base))
    key: TuneKey = {"base": req.base, "examples": split.examples_hash(), "hyper": hyper.key()}
    return path, split, hyper, name, key


def _check_folder(folder: Path, key: TuneKey, restart: bool) -> None:
    from whichai.tune.train import CHECKPOINT, read_checkpoint

    saved = read_checkpoint(folder)
    if saved is None or saved.key == key:
        return
    if not restart:
        raise InputError(f"a different tune is already saved as {folder.name} (other base, examples or settings). "
                         "Fix: choose another --name, or pass --restart to replace it.")
    (folder / CHECKPOINT).unlink()


def tune(req: TuneRequest, report: Callable | None = None, on_measure: Callable | None = None) -> TuneResult:
    """Train (or resume), export, record lineage, and measure base vs tune on the held-out cases."""
    from whichai.tune import lineage, train

    path, split, hyper, name, key = prepare(req)
    folder = lineage.tune_dir(name)
    folder.mkdir(parents=True, exist_ok=True)
    _check_folder(folder, key, req.restart)
    model, tokenizer = train.load_base(path)
    peft_model, progress = train.train(model, tokenizer, split.train, hyper, folder, key,
                                       max_steps=req.max_steps, report=report)
    result = TuneResult(name=name, model_id=TUNED_PREFIX + name, base=req.base, folder=str(folder), steps=progress.step,
                        total_steps=progress.total, resumed_from=progress.resumed_from, finished=progress.finished,
                        train_seconds=round(progress.seconds, 1), losses=progress.losses)
    if not progress.finished:
        return result
    result.lineage = _export(peft_model, path, folder, name, req, split, hyper, progress)
    _measure(req, _tagged(split.held_out, key), result, on_measure)
    result.lineage.measured = {"run_id": result.run_id, "pass_rates": result.pass_rates, "comparison": result.comparison}
    result.lineage.save(folder)
    return result


def _export(peft_model, path: Path, folder: Path, name: str, req: TuneRequest, split, hyper, progress) -> Lineage:
    from datetime import datetime

    from whichai.tune import export, lineage, train

    peft_model.save_pretrained(str(folder / "adapter"), save_embedding_layers=False)
    export.write_gguf(path, export.merged_tensors(peft_model, hyper.targets), folder / lineage.GGUF_NAME, name)
    dev = train.device()
    wh, basis = lineage.energy(progress.seconds, progress.cpu_seconds, dev)
    import torch

    record = Lineage(name=name, model_id=TUNED_PREFIX + name, base=req.base, task=split.held_out.name.removesuffix(" (held out)"), task_ref=req.task,
                     examples=len(split.train), examples_hash=split.examples_hash(), hyper=hyper.key(), device=dev,
                     threads=torch.get_num_threads(), train_seconds=round(progress.seconds, 1),
                     train_cpu_seconds=round(progress.cpu_seconds, 1), energy_wh=wh,
                     energy_basis=basis, steps=progress.step, final_loss=progress.losses[-1] if progress.losses else None,
                     created_at=datetime.now(UTC).isoformat(timespec="seconds"))
    record.save(folder)
    return record


def _tagged(held_out, key: TuneKey):
    """The held-out cases tagged with the tune's identity, so that the measuring run's identity (which
    hashes the cases) changes when a tune under the same name is replaced (--restart): the runner must not
    reuse the old tune's answers."""
    import hashlib
    import json

    tag = "tune:" + hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]
    return held_out.model_copy(update={"cases": [c.model_copy(update={"tags": [*c.tags, tag]}) for c in held_out.cases]})


def _measure(req: TuneRequest, held_out, result: TuneResult, on_measure: Callable | None) -> None:
    """Base and tune on the held-out cases, through the runner, stored like any run; then the paired test."""
    from whichai.config import load_config
    from whichai.measure.comparisons import compare_pair
    from whichai.measure.metrics import case_outcomes
    from whichai.measure.runner import Runner, RunPlan
    from whichai.paths import default_db_path
    from whichai.providers.base import GenerationSettings
    from whichai.providers.registry import Registry
    from whichai.store import Store

    registry = Registry(load_config(req.config))
    models = [req.base, result.model_id]
    plan = RunPlan(task=held_out, models=models, settings=GenerationSettings(max_tokens=req.max_tokens, temperature=0.0, seed=0))
    store = Store.open(req.db or default_db_path())
    runner = Runner(store, registry, on_result=on_measure)

    async def go():
        try:
            return await runner.run(plan)
        finally:
            await registry.aclose()

    started = time.perf_counter()
    outcome = asyncio.run(go())
    outcomes = case_outcomes(store, outcome.run_id)
    result.run_id = outcome.run_id
    for model in models:
        got = outcomes.get(model, {})
        passed = sum(got.values())
        result.pass_rates[model] = {"passed": passed, "cases": len(got), "rate": round(passed / len(got), 4) if got else None}
    compared = compare_pair(result.model_id, req.base, outcomes.get(result.model_id, {}), outcomes.get(req.base, {}))
    result.comparison = {**compared.to_json(), "measure_seconds": round(time.perf_counter() - started, 1)}
