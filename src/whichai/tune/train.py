"""The LoRA training loop: torch, transformers and peft, imported here only when a tune runs.

Batch size 1, examples in a seeded order per epoch, so that step ``s`` is the same example whether the run
went straight through or was resumed. The loss counts the answer's tokens only (the prompt is masked). A
checkpoint (adapter weights, optimizer state, step, losses, time so far) is written every ``save_every``
steps, at each epoch's end, and when the run is interrupted; the same command resumes from it.
"""

from __future__ import annotations

import importlib.util
import os
import random
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TypedDict

from whichai.errors import ConfigError
from whichai.tune.examples import Example

CHECKPOINT = "checkpoint.pt"
INSTALL_FIX = "Fix: pip install 'whichai[tune]' (on a machine without a GPU: pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu first)."
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


@dataclass(frozen=True)
class Hyper:
    epochs: int = 3
    rank: int = 8
    alpha: int = 16
    learning_rate: float = 5e-4
    seed: int = 0
    targets: tuple[str, ...] = tuple(TARGETS)

    def key(self) -> dict[str, object]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


@dataclass
class Progress:
    """Where a training run stands (what the checkpoint holds besides the tensors)."""

    step: int = 0
    total: int = 0
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # process CPU time (all threads): the honest figure on a shared machine
    resumed_from: int = 0
    finished: bool = False


Report = Callable[[Progress], None]


class TuneKey(TypedDict):
    """What a training run is of: its checkpoint is resumed only under the same key."""

    base: str
    examples: str  # the training examples' hash
    hyper: dict[str, object]  # Hyper.key()


@dataclass(frozen=True)
class Checkpoint:
    """A saved training state (``checkpoint.pt``): the adapter's and the optimizer's state dicts (torch
    tensors by name), where training stood, and the run's key."""

    adapter: Mapping[str, object]
    optimizer: Mapping[str, object]
    progress: Progress
    key: TuneKey


def check_installed() -> None:
    missing = [m for m in ("torch", "transformers", "peft", "gguf") if importlib.util.find_spec(m) is None]
    if missing:
        raise ConfigError(f"tuning needs {', '.join(missing)}, not installed. {INSTALL_FIX}")


def device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def gguf_parameters(path: Path) -> int:
    """Parameters of a GGUF model, counted from its tensor shapes (no weights read)."""
    from gguf import GGUFReader

    return int(sum(int(t.n_elements) for t in GGUFReader(str(path)).tensors))


def available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def check_memory(parameters: int) -> None:
    """Refuse a base that cannot train here: float32 weights, twice over for activations and the merge."""
    need = parameters * 4 * 2 + 512 * 2**20
    have = available_memory()
    if have is not None and need > have:
        raise ConfigError(f"the base has {parameters / 1e9:.2f} B parameters: training it in float32 needs about "
                          f"{need / 2**30:.1f} GiB of memory, this machine has {have / 2**30:.1f} GiB free. "
                          "Fix: tune a smaller open model, or run on a machine with more memory (or a GPU).")


def load_base(gguf_path: Path):
    """The base model (float32, dequantised from the GGUF) and its tokenizer."""
    os.environ.setdefault("TQDM_DISABLE", "1")  # tqdm reads it when first imported: the de-quantisation bar is not ours
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(gguf_path.parent), gguf_file=gguf_path.name)
        model = AutoModelForCausalLM.from_pretrained(str(gguf_path.parent), gguf_file=gguf_path.name, dtype=torch.float32)
    except (ValueError, OSError, KeyError, NotImplementedError) as exc:
        raise ConfigError(f"transformers could not read {gguf_path} ({type(exc).__name__}: {exc}). "
                          "Fix: tune a GGUF of an architecture transformers reads (llama, mistral, qwen2, ...).") from exc
    return model, tokenizer


