"""Names and keys: Hugging Face repos, sizes in names, the lab behind a hosted model, dedup keys.

One catalog entry per model is keyed on the lab + the model's name reduced to what identifies the
weights (family, version, size, variant): ``model_key("meta", "Meta-Llama-3.1-8B-Instruct-Turbo")``
and ``model_key("meta", "meta.llama3-1-8b-instruct-v1:0")`` are both ``meta:llama3.18b``. Hosts'
packaging (Bedrock's ``-v1:0``, Vertex's ``-maas``, ``:free``, dated snapshot suffixes such as
Anthropic's ``-20251001``, ``instruct`` / ``-it`` / ``instant`` / ``versatile``) is dropped; a
different size, version or base/instruct is a different key.
"""

from __future__ import annotations

import re
from typing import Any

SIZE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*([bm])(?![a-z])", re.I)

# hosts' organisation folders and Bedrock prefixes -> models.dev lab folders
OWNER_LAB = {
    "meta-llama": "meta", "meta": "meta", "qwen": "alibaba", "alibaba": "alibaba", "deepseek-ai": "deepseek",
    "deepseek": "deepseek", "mistralai": "mistral", "mistral": "mistral", "zai-org": "zhipuai", "z-ai": "zhipuai",
    "zai": "zhipuai", "x-ai": "xai", "xai": "xai", "minimaxai": "minimax", "minimax": "minimax",
    "moonshotai": "moonshotai", "moonshot": "moonshotai", "google": "google", "openai": "openai",
    "anthropic": "anthropic", "nvidia": "nvidia", "cohere": "cohere", "coherelabs": "cohere", "xiaomi": "xiaomi",
    "microsoft": "microsoft", "amazon": "amazon", "ibm-granite": "ibm", "ibm": "ibm", "allenai": "allenai",
    "huggingfacetb": "huggingface", "swiss-ai": "swiss-ai", "aisingapore": "aisingapore", "gotocompany": "goto",
    "stepfun-ai": "stepfun", "stepfun": "stepfun", "tencent": "tencent", "baidu": "baidu", "writer": "writer",
    "ai21": "ai21", "perplexity": "perplexity", "sakana": "sakana", "sarvam": "sarvam", "inception": "inception",
    "upstage": "upstage", "deepreinforce": "deepreinforce", "liquid": "liquid", "liquidai": "liquid",
    "nousresearch": "nous-research", "nous-research": "nous-research", "sarvamai": "sarvam",
}
# model-name prefixes -> the lab behind them, for hosted models filed without an organisation folder
NAME_LAB = (
    ("llama", "meta"), ("codellama", "meta"), ("meta-llama", "meta"), ("qwen", "alibaba"), ("qwq", "alibaba"),
    ("gemma", "google"), ("gemini", "google"), ("gpt-oss", "openai"), ("gpt", "openai"), ("o1", "openai"),
    ("o3", "openai"), ("o4", "openai"), ("chatgpt", "openai"), ("claude", "anthropic"), ("deepseek", "deepseek"),
    ("mistral", "mistral"), ("ministral", "mistral"), ("devstral", "mistral"), ("codestral", "mistral"),
    ("magistral", "mistral"), ("pixtral", "mistral"), ("mixtral", "mistral"), ("voxtral", "mistral"),
    ("kimi", "moonshotai"), ("glm", "zhipuai"), ("nemotron", "nvidia"), ("llama-3.1-nemotron", "nvidia"),
    ("phi", "microsoft"), ("grok", "xai"), ("command", "cohere"), ("c4ai", "cohere"), ("aya", "cohere"),
    ("minimax", "minimax"), ("nova", "amazon"), ("granite", "ibm"), ("olmo", "allenai"), ("smollm", "huggingface"),
    ("apertus", "swiss-ai"), ("mimo", "xiaomi"), ("step", "stepfun"), ("hunyuan", "tencent"), ("ernie", "baidu"),
)
LAB_NAMES = {
    "openai": "OpenAI", "anthropic": "Anthropic", "google": "Google", "meta": "Meta", "mistral": "Mistral AI",
    "deepseek": "DeepSeek", "alibaba": "Alibaba (Qwen)", "xai": "xAI", "cohere": "Cohere", "nvidia": "NVIDIA",
    "moonshotai": "Moonshot AI", "zhipuai": "Zhipu AI", "minimax": "MiniMax", "xiaomi": "Xiaomi",
    "perplexity": "Perplexity", "stepfun": "StepFun", "sakana": "Sakana AI", "sarvam": "Sarvam AI", "tencent": "Tencent",
    "microsoft": "Microsoft", "amazon": "Amazon", "ibm": "IBM", "allenai": "Allen Institute for AI (Ai2)",
    "huggingface": "Hugging Face", "swiss-ai": "Swiss AI Initiative", "aisingapore": "AI Singapore",
    "goto": "GoTo / Indosat (Sahabat-AI)", "baidu": "Baidu", "deepreinforce": "DeepReinforce", "nous-research": "Nous Research",
}
_SQUASHED = {k.replace("-", ""): v for k, v in OWNER_LAB.items()}
_HOST_SUFFIX = re.compile(r"(-v\d+:\d+|:\d+|:free|:beta|-maas|-fp8|-fp16|-bf16|-int4|-int8|-awq|-gguf|-hf|-tput)$")
_VARIANT = re.compile(r"(?<![a-z])(instruct|it|instant|versatile|latest|chat-hf)(?![a-z])")


