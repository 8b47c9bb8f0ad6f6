"""The tuned model as a GGUF file llama.cpp loads: the LoRA merged into the base, the result written over a
copy of the base GGUF (its metadata, tokenizer and chat template kept; every tensor the LoRA did not touch
copied byte for byte, in the base's own quantisation; the merged ones written as float16).

Names and layout follow llama.cpp's ``convert_hf_to_gguf.py`` for the llama architecture: Hugging Face's
``model.layers.N.self_attn.q_proj.weight`` is ``blk.N.attn_q.weight``, and the query and key projections
are stored with their rows permuted per head (transformers un-permutes them when it reads a GGUF, so the
permutation is applied again here).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any, Protocol

from whichai.errors import ConfigError


class Array(Protocol):
    """A tensor's data as gguf's writer takes it (a numpy array)."""

    @property
    def shape(self) -> tuple[int, ...]: ...
    @property
    def dtype(self) -> object: ...
    @property
    def nbytes(self) -> int: ...

ARCHITECTURES = ("llama",)
GGUF_OF = {"self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
           "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
_HF = re.compile(r"^model\.layers\.(\d+)\.(self_attn\.\w+|mlp\.\w+)\.weight$")


def check_exportable(base_gguf: Path) -> None:
    from gguf import GGUFReader

    arch = _architecture(GGUFReader(str(base_gguf)))
    if arch not in ARCHITECTURES:
        raise ConfigError(f"{base_gguf}: architecture {arch!r}; exporting a tune to GGUF is implemented for "
                          f"{', '.join(ARCHITECTURES)} only. Fix: tune a llama-architecture GGUF (SmolLM2, Llama, ...).")


def _architecture(reader) -> str:
    field = reader.fields["general.architecture"]
    return bytes(field.parts[field.data[0]]).decode("utf-8")


def permute(weights, n_head: int, n_head_kv: int | None):
    """llama.cpp's row order for a query/key projection (convert_hf_to_gguf.py, LlamaModel.permute)."""
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return (weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:])
            .swapaxes(1, 2).reshape(weights.shape))


def merged_tensors(peft_model, touched: tuple[str, ...]) -> dict[str, Array]:
    """GGUF tensor name -> float16 array, for every weight the LoRA changed (merged into the base)."""
    merged = peft_model.merge_and_unload()
    config = merged.config
    out = {}
    for name, tensor in merged.state_dict().items():
        found = _HF.match(name)
        if not found or found.group(2).split(".")[-1] not in touched:
            continue
        array = tensor.detach().to("cpu").float().numpy()
        if found.group(2) == "self_attn.q_proj":
            array = permute(array, config.num_attention_heads, config.num_attention_heads)
        elif found.group(2) == "self_attn.k_proj":
            array = permute(array, config.num_attention_heads, config.num_key_value_heads)
        out[f"blk.{found.group(1)}.{GGUF_OF[found.group(2)]}.weight"] = array.astype("float16")
    return out


def write_gguf(base_gguf: Path, replaced: dict[str, Array], target: Path, name: str) -> None:
    """A copy of ``base_gguf`` with ``replaced`` tensors, written to ``target`` (atomically)."""
    import gguf

    reader = gguf.GGUFReader(str(base_gguf))
    # a new, unpredictable name created exclusively in the target's folder (never a planted symlink)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        _write_copy(gguf, reader, replaced, tmp, name, base_gguf)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_copy(gguf: Any, reader: Any, replaced: dict[str, Array], tmp: str, name: str, base_gguf: Path) -> None:
    writer = gguf.GGUFWriter(tmp, arch=_architecture(reader))
    for field in reader.fields.values():
        if field.name == gguf.Keys.General.ARCHITECTURE or field.name.startswith("GGUF."):
            continue
        value = f"{name} (LoRA tune)" if field.name == gguf.Keys.General.NAME else field.contents()
        sub_type = field.types[-1] if field.types[0] == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, value, field.types[0], sub_type=sub_type)
    missing = set(replaced) - {t.name for t in reader.tensors}
    if missing:
        raise ConfigError(f"{base_gguf}: no tensor {min(missing)} in the base. Fix: tune the GGUF the base was read from.")
    for t in reader.tensors:
        if t.name in replaced:
            array = replaced[t.name]
            writer.add_tensor_info(t.name, array.shape, array.dtype, array.nbytes, gguf.GGMLQuantizationType.F16)
        else:
            writer.add_tensor_info(t.name, t.data.shape, t.data.dtype, t.data.nbytes, t.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for t in reader.tensors:
        writer.write_tensor_data(replaced.get(t.name, t.data), tensor_endianess=reader.endianess)
    writer.close()
