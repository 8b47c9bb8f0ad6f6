"""promptfoo's ``python`` and ``javascript`` assertions, run in a subprocess with a time limit.

Python: an expression (``return <value>`` is added), a body with ``return`` (wrapped in ``main(output,
context)``), or ``file://x.py[:fn]`` (``get_assert`` by default), run with this Python. JavaScript: the
same shapes, run with ``node`` where it is on PATH; without Node the assertion fails as "not run".
The result (boolean, number, ``{pass, score, reason}`` or their JSON / "true" / "false" text) is read as
promptfoo's normalizeScriptResult reads it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

SCRIPT_TIMEOUT_S = 10.0

_PY_RUNNER = r"""
import importlib.util, json, sys
job = json.load(sys.stdin)
if job["file"]:
    sys.path.insert(0, job["dir"])
    spec = importlib.util.spec_from_file_location("pf_assert", job["file"])
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    fn = getattr(mod, job["fn"] or "get_assert")
else:
    scope = {}
    exec(compile(job["code"], "<assertion>", "exec"), scope)
    fn = scope["main"]
print("\n@@RESULT@@" + json.dumps(fn(job["output"], job["context"])))
"""

_JS_RUNNER = r"""
const fs = require('fs'); const path = require('path');
const job = JSON.parse(fs.readFileSync(0, 'utf8'));
(async () => {
  let fn;
  if (job.file) { const m = require(path.resolve(job.file)); fn = job.fn ? m[job.fn] : (typeof m === 'function' ? m : (m.default || m)); }
  else { fn = new Function('output', 'context', job.code); }
  const r = await fn(job.output, job.context);
  process.stdout.write('\n@@RESULT@@' + JSON.stringify(r === undefined ? null : r));
})().catch(e => { process.stderr.write(String(e && e.message || e)); process.exit(3); });
"""


def _python_code(value: str) -> str:
    if "\n" in value:
        lines = value.split("\n")
        indent = next((ln[: len(ln) - len(ln.lstrip())] for ln in lines if ln.strip() and ln[0].isspace()), "    ") or "    "
        body = "\n".join(indent + ln for ln in lines)
    else:
        body = f"    return {value}"
    return f"import json\n\ndef main(output, context):\n{body}\n"


def _js_code(value: str) -> str:
    value = value.rstrip()
    if "\n" in value:
        return value
    trimmed = value.strip().rstrip(";").rstrip()
    return f"return {trimmed}"


def _job(kind: str, value: str, output: str, ctx: dict[str, Any]) -> tuple[list[str], dict[str, Any]] | str:
    context = {"prompt": ctx.get("prompt", ""), "vars": ctx.get("vars", {}), "test": {"vars": ctx.get("vars", {})}}
    job: dict[str, Any] = {"output": output, "context": context, "file": None, "fn": None, "code": None, "dir": ctx["base_dir"]}
    if value.startswith("file://"):
        ref = value[7:]
        path, _, fn = ref.partition(":") if ref[1:3] != ":\\" else (ref, "", "")
        job["file"], job["fn"] = str(Path(ctx["base_dir"]) / path), fn or None
    if kind == "python":
        job["code"] = None if job["file"] else _python_code(value)
        return [sys.executable, "-c", _PY_RUNNER], job
    node = shutil.which("node")
    if node is None:
        return "javascript assertion not run: Node.js (node) is not installed on this machine"
    job["code"] = None if job["file"] else _js_code(value)
    return [node, "-e", _JS_RUNNER], job


def normalize(result: Any, assertion: dict, inverse: bool, label: str) -> tuple[bool, float, str]:
    """promptfoo's normalizeScriptResult: bool, "true"/"false", number, or a grading object."""
    threshold = assertion.get("threshold")
    if isinstance(result, str) and result.lower() in ("true", "false"):
        result = result.lower() == "true"
    if isinstance(result, str) and result.startswith("{"):
        result = json.loads(result)
    if isinstance(result, bool):
        passed = result != inverse
        return passed, 1.0 if passed else 0.0, "Assertion passed" if passed else f"{label} returned {str(result).lower()}"
    if isinstance(result, dict):
        if "pass" not in result:
            raise ValueError(f"{label} must return a boolean, number, or {{pass, score, reason}} object")
        raw, score = bool(result["pass"]), float(result.get("score", 1.0 if result["pass"] else 0.0))
        reason = str(result.get("reason", ""))
        if threshold is not None and score < threshold:
            raw, reason = False, f"score {score} is less than threshold {threshold}: {reason}"
        passed = raw != inverse
        return passed, score, reason or ("Assertion passed" if passed else f"{label} returned {str(raw).lower()}")
    try:
        score = float(result)
    except (TypeError, ValueError):
        raise ValueError(f"{label} must return a boolean, number, or {{pass, score, reason}} object, got {result!r}") from None
    raw = score > 0 if threshold is None else score >= threshold
    passed = raw != inverse
    return passed, score, "Assertion passed" if passed else f"{label} returned {str(raw).lower()}"


def run_script(kind: str, value: Any, assertion: dict, output: str, ctx: dict[str, Any], inverse: bool) -> tuple[bool, float, str]:
    if not isinstance(value, str):
        raise TypeError(f"{kind} assertion must have a string value")
    job = _job(kind, value, output, ctx)
    if isinstance(job, str):
        return False, 0.0, job
    argv, payload = job
    label = "Python code" if kind == "python" else "Custom function"
    try:
        done = subprocess.run(argv, input=json.dumps(payload), capture_output=True, text=True, timeout=SCRIPT_TIMEOUT_S,
                              cwd=ctx["base_dir"], check=False)
    except subprocess.TimeoutExpired:
        return False, 0.0, f"{kind} assertion ran past {SCRIPT_TIMEOUT_S:g} s"
    if done.returncode != 0 or "@@RESULT@@" not in done.stdout:
        tail = (done.stderr.strip().splitlines() or ["no result"])[-1]
        return False, 0.0, f"{label} execution failed: {tail}"
    result = json.loads(done.stdout.rsplit("@@RESULT@@", 1)[1])
    return normalize(result, assertion, inverse, label)
