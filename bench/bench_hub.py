"""What the SHA-256 check adds to a Hugging Face download, and how long `whichai models --local` probes.

Side by side in one run, on loopback (tests/fakehub.py serving the embedded 98 MB GGUF):
- fetch: `whichai.providers.hub.fetch` (download through huggingface_hub + whichai's SHA-256 check), fresh cache;
- verify: the SHA-256 check alone on the same file.
- probe: `whichai.providers.discovery.probe()` with no server running, and with a fake Ollama answering.

Run: .venv/bin/python bench/bench_hub.py [repeats]
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main(repeats: int = 3) -> None:
    from fakehub import FakeHub

    from whichai.providers.local import embedded_model_path

    cache = Path(tempfile.mkdtemp(prefix="whichai-bench-hf-"))
    repo = "Bench/SmolLM2-GGUF"
    with FakeHub({repo: {"m.Q4_1.gguf": embedded_model_path()}}) as hub:
        os.environ.update(HF_ENDPOINT=hub.endpoint, HF_HUB_CACHE=str(cache), HF_HUB_DISABLE_PROGRESS_BARS="1")
        from whichai.providers.hub import fetch, parse_ref, verify

        fetches, verifies = [], []
        for _ in range(repeats):
            shutil.rmtree(cache, ignore_errors=True)
            start = time.perf_counter()
            path = fetch(f"hf:{repo}/m.Q4_1.gguf")
            fetches.append(time.perf_counter() - start)
            start = time.perf_counter()
            verify(path, parse_ref(f"hf:{repo}/m.Q4_1.gguf"), "m.Q4_1.gguf")
            verifies.append(time.perf_counter() - start)
    shutil.rmtree(cache, ignore_errors=True)
    size = embedded_model_path().stat().st_size / 1e6
    f, v = statistics.median(fetches), statistics.median(verifies)
    print(f"fetch {size:.0f} MB over loopback (download + check): median {f:.2f} s ({size / f:.0f} MB/s); "
          f"SHA-256 check alone: {v:.2f} s = {v / f:.0%} of the fetch ({repeats} runs)")
    probe_times(repeats)


def probe_times(repeats: int) -> None:
    from conftest import free_port
    from fakeollama import FakeOllama

    from whichai.providers.discovery import probe

    for var in ("OLLAMA_HOST", "WHICHAI_LMSTUDIO_HOST", "WHICHAI_LLAMACPP_HOST", "WHICHAI_VLLM_HOST"):
        os.environ[var] = f"127.0.0.1:{free_port()}"
    closed = []
    for _ in range(repeats):
        start = time.perf_counter()
        probe()
        closed.append(time.perf_counter() - start)
    with FakeOllama({"llama3.1:8b": {}}) as ollama:
        os.environ["OLLAMA_HOST"] = ollama.host
        answering = []
        for _ in range(repeats):
            start = time.perf_counter()
            probe()
            answering.append(time.perf_counter() - start)
    print(f"probe of the 4 local servers: none running {statistics.median(closed) * 1000:.0f} ms, "
          f"Ollama answering {statistics.median(answering) * 1000:.0f} ms (median of {repeats})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
