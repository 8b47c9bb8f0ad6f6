"""Memory needed to run an open model, and whether it fits a described machine.

memory = weights + KV cache + runtime overhead, in GB (10^9 bytes):

- **weights** = parameters x bits per weight / 8. 4.5 bits is a typical 4-bit GGUF (Q4_K_M
  carries scales, ~4.5-4.8 bits); 16 for fp16/bf16; 8.5 for Q8_0.
- **KV cache** = 2 (keys and values) x layers x K/V width x context tokens x 2 bytes (fp16).
  ``hidden`` is that K/V width: the hidden size for classic multi-head attention, or
  KV heads x head size with grouped-query attention (GQA). When layers / width are not given
  they are estimated from the parameter count (params ~= 12 x layers x hidden^2 with
  layers ~= hidden / 128) and GQA with a quarter of the heads is assumed (Llama-2-7B: 32 of
  32 heads; Llama-3-8B: 8 of 32; Llama-3-70B: 8 of 64), i.e. width = hidden / 4.
- **overhead** = 0.5 GB (runtime, compute buffers) + 10 % of the weights.

A model fits GPUs when the sum of their memory covers the need (layers split across cards);
else it fits RAM when ``RAM_SHARE`` (75 %) of the RAM covers it (CPU inference, slower; the
operating system and other programs keep the rest). :func:`fit_memory` is the one fit rule: the
catalog (``whichai models --fits-ram``), decide and the report all call it.

:func:`this_machine` reads the RAM and CPU cores of the machine whichai runs on (a profile's
``hardware: this-machine``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whichai.catalog.schema import ModelEntry

import os
from dataclasses import dataclass

RAM_SHARE = 0.75  # share of RAM a model may take on a machine that also runs other things


@dataclass(frozen=True)
class Fit:
    """Where a model fits: ``"gpu"``, ``"cpu"`` (in RAM) or None, and the memory compared."""

    where: str | None
    need_gb: float
    have_gb: float  # the memory it was compared with: GPU total when it fits there, else the RAM share

    @property
    def ok(self) -> bool:
        return self.where is not None


def fit_memory(need_gb: float, ram_gb: float | None = None, gpu_gb: float | None = None) -> Fit:
    """The one fit rule: on the GPUs when their memory covers ``need_gb``, else in RAM_SHARE of RAM."""
    if gpu_gb and need_gb <= gpu_gb:
        return Fit("gpu", need_gb, gpu_gb)
    ram_share = RAM_SHARE * ram_gb if ram_gb else 0.0
    if ram_gb and need_gb <= ram_share:
        return Fit("cpu", need_gb, ram_share)
    return Fit(None, need_gb, max(gpu_gb or 0.0, ram_share))


def this_machine() -> dict[str, float | int]:
    """RAM (GB) and CPU cores of this machine; raises OSError when the RAM cannot be read."""
    cores = os.cpu_count() or 1
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        ram = _windows_ram()
    return {"ram_gb": round(ram / 1e9, 1), "cpu_cores": cores}


def _windows_ram() -> int:
    import ctypes

    class _Status(ctypes.Structure):
        _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong), ("ullTotalPhys", ctypes.c_ulonglong),
                    ("ullAvailPhys", ctypes.c_ulonglong), ("ullTotalPageFile", ctypes.c_ulonglong),
                    ("ullAvailPageFile", ctypes.c_ulonglong), ("ullTotalVirtual", ctypes.c_ulonglong),
                    ("ullAvailVirtual", ctypes.c_ulonglong), ("ullAvailExtendedVirtual", ctypes.c_ulonglong)]

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        raise OSError("cannot read the size of this machine's RAM")
    status = _Status()
    status.dwLength = ctypes.sizeof(_Status)
    if not windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
        raise OSError("cannot read the size of this machine's RAM")
    return int(status.ullTotalPhys)


def kv_cache_gb(params_b: float, context_tokens: int, n_layers: int | None = None, hidden: int | None = None) -> float:
    if n_layers is None or hidden is None:
        est_hidden = (params_b * 1e9 * 128 / 12) ** (1 / 3)
        hidden = hidden or int(est_hidden / 4)
        n_layers = n_layers or max(1, round(est_hidden / 128))
    return 2 * n_layers * hidden * context_tokens * 2 / 1e9


def memory_needed_gb(
    params_b: float,
    bits_per_weight: float = 4.5,
    context_tokens: int = 4096,
    n_layers: int | None = None,
    hidden: int | None = None,
) -> float:
    """GB needed to run a model of ``params_b`` billion parameters (see the module docstring)."""
    if params_b is None or params_b <= 0:
        raise ValueError("params_b must be a positive number of billions of parameters")
    weights = params_b * 1e9 * bits_per_weight / 8 / 1e9
    overhead = 0.5 + 0.1 * weights
    return round(weights + kv_cache_gb(params_b, context_tokens, n_layers, hidden) + overhead, 2)


def _field(entry: dict[str, Any] | ModelEntry, key: str, default: object = None) -> Any:
    """A field of a raw catalog entry or of a :class:`~whichai.catalog.schema.ModelEntry`."""
    return entry.get(key, default) if isinstance(entry, dict) else getattr(entry, key, default)


def fits(
    entry_or_params_b: float | dict[str, Any] | ModelEntry,
    ram_gb: float | None = None,
    gpus: list[float] | None = None,
    bits_per_weight: float = 4.5,
    context_tokens: int = 4096,
) -> tuple[bool, str]:
    """(fits, reason) for a catalog entry (or a parameter count in billions) on a machine."""
    entry = entry_or_params_b
    if isinstance(entry, (int, float)):
        params = float(entry)
    else:
        name = _field(entry, "id", "model")
        if _field(entry, "openness") == "closed" or _field(entry, "weights_downloadable") is False:
            return False, f"{name}: weights not downloadable; it runs only through its API"
        stated = _field(entry, "params_b")
        if stated is None:
            return False, f"{name}: parameter count unknown, so memory cannot be estimated"
        params = float(stated)
    need = memory_needed_gb(params, bits_per_weight, context_tokens)
    what = f"{params:g} B parameters at {bits_per_weight:g} bits/weight, {context_tokens} tokens of context: needs ~{need:.1f} GB"
    found = fit_memory(need, ram_gb, sum(gpus) if gpus else None)
    if found.where == "gpu" and gpus:
        where = f"{len(gpus)} GPU{'s' if len(gpus) > 1 else ''} ({found.have_gb:g} GB)"
        return True, f"fits on {where}: {what}"
    if found.where == "cpu":
        return True, f"fits in RAM ({ram_gb:g} GB, {RAM_SHARE:.0%} usable, CPU inference): {what}"
    have = []
    if gpus:
        have.append(f"GPU memory {sum(gpus):g} GB")
    if ram_gb is not None:
        have.append(f"RAM {ram_gb:g} GB ({RAM_SHARE:.0%} usable)")
    return False, f"does not fit ({', '.join(have) or 'no machine described'}): {what}"