def canonical_lab(name: str | None) -> str | None:
    """One spelling per lab: a host's organisation folder or an organisation's name (``meta-llama``,
    ``mistralai``, ``nousresearch``, ``Nous Research``) -> the lab folder (``meta``, ``mistral``,
    ``nous-research``); labs whose names differ only in punctuation are one lab."""
    return known_lab(name) or (slug(name) if name else None)


def known_lab(name: str | None) -> str | None:
    """The lab folder for a known organisation spelling, else None."""
    s = slug(name or "")
    return OWNER_LAB.get(s) or _SQUASHED.get(s.replace("-", "").replace(".", "")) if s else None


# hosts and aggregators whose run ids name another lab's model: never the model's own id
AGGREGATORS = ("openrouter", "ollama-cloud", "nvidia", "baseten", "huggingface", "lmstudio")


def lab_filed_id(run_id: str, lab: str | None) -> str | None:
    """``<lab>/<model>`` for a host's or aggregator's run id of a lab's model (``openrouter/mistralai/x`` -> ``mistral/x``),
    the id the catalog files such a model under; None for a run id that is already the lab's own."""
    host, _, rest = run_id.partition("/")
    if host not in AGGREGATORS or not rest or not lab or (host == lab and "/" not in rest):
        return None
    return f"{lab}/{slug(rest.split('/')[-1])}"


def slug(text: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9.]+", "-", str(text).lower())).strip("-.")


def hf_repo(url: Any) -> str | None:
    for u in url if isinstance(url, list) else [url]:
        m = re.search(r"huggingface\.co/([\w.-]+/[\w.-]+)", str(u or ""))
        if m and not m.group(1).startswith(("datasets/", "spaces/", "collections/", "blog/", "docs/")):
            return m.group(1).lower()
    return None


_SIZE_WORDS = ("small", "base", "large", "xl", "xxl")  # T5-style size names (mT5, mT0, UL2, Flan-T5)


def _sizes(text: str) -> tuple[set[str], set[str]]:
    t = re.sub(r"(?<=\d)_(?=\d)", ".", str(text).lower()).replace("_", "-")  # stablelm-2-1_6b is 1.6B
    nums = {m.group(0) for m in re.finditer(r"(?<![\w.])(?:\d+x)?\d+(?:\.\d+)?[bm](?![a-z])", t)}
    return nums, {w for w in re.split(r"[^a-z0-9]+", t) if w in _SIZE_WORDS}


def repo_fits(repo: str | None, name: str) -> bool:
    """False when a Hugging Face repository names another size than the model (``google/codegemma-2b``
    for CodeGemma 7B, ``bigscience/mt0-large`` for mT0-XXL-P3, ``openbmb/eurus-70b-nca`` for Eurux-8x22B):
    a repository is linked to a model only when their sizes agree or one of them names none."""
    if not repo:
        return False
    for a, b in zip(_sizes(str(repo).split("/")[-1]), _sizes(name)):  # counts with counts, words with words
        if a and b and not a & b:
            return False
    return True


def params_from_name(name: str) -> tuple[float | None, float | None]:
    """(total, active) billions from names like '70B', '135M', '235B-A22B'. '8x7B' stays unknown."""
    if re.search(r"\d+x\d+(\.\d+)?b", name, re.I):
        return None, None
    found = SIZE.findall(name.replace("_", "."))
    if not found:
        return None, None
    vals = [float(n) / (1000 if u.lower() == "m" else 1) for n, u in found]
    active = None
    m = re.search(r"-a(\d+(?:\.\d+)?)b", name, re.I)
    if m:
        active = float(m.group(1))
        vals = [v for v in vals if v != active] or vals
    return max(vals), active


