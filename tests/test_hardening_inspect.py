"""Issue 22: `whichai inspect` shows a GGUF file's own text, and that text is the file author's. Escape
sequences (a title change, a screen clear), bidi and zero-width controls and Rich markup in its metadata
reached the terminal; an inspect of a FIFO hung in `open`. Real parts: the CLI in a subprocess."""

from __future__ import annotations

import json
import os
import struct
import sys

import pytest

HOSTILE = "\x1b]0;pwned\x07\x1b[2J[bold red]FAKE[/bold red]\u202eevil\u200b\x9b31m"


def _kv_string(key: str, value: str) -> bytes:
    k, v = key.encode(), value.encode()
    return struct.pack("<Q", len(k)) + k + struct.pack("<I", 8) + struct.pack("<Q", len(v)) + v


def hostile_gguf(path) -> None:
    kvs = [("general.architecture", "llama"), ("general.name", HOSTILE), ("general.license", "[link=http://x]mit[/link]"),
           ("tokenizer.chat_template", "{{ x }}" + HOSTILE), ("tokenizer.ggml.model", HOSTILE)]
    out = b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs)) + b"".join(_kv_string(k, v) for k, v in kvs)
    path.write_bytes(out)


def _clean(text: str) -> None:
    for ch in ("\x1b", "\x07", "\x9b", "\u202e", "\u200b"):
        assert ch not in text, repr(ch)


def test_gguf_metadata_reaches_the_terminal_as_printable_text(tmp_path, cli):
    path = tmp_path / "hostile.gguf"
    hostile_gguf(path)
    result = cli("inspect", str(path), timeout=60)
    assert result.returncode == 0, result.stderr
    _clean(result.stdout + result.stderr)
    assert "[bold red]FAKE[/bold red]" in result.stdout  # markup shown as text, not applied
    assert "\\x1b" in result.stdout and "\\u202e" in result.stdout  # made visible, not dropped silently


def test_gguf_metadata_in_json_is_printable_too(tmp_path, cli):
    path = tmp_path / "hostile.gguf"
    hostile_gguf(path)
    result = cli("inspect", str(path), "--json", timeout=60)
    assert result.returncode == 0, result.stderr
    _clean(result.stdout)
    doc = json.loads(result.stdout)
    _clean(json.dumps(doc, ensure_ascii=False))
    assert doc["name"].endswith("\\x9b31m")


@pytest.mark.skipif(not hasattr(os, "mkfifo") or sys.platform == "win32", reason="FIFOs are POSIX")
def test_inspect_of_a_fifo_refuses_at_once(tmp_path, cli):
    fifo = tmp_path / "model.gguf"
    os.mkfifo(fifo)
    result = cli("inspect", str(fifo), timeout=60)  # before the fix: blocked in open() until killed
    assert result.returncode != 0
    assert "not a regular file" in result.stderr


def test_read_gguf_refuses_a_device_and_a_fifo(tmp_path):
    from whichai.catalog.gguf import read_gguf
    from whichai.errors import FileInputError

    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "f")
        with pytest.raises(FileInputError, match="not a regular file"):
            read_gguf(tmp_path / "f")
    if os.path.exists("/dev/zero"):
        with pytest.raises(FileInputError, match="not a regular file"):
            read_gguf("/dev/zero")


def test_metadata_of_the_wrong_kind_is_shown_not_a_traceback(tmp_path):
    """A token list given as one number and a file type given as an array (a malformed or hostile file):
    summarise shows what is there (strict mypy found both: len() of a number, an unhashable dict key)."""
    from whichai.catalog.gguf import summarise

    def kv_u32(key: str, value: int) -> bytes:
        k = key.encode()
        return struct.pack("<Q", len(k)) + k + struct.pack("<I", 4) + struct.pack("<I", value)

    def kv_u32_array(key: str, values: list[int]) -> bytes:
        k = key.encode()
        return struct.pack("<Q", len(k)) + k + struct.pack("<IIQ", 9, 4, len(values)) + b"".join(struct.pack("<I", v) for v in values)

    body = _kv_string("general.architecture", "llama") + kv_u32("tokenizer.ggml.tokens", 7) + kv_u32_array("general.file_type", [15, 1])
    path = tmp_path / "odd.gguf"
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 0, 3) + body)
    info = summarise(path)
    assert info["vocab_size"] is None and info["quantization"] == "[15, 1]"
