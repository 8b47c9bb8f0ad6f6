"""Issue 22: a chat template from a GGUF file renders under a time bound. A looping Jinja template hung
the run past --timeout and ignored Ctrl-C; template syntax errors and sandbox SecurityErrors were
tracebacks. Now each is one message naming the file; a stop (the runner's timeout, Ctrl-C) ends the
render. Real parts: llama-cpp-python's Jinja2ChatFormatter and its sandbox."""

from __future__ import annotations

import threading
import time

import pytest

from whichai.errors import FatalCallError
from whichai.providers.local import ChatTemplateError, LocalProvider, bounded_template, count_chat_tokens

pytest.importorskip("llama_cpp")
from llama_cpp.llama_chat_format import Jinja2ChatFormatter  # noqa: E402

LOOP = "{% for a in range(99999) %}{% for b in range(99999) %}{{ '' }}{% endfor %}{% endfor %}{{ messages[0].content }}"
MESSAGES = [{"role": "user", "content": "hi"}]


class FakeLlm:
    """What count_chat_tokens reads of a loaded model: its metadata, special tokens, path, tokenizer."""

    def __init__(self, template: str) -> None:
        self.metadata = {"tokenizer.chat_template": template}
        self.model_path = "/models/evil.gguf"

    def token_eos(self) -> int:
        return -1

    def token_bos(self) -> int:
        return -1

    def tokenize(self, data: bytes, add_bos: bool = False, special: bool = False) -> list[int]:
        return list(data)


def test_a_looping_template_is_refused_in_bounded_time_naming_the_file():
    formatter = Jinja2ChatFormatter(template=LOOP, eos_token="", bos_token="")
    started = time.monotonic()
    with pytest.raises(ChatTemplateError, match=r"evil\.gguf.*longer than 0\.3 s|evil\.gguf.*longer than"):
        with bounded_template("/models/evil.gguf", limit=0.3):
            formatter(messages=MESSAGES)
    assert time.monotonic() - started < 10


def test_a_stop_from_outside_ends_the_render():
    """The runner's timeout and Ctrl-C set the stream's stop event; the worker thread's render gives up."""
    formatter = Jinja2ChatFormatter(template=LOOP, eos_token="", bos_token="")
    stop, rendering, caught = threading.Event(), threading.Event(), []

    def render() -> None:
        try:
            with bounded_template("/models/evil.gguf", stop, limit=600):
                rendering.set()  # inside the bound: the render starts now
                formatter(messages=MESSAGES)
        except ChatTemplateError as exc:
            caught.append(str(exc))

    worker = threading.Thread(target=render)
    worker.start()
    assert rendering.wait(timeout=60)
    stop.set()
    worker.join(timeout=60)  # the bound ends a render that ignores the stop; a healthy one ends at once
    assert not worker.is_alive() and caught and "stopped" in caught[0]


@pytest.mark.parametrize("template", ["{% for x in %}", "{{ ''.__class__.__mro__[1].__subclasses__() }}", LOOP])
def test_bad_templates_are_one_message_naming_the_file(template, monkeypatch):
    monkeypatch.setattr("whichai.providers.local.TEMPLATE_RENDER_LIMIT_S", 0.3)
    with pytest.raises(ChatTemplateError, match=r"chat template in /models/evil\.gguf") as caught:
        count_chat_tokens(FakeLlm(template), MESSAGES)
    assert "WHICHAI_CHAT_TEMPLATE" in str(caught.value)
    error = LocalProvider.__new__(LocalProvider).classify(caught.value)
    assert isinstance(error, FatalCallError) and error.error_class == "chat_template"


def test_a_working_template_renders_and_tracing_is_restored():
    import sys

    before = sys.gettrace()
    assert count_chat_tokens(FakeLlm("{% for m in messages %}{{ m.content }}{% endfor %}"), MESSAGES) == 2
    assert sys.gettrace() is before