def encode(tokenizer, example: Example) -> tuple[list[int], list[int]]:
    """Token ids of prompt + answer, and labels with the prompt masked (-100)."""
    prompt = tokenizer.apply_chat_template(example.messages, tokenize=False, add_generation_prompt=True)
    target = example.answer + (tokenizer.eos_token or "")
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    target_ids = tokenizer(target, add_special_tokens=False)["input_ids"]
    return prompt_ids + target_ids, [-100] * len(prompt_ids) + target_ids


def _order(n: int, epoch: int, seed: int) -> list[int]:
    order = list(range(n))
    random.Random(seed * 1000 + epoch).shuffle(order)
    return order


def _save(folder: Path, model, optimizer, progress: Progress, key: TuneKey) -> None:
    import torch
    from peft import get_peft_model_state_dict

    # a new, unpredictable name created exclusively (never a planted .tmp symlink), then os.replace
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{CHECKPOINT}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            torch.save({"adapter": get_peft_model_state_dict(model, save_embedding_layers=False), "optimizer": optimizer.state_dict(),
                        "progress": asdict(progress), "key": key}, handle)
        os.replace(tmp, folder / CHECKPOINT)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_checkpoint(folder: Path) -> Checkpoint | None:
    path = folder / CHECKPOINT
    if not path.is_file():
        return None
    import torch

    saved = torch.load(path, map_location="cpu", weights_only=False)  # what _save wrote
    return Checkpoint(saved["adapter"], saved["optimizer"], Progress(**saved["progress"]), saved["key"])


def train(model, tokenizer, examples: list[Example], hyper: Hyper, folder: Path, key: TuneKey, *,
          max_steps: int | None = None, save_every: int = 10, report: Report | None = None):
    """Train a LoRA on ``model`` (resuming from ``folder``'s checkpoint when its key matches); returns the
    peft model and the progress. ``max_steps`` stops this call after that many steps, checkpoint kept."""
    import torch
    from peft import LoraConfig, get_peft_model, set_peft_model_state_dict

    torch.manual_seed(hyper.seed)
    dev = device()
    lora = LoraConfig(r=hyper.rank, lora_alpha=hyper.alpha, lora_dropout=0.0, target_modules=list(hyper.targets), task_type="CAUSAL_LM")
    model = get_peft_model(model, lora).to(dev)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=hyper.learning_rate)
    progress = Progress(total=hyper.epochs * len(examples))
    saved = read_checkpoint(folder)
    if saved is not None and saved.key == key:
        set_peft_model_state_dict(model, saved.adapter)
        optimizer.load_state_dict(saved.optimizer)
        progress = replace(saved.progress, resumed_from=saved.progress.step)
    encoded = [encode(tokenizer, e) for e in examples]
    _loop(model, optimizer, encoded, hyper, folder, key, progress, max_steps, save_every, report)
    return model, progress


def _loop(model, optimizer, encoded, hyper, folder, key, progress: Progress, max_steps, save_every, report) -> None:
    import torch

    dev = next(model.parameters()).device
    model.train()
    n = len(encoded)
    began, before, done_now = time.monotonic(), progress.seconds, 0
    cpu_began, cpu_before = time.process_time(), progress.cpu_seconds
    try:
        while progress.step < progress.total and (max_steps is None or done_now < max_steps):
            epoch, index = divmod(progress.step, n)
            ids, labels = encoded[_order(n, epoch, hyper.seed)[index]]
            out = model(input_ids=torch.tensor([ids], device=dev), labels=torch.tensor([labels], device=dev))
            out.loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            progress.step += 1
            done_now += 1
            progress.losses.append(round(float(out.loss.detach()), 4))
            progress.seconds = before + time.monotonic() - began
            progress.cpu_seconds = cpu_before + time.process_time() - cpu_began
            if progress.step % save_every == 0 or progress.step % n == 0:
                _save(folder, model, optimizer, progress, key)
            if report:
                report(progress)
    except KeyboardInterrupt:
        progress.seconds = before + time.monotonic() - began
        progress.cpu_seconds = cpu_before + time.process_time() - cpu_began
        _save(folder, model, optimizer, progress, key)
        raise
    progress.finished = progress.step >= progress.total
    _save(folder, model, optimizer, progress, key)
