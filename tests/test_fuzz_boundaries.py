"""Fuzz, round 2 (issue 22): what a hostile file, server, mirror or judge sends, at the boundary where
whichai reads it — GGUF headers, hub responses and references, discovery model lists, load-test stream
events, judge replies. Generated from a fixed seed (the figures in docs/security.md come from it); each
input must end as a value or whichai's own error, never another exception, and quickly.
Two kinds check what reaches a reader: `inspect`'s summary of a fuzzed GGUF (printable text only) and
fuzzed text through the report's HTML templates (no bidi or zero-width control left, nothing unescaped).
Together with tests/test_fuzz.py (451 inputs) this makes 451 + len(KINDS) x PER_KIND = 451 + 7 x 50 = 801."""

from __future__ import annotations

import json
import random
import struct
import time
from collections.abc import Callable
from typing import Any

import pytest

from whichai.errors import WhichaiError

SEED = 20261207
PER_KIND = 50
PER_INPUT_S = 2.0  # seconds of CPU (this thread's): a backtracking or quadratic reader, not a busy machine
NASTY = ["", "{", "[" * 5000, "9" * 5000, '{"a": ' + "[" * 200, "\x00", "\x1b[2J", "[bold]x[/]", "\u202e", "../../etc/passwd",
         '"' + "a" * 64 + '"', "W/\"" + "0" * 40 + "\"", "-1", "1e999", "NaN", "null", "true", "€", "x" * 5000]


def _value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.random()
    if depth > 3 or pick < 0.4:
        return rng.choice([0, 1, -1, 2**70, 1.5, True, None, "x", "", "Q4_K_M", rng.choice(NASTY)])
    if pick < 0.7:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = ["models", "data", "id", "name", "model", "details", "size", "choices", "delta", "content", "usage",
            "finish_reason", "error", "pass", "score", "reason", "completion_tokens", "prompt_tokens"]
    return {rng.choice(keys): _value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def _text(rng: random.Random, obj: Any) -> str:
    text = json.dumps(obj)
    mode = rng.random()
    if mode < 0.3:
        return text[: rng.randint(0, len(text))]
    if mode < 0.5:
        return rng.choice(NASTY) + text + rng.choice(NASTY)
    return text


def _gguf(rng: random.Random) -> bytes:
    out = b"GGUF" + struct.pack("<I", rng.choice([0, 1, 2, 3, 2**31]))
    out += struct.pack("<QQ", rng.choice([0, 1, 3, 2**63]), rng.choice([0, 1, 2, 50, 2**40]))
    for _ in range(rng.randint(0, 6)):
        key = rng.choice([b"general.name", b"tokenizer.chat_template", b"\x1b[31m", b"x" * 300])
        out += struct.pack("<Q", rng.choice([len(key), 2**62])) + key
        vtype = rng.choice([0, 4, 6, 7, 8, 9, 9, 12, 99])
        out += struct.pack("<I", vtype)
        if vtype == 8:
            text = rng.choice([b"Llama", b"\x1b]0;pwn\x07[red]x[/red]", b"\xff\xfe"])
            out += struct.pack("<Q", len(text)) + text
        elif vtype == 9:  # an array: of strings, of arrays (nested deep), huge
            etype = rng.choice([8, 9, 4])
            out += struct.pack("<IQ", etype, rng.choice([0, 2, 65, 2**40]))
            if etype == 9:
                out += struct.pack("<IQ", 9, 1) * rng.randint(1, 3000)
        else:
            out += rng.randbytes(rng.randint(0, 16))
    return out + rng.randbytes(rng.randint(0, 64))


def _check_gguf(rng: random.Random, tmp_path) -> None:
    from whichai.catalog.gguf import read_gguf

    path = tmp_path / "f.gguf"
    path.write_bytes(_gguf(rng))
    try:
        read_gguf(path)
    except WhichaiError:
        pass


def _check_hub(rng: random.Random, tmp_path) -> None:
    from whichai.providers import hub

    headers = {k: str(rng.choice(NASTY + [str(rng.randint(0, 10**6))])) for k in
               rng.sample(["X-Linked-Etag", "ETag", "X-Repo-Commit", "X-Linked-Size", "Content-Length"], rng.randint(0, 5))}
    url = rng.choice(["http://h/o/r/resolve/main/x.gguf", "http://h/api/models/o/r", "http://cdn/x"])
    hub._Guard.cache = tmp_path
    try:
        hub.check_response_headers(url, headers)
    except WhichaiError:
        pass
    finally:
        hub._Guard.cache, hub._Guard.expected = None, None
    ref = "hf:" + "/".join(rng.choice(["a", "b", "..", ".", "", "x.gguf", "y@v1", "z:Q4", rng.choice(NASTY)])
                           for _ in range(rng.randint(1, 4)))
    try:
        hub.parse_ref(ref)
    except WhichaiError:
        pass


def _check_discovery(rng: random.Random, tmp_path) -> None:
    from whichai.providers.discovery import SERVERS, _fill, _row

    server = SERVERS[rng.choice(list(SERVERS))]
    row = _fill(_row(server), server, _value(rng) if rng.random() < 0.3 else {"models": _value(rng), "data": _value(rng)})
    json.dumps(row.to_json())
    assert all(isinstance(m.name, str) for m in row.models)


def _check_load(rng: random.Random, tmp_path) -> None:
    from whichai.measure.load.client import read_event

    obj = {"choices": [_value(rng) for _ in range(rng.randint(0, 2))], "usage": _value(rng)} if rng.random() < 0.6 else _value(rng)
    try:
        finished, content, usage, error = read_event(_text(rng, obj).encode("utf-8", "surrogatepass"))
    except ValueError:
        return
    assert isinstance(finished, bool) and isinstance(content, int)
    assert usage is None or (isinstance(usage[0], int) and (usage[1] is None or isinstance(usage[1], int)))


def _check_judge(rng: random.Random, tmp_path) -> None:
    from test_judge import _judged

    from whichai.measure.judge import judgement, parse_pair

    obj = _value(rng) if rng.random() < 0.5 else {"pass": _value(rng), "score": _value(rng), "reason": _value(rng)}
    reply = "reasoning " + _text(rng, obj) + rng.choice(["", ' {"pass": true}', "```json\n{}\n```"])
    answer = rng.choice(["alpha", reply, _text(rng, _value(rng))])
    j = judgement(_judged("a", "alpha"), answer, {"status": "ok", "answer": reply})
    assert j["status"] in ("ok", "error") and (j["status"] == "error" or j["passed"] in (0, 1))
    try:
        parse_pair(reply)
    except ValueError:
        pass


_HIDDEN = "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
_UNPRINTABLE = "".join(map(chr, [*range(0, 9), *range(11, 32), *range(127, 160)])) + _HIDDEN


def _hostile_text(rng: random.Random) -> str:
    pieces = NASTY[:12] + ["\x1b]0;t\x07", "\x9b2J", "[link=http://x]y[/link]", "<script>x</script>", "{{ 7*7 }}"]
    return "".join(rng.choice(pieces + list(_UNPRINTABLE) + ["ok", " "]) for _ in range(rng.randint(0, 12)))


def _check_inspect(rng: random.Random, tmp_path) -> None:
    """A GGUF whose text fields are hostile: `inspect`'s summary (table and --json) is printable text only."""
    from whichai.catalog.gguf import summarise
    from whichai.cli.models import _printable

    kvs = [("general.architecture", _hostile_text(rng) or "llama"), ("general.name", _hostile_text(rng)),
           ("general.license", _hostile_text(rng)), ("tokenizer.chat_template", _hostile_text(rng)),
           (_hostile_text(rng) or "k", _hostile_text(rng))]
    out = b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs))
    for key, value in kvs:
        k, v = key.encode("utf-8", "surrogatepass"), value.encode("utf-8", "surrogatepass")
        out += struct.pack("<Q", len(k)) + k + struct.pack("<IQ", 8, len(v)) + v
    path = tmp_path / "i.gguf"
    path.write_bytes(out if rng.random() < 0.8 else out[: rng.randint(0, len(out))])
    try:
        info = _printable(summarise(path))
    except WhichaiError:
        return
    text = json.dumps(info, ensure_ascii=False)
    assert not any(ch in text for ch in _UNPRINTABLE if ch not in "\t\n"), text