def _strip_host(text: str) -> str:
    t = str(text).lower().strip()
    t = t.split("/")[-1]
    t = re.sub(r"^(us|eu|apac|global)\.(?=[a-z])", "", t)
    m = re.match(r"^([a-z0-9-]+)\.(?=[a-z])", t)
    if m and m.group(1) in OWNER_LAB:  # Bedrock: "meta.llama3-1-8b...", "deepseek.r1-v1:0"
        rest = t[m.end():]
        t = f"{m.group(1)}-{rest}" if re.match(r"[vr]\d", rest) else rest
    t = re.sub(r"\s*\((free|beta|preview)\)$", "", t)
    for _ in range(3):
        t = _HOST_SUFFIX.sub("", t)
    t = re.sub(r"^(cerebras|groq|sambanova)-(?=llama)", "", t)  # Meta's Llama API naming its serving partner
    t = re.sub(r"-(\d{2,3})e(?=-|$)", "", t)  # expert count: Llama-4-Scout-17B-16E is Llama 4 Scout 17B
    t = re.sub(r"-instruct-turbo$", "-instruct", t)  # Together's quantised serving of the instruct model
    t = re.sub(r"-20\d{6}$", "", t)  # Anthropic-style dated snapshot of the same model
    t = re.sub(r"^meta-llama-?", "llama-", t)
    return t


def model_key(lab: str | None, text: str, variant: bool = False) -> str:
    """The dedup key: lab + name reduced to family, version and size (and base/instruct when ``variant``)."""
    t = _strip_host(text)
    t = t.replace("_", "-").replace(" ", "-").replace("+", "-plus")  # Command R+ is Command R Plus, not Command R
    t = re.sub(r"(?<=[a-z0-9])-gpt(?=-|$)", "", t)  # GPT after the family names the architecture: NeMo Megatron-GPT 20B
    t = re.sub(r"(?<=\d)-(\d{1,2})(?=-|$)", r".\1", t)  # 3-1 -> 3.1, 4-5 -> 4.5 (not 3-235b)
    t = re.sub(r"(?<=\d)p(?=\d)", ".", t)  # qwen3p7 -> qwen3.7 (Fireworks)
    if not variant:
        t = _VARIANT.sub("", t)
    t = re.sub(r"[^a-z0-9.]", "", t).strip(".")
    t = re.sub(r"(?<=[a-z]\d)\.0$", "", t)  # claude-opus-4-0 is claude-opus-4
    return f"{lab or '?'}:{t}"


_RELEASE_TAG = re.compile(r"[\s_-]+(2[3-9](?:0[1-9]|1[0-2]))$")  # a YYMM release tag: "Ministral 3 8B 2512"


def without_release_tag(name: str) -> str | None:
    """The name without a trailing YYMM release tag (``Ministral 3 8B 2512`` -> ``Ministral 3 8B``),
    or None when it has none."""
    stripped = _RELEASE_TAG.sub("", str(name).strip())
    return stripped if stripped != str(name).strip() else None


def sized_keys(index: dict[str, str], key: str) -> set[str]:
    """The index's entries whose key is ``key`` followed by a size only (``meta:llama4scout`` ->
    ``meta:llama4scout17b``): the sizes a name without a size may mean."""
    return {v for k, v in index.items() if k.startswith(key) and re.fullmatch(r"\d+(?:\.\d+)?[bm]", k[len(key):])}


def is_base_variant(name: str) -> bool:
    """True when the name says it is a base (pre-trained, not instruction-tuned) model."""
    return bool(re.search(r"(?<![a-z])base(?![a-z])", str(name).lower()))


def lab_of(model_id: str, name: str = "", family: str | None = None, default: str | None = None) -> str | None:
    """The lab behind a hosted model id: its organisation folder, a Bedrock prefix, or its name."""
    mid = str(model_id).lower()
    parts = mid.split("/")
    if len(parts) > 1 and parts[-2] in OWNER_LAB:
        return OWNER_LAB[parts[-2]]
    stem = parts[-1]
    m = re.match(r"^(?:(?:us|eu|apac|global)\.)?([a-z0-9-]+)\.(?=[a-z])", stem)
    if m and m.group(1) in OWNER_LAB:
        return OWNER_LAB[m.group(1)]
    for text in (str(family or "").lower(), stem, slug(name)):
        for prefix, lab in sorted(NAME_LAB, key=lambda p: -len(p[0])):
            if text.startswith(prefix):
                return lab
    if len(parts) > 1 and parts[-2] not in ("models", "routers", "accounts"):
        return canonical_lab(parts[-2].lstrip("~"))  # the organisation folder a host files it under
    return default
