"""Read a GGUF file's header itself: metadata and tensor table, no weights loaded.

A small reader of the published format (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md):
magic ``GGUF``, version, tensor count, key/value count, the key/values, then one record per tensor
(name, dims, type, offset). It reads through ``mmap`` so large token arrays cost little, and needs
no dependency. The official ``gguf`` package (``GGUFReader``) was measured as a replacement and is far slower:
its constructor builds a numpy view per element of every metadata array (token list, merges), 2.7 s for
SmolLM2-135M and 12 s for a Llama-3-sized vocabulary, against 0.02-0.07 s here. llama.cpp would load the model.
The embedded model's path is :func:`whichai.providers.local.embedded_model_path`.
"""

from __future__ import annotations

import mmap
import os
import stat
import struct
from pathlib import Path
from typing import BinaryIO, TypeAlias, TypedDict

from whichai.errors import FileInputError

# value types
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9

GGML_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1", 10: "Q2_K", 11: "Q3_K",
    12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S",
    20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64",
    29: "IQ1_M", 30: "BF16", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
}
FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S", 12: "Q3_K_M",
    13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS",
    21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S",
    29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE",
}
_BIG_ARRAY = 64  # arrays longer than this are summarised (length only), e.g. the token list


# a metadata value: a number, a flag, a text, an array of them, or {"array_length": n} for a long array
Value: TypeAlias = "int | float | bool | str | list[Value] | dict[str, int]"


class Tensor(TypedDict):
    name: str
    shape: list[int]
    type: str


class GGUFInfo(TypedDict):
    """What :func:`read_gguf` reads of a file."""

    version: int
    metadata: dict[str, Value]
    tensors: list[Tensor]
    file_size: int


class GGUFSummary(TypedDict):
    """What ``whichai inspect`` shows (:func:`summarise`)."""

    path: str
    gguf_version: int
    name: Value | None
    architecture: Value
    parameters: int
    params_b: float
    layers: Value | None
    context_length: Value | None
    embedding_length: Value | None
    attention_heads: Value | None
    kv_heads: Value | None
    quantization: str | None
    tensor_types: dict[str, int]
    bits_per_weight: float | None
    vocab_size: int | None
    tokenizer: Value | None
    license: Value | None
    chat_template: Value | None
    file_size: int
    tensor_count: int
    metadata_keys: list[str]


class _Reader:
    def __init__(self, buf: mmap.mmap) -> None:
        self.buf, self.pos = buf, 0

    def unpack(self, fmt: str) -> int | float | bool:
        value: int | float | bool = struct.unpack_from(fmt, self.buf, self.pos)[0]
        self.pos += struct.calcsize(fmt)
        return value

    def count(self, fmt: str) -> int:
        """An unsigned integer field (a length, a count, a type id)."""
        return int(self.unpack(fmt))

    def string(self) -> str:
        n = self.count("<Q")
        raw = self.buf[self.pos : self.pos + n]
        self.pos += n
        return bytes(raw).decode("utf-8", errors="replace")

    def skip_string(self) -> None:
        self.pos += 8 + struct.unpack_from("<Q", self.buf, self.pos)[0]

    def value(self, vtype: int, depth: int = 0) -> Value:
        if depth > 8:
            raise ValueError("arrays nested deeper than 8 levels")
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == _STRING:
            return self.string()
        if vtype == _ARRAY:
            etype, n = self.count("<I"), self.count("<Q")
            if n > _BIG_ARRAY:
                if etype == _STRING:
                    for _ in range(n):
                        self.skip_string()
                elif etype in _SCALARS:
                    self.pos += n * struct.calcsize(_SCALARS[etype])
                else:
                    for _ in range(n):
                        self.value(etype, depth + 1)
                return {"array_length": n}
            return [self.value(etype, depth + 1) for _ in range(n)]
        raise ValueError(f"unknown GGUF value type {vtype}")