def _check_html(rng: random.Random, tmp_path) -> None:
    """Hostile text through the report's Jinja environment: escaped, and no bidi or zero-width control left."""
    from whichai.report.html import environment, script_json

    value = _hostile_text(rng)
    html = _ENV.setdefault("env", environment()).from_string("<p title=\"{{ v }}\">{{ v }}</p>{{ v|upper }}").render(v=value)
    assert not any(ch in html for ch in _HIDDEN) and "<script>" not in html
    data = str(script_json({"answer": value}))
    assert json.loads(data) == {"answer": json.loads(data)["answer"]} and not any(ch in data for ch in _HIDDEN + "<>")


_ENV: dict[str, Any] = {}
KINDS: dict[str, Callable] = {"gguf": _check_gguf, "hub": _check_hub, "discovery": _check_discovery, "load": _check_load,
                              "judge": _check_judge, "inspect": _check_inspect, "html": _check_html}


@pytest.mark.parametrize("kind", list(KINDS))
def test_fuzzed_boundary_inputs_end_as_values_or_whichai_errors(kind, tmp_path):
    rng = random.Random(f"{SEED}-{kind}")
    slowest = 0.0
    for _ in range(PER_KIND):
        started = time.thread_time()  # the CPU this input cost (the checks run in this thread), not the machine's load
        KINDS[kind](rng, tmp_path)
        slowest = max(slowest, time.thread_time() - started)
    assert slowest < PER_INPUT_S
    print(f"fuzz {kind}: {PER_KIND} inputs, all clean, slowest {slowest * 1000:.0f} ms of CPU")


# --- the findings as they were found (issue 22), each failing before its fix ------------------------


def test_a_gguf_with_deeply_nested_arrays_is_one_input_error(tmp_path):
    from whichai.catalog.gguf import read_gguf
    from whichai.errors import FileInputError

    path = tmp_path / "deep.gguf"
    head = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1) + b"k" + struct.pack("<I", 9)
    path.write_bytes(head + struct.pack("<IQ", 9, 1) * 20_000 + struct.pack("<IQ", 4, 0))
    with pytest.raises(FileInputError, match="nested"):
        read_gguf(path)


def test_malformed_model_list_entries_are_skipped():
    from whichai.providers.discovery import SERVERS, _fill, _row

    ollama = SERVERS["ollama"]
    payload = {"models": [{"name": "ok:1b", "details": "x", "size": "big"}, {"name": ["x"]}, {"model": "\x1b[2J"}, 7]}
    row = _fill(_row(ollama), ollama, payload)
    assert [m.name for m in row.models] == ["ok:1b"] and row.models[0].details.size_bytes is None


def test_a_non_json_load_event_fails_one_request_not_the_sweep():
    from whichai.measure.load.client import read_event

    for bad in (b"not json", b"[1, 2]", b'{"choices": "x"}', b'{"choices": [1]}', b"[" * 100_000):
        with pytest.raises(ValueError):
            read_event(bad)
    assert read_event(b'{"choices": [{"delta": {"content": "a"}}], "usage": {"completion_tokens": "x"}}') == (False, 1, (0, None), None)
