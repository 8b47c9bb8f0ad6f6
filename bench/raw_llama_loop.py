"""The baseline for bench_local.py: a plain llama-cpp-python loop over the same prompts, same settings.

    python bench/raw_llama_loop.py CASES.json MAX_TOKENS [--stream]
"""

import json
import sys

from llama_cpp import Llama

from whichai.providers.local import DEFAULT_CONTEXT, embedded_model_path


def main() -> None:
    cases = json.load(open(sys.argv[1]))
    max_tokens = int(sys.argv[2])
    stream = "--stream" in sys.argv
    llm = Llama(model_path=str(embedded_model_path()), n_ctx=DEFAULT_CONTEXT, verbose=False, seed=0)
    answers = []
    for messages in cases:
        if stream:
            parts = []
            for event in llm.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=0.0, seed=0, stream=True):
                parts.append(event["choices"][0]["delta"].get("content") or "")
            answers.append("".join(parts))
        else:
            out = llm.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=0.0, seed=0)
            answers.append(out["choices"][0]["message"]["content"])
    print(json.dumps(answers))


if __name__ == "__main__":
    main()