def _open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading if it is a regular file. A FIFO, socket or device is refused at once:
    it is opened without blocking (a FIFO with no writer would hang ``open``) and checked with ``fstat``
    on the descriptor itself (no window between the check and the open)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileInputError(path, "not a regular file (a FIFO, socket or device is not read).", "Give the path of a .gguf model file.")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_gguf(path: str | Path) -> GGUFInfo:
    """Metadata (dict), tensors ([{name, shape, type}]), version, file size."""
    path = Path(path)
    try:
        with _open_regular(path) as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            if buf[:4] != b"GGUF":
                raise FileInputError(path, "not a GGUF file (magic bytes are not 'GGUF').", "Give the path of a .gguf model file.")
            r = _Reader(buf)
            r.pos = 4
            version = r.count("<I")
            if version < 2:
                raise FileInputError(path, f"GGUF version {version} is too old to read.", "Convert it with a current llama.cpp.")
            n_tensors, n_kv = r.count("<Q"), r.count("<Q")
            meta: dict[str, Value] = {}
            for _ in range(n_kv):
                key = r.string()
                meta[key] = r.value(r.count("<I"))
            tensors: list[Tensor] = []
            for _ in range(n_tensors):
                name = r.string()
                dims = [r.count("<Q") for _ in range(r.count("<I"))]
                ttype = r.count("<I")
                r.unpack("<Q")  # offset
                tensors.append({"name": name, "shape": dims, "type": GGML_TYPES.get(ttype, str(ttype))})
    except (OSError, ValueError, struct.error, RecursionError, OverflowError, MemoryError) as exc:
        if isinstance(exc, FileInputError):
            raise
        raise FileInputError(path, f"cannot read the GGUF header ({exc}).", "Check that the file is a complete .gguf file.") from exc
    return {"version": version, "metadata": meta, "tensors": tensors, "file_size": path.stat().st_size}


def _file_type(ftype: Value | None) -> str | None:
    """``general.file_type``'s name (``Q4_K_M``); a number not known, or not a number, as written."""
    if ftype is None:
        return None
    return FILE_TYPES.get(ftype, str(ftype)) if isinstance(ftype, int) else str(ftype)


def summarise(path: str | Path) -> GGUFSummary:
    """What ``whichai inspect`` shows: architecture, parameters, layers, context, quantisation, vocab, licence, template."""
    info = read_gguf(path)
    meta = info["metadata"]
    arch = meta.get("general.architecture", "unknown")

    def a(key: str) -> Value | None:
        return meta.get(f"{arch}.{key}")

    n_params = 0
    types: dict[str, int] = {}
    for t in info["tensors"]:
        count = 1
        for d in t["shape"]:
            count *= d
        n_params += count
        types[t["type"]] = types.get(t["type"], 0) + count
    tokens = meta.get("tokenizer.ggml.tokens")
    vocab = tokens.get("array_length") if isinstance(tokens, dict) else (len(tokens) if isinstance(tokens, list) and tokens else None)
    ftype = meta.get("general.file_type")
    return {
        "path": str(Path(path).resolve()),
        "gguf_version": info["version"],
        "name": meta.get("general.name"),
        "architecture": arch,
        "parameters": n_params,
        "params_b": round(n_params / 1e9, 4),
        "layers": a("block_count"),
        "context_length": a("context_length"),
        "embedding_length": a("embedding_length"),
        "attention_heads": a("attention.head_count"),
        "kv_heads": a("attention.head_count_kv"),
        "quantization": _file_type(ftype),
        "tensor_types": dict(sorted(types.items(), key=lambda kv: -kv[1])),
        "bits_per_weight": round(info["file_size"] * 8 / n_params, 2) if n_params else None,
        "vocab_size": vocab,
        "tokenizer": meta.get("tokenizer.ggml.model"),
        "license": meta.get("general.license"),
        "chat_template": meta.get("tokenizer.chat_template"),
        "file_size": info["file_size"],
        "tensor_count": len(info["tensors"]),
        "metadata_keys": sorted(meta),
    }

