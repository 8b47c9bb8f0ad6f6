"""Benchmark priors (issue 17): published results as facts, linked conservatively, ordering known pairs."""

from __future__ import annotations

import json

import pytest

from whichai.catalog import benchmarks
from whichai.catalog.catalog import load_shipped
from whichai.decide.criteria_scores import score_entry
from whichai.decide.profile import Profile

# (stronger, weaker) where published leaderboards agree: newer vs older generation, large vs small, across vendors
CHAT_PAIRS = [
    ("openai/gpt-5", "openai/gpt-4o-2024-08-06"),
    ("openai/gpt-4.1", "openai/gpt-4.1-nano"),
    ("openai/o3", "openai/gpt-4-turbo"),
    ("anthropic/claude-sonnet-4-5-20250929", "anthropic/claude-3-haiku-20240307"),
    ("anthropic/claude-sonnet-4-0", "anthropic/claude-3-sonnet-20240229"),
    ("anthropic/claude-3-5-sonnet-20241022", "anthropic/claude-3-haiku-20240307"),
    ("anthropic/claude-opus-4-1-20250805", "anthropic/claude-3-opus-20240229"),
    ("amazon-bedrock/meta.llama3-1-70b-instruct-v1:0", "groq/llama-3.1-8b-instant"),
    ("alibaba/qwen2-5-72b-instruct", "alibaba/qwen2-5-7b-instruct"),
    ("alibaba/qwen2-5-32b-instruct", "alibaba/qwen2-5-7b-instruct"),
    ("gemini/gemini-2.5-pro", "gemini/gemini-2.0-flash-lite"),
    ("gemini/gemini-2.5-flash", "gemini/gemini-2.5-flash-lite"),
    ("amazon-bedrock/google.gemma-3-27b-it", "amazon-bedrock/google.gemma-3-4b-it"),
    ("azure/phi-4", "azure/phi-3.5-mini-instruct"),
    ("openrouter/deepseek/deepseek-v3.2-exp", "togetherai/deepseek-ai/DeepSeek-V3"),
    ("amazon-bedrock/amazon.nova-pro-v1:0", "amazon-bedrock/amazon.nova-micro-v1:0"),
    ("openai/o4-mini", "openai/gpt-4.1-nano"),
    ("gemini/gemini-2.5-pro", "anthropic/claude-3-5-haiku-20241022"),
    ("zhipuai/glm-4.5", "alibaba/qwen2-5-72b-instruct"),
    ("moonshotai/kimi-k2-0905-preview", "llama/llama-3.3-70b-instruct"),
    ("azure/meta-llama-3.1-405b-instruct", "groq/llama-3.1-8b-instant"),
]
CODE_PAIRS = [
    ("openai/gpt-5", "openai/gpt-4o"),
    ("openai/o3", "openai/gpt-4o-mini"),
    ("openai/gpt-4.1", "openai/gpt-4.1-nano"),
    ("anthropic/claude-sonnet-4-0", "anthropic/claude-3-haiku-20240307"),
    ("anthropic/claude-3-7-sonnet-20250219", "anthropic/claude-3-5-haiku-20241022"),
    ("anthropic/claude-opus-4-1-20250805", "anthropic/claude-3-opus-20240229"),
    ("amazon-bedrock/meta.llama3-1-70b-instruct-v1:0", "groq/llama-3.1-8b-instant"),
    ("alibaba/qwen2-5-72b-instruct", "alibaba/qwen2-5-7b-instruct"),
    ("alibaba/qwen2-5-72b-instruct", "alibaba/qwen2-5-14b-instruct"),
    ("nvidia/qwen/qwen2.5-coder-32b-instruct", "alibaba/qwen2-5-7b-instruct"),
    ("gemini/gemini-2.5-pro", "gemini/gemini-2.0-flash"),
    ("amazon-bedrock/google.gemma-3-27b-it", "amazon-bedrock/google.gemma-3-4b-it"),
    ("openrouter/deepseek/deepseek-v3.2-exp", "togetherai/deepseek-ai/DeepSeek-V3"),
    ("deepseek/deepseek-r1", "openai/gpt-4o"),
    ("mistral/devstral-medium-2507", "mistral/mistral-7b-instruct-v0.2"),
    ("mistral/mixtral-8x22b-instruct-v0.1", "mistral/mixtral-8x7b-instruct-v0.1"),
    ("zhipuai/glm-4.5", "azure/phi-4"),
    ("moonshotai/kimi-k2-0905-preview", "llama/llama-3.3-70b-instruct"),
    ("openai/gpt-4", "anthropic/claude-2"),
    ("google/gemma-7b", "google/gemma-2b"),
]


def _perf(cat, model: str, kind: str) -> tuple[float, str]:
    sc = score_entry(cat.get(model), Profile(task_kind=kind, languages=["en"]))["performance"]
    return sc.score, sc.origin


@pytest.mark.parametrize(("kind", "pairs"), [("chat", CHAT_PAIRS), ("code", CODE_PAIRS)])
def test_prior_orders_known_pairs(kind: str, pairs: list[tuple[str, str]]) -> None:
    cat = load_shipped()
    right = 0
    for strong, weak in pairs:
        (s, so), (w, wo) = _perf(cat, strong, kind), _perf(cat, weak, kind)
        assert so == wo == "benchmark", (strong, so, weak, wo)
        right += s > w
    assert right / len(pairs) >= 0.9, f"{kind}: {right} of {len(pairs)} pairs ordered"


def test_coverage_and_facts() -> None:
    assert len(benchmarks.covered()) >= 150
    assert {"Apache-2.0", "CC-BY-4.0", "MIT"} <= {s.license for s in benchmarks.sources()}
    assert len(benchmarks.sources()) >= 4
    assert all(s.url and s.attribution and s.observed in ("2026-12-07", "2026-12-08") and s.linked for s in benchmarks.sources())
    vendor = next(s for s in benchmarks.sources() if s.id == "vendor-reports")  # the 2026 releases' own figures, read 2026-12-08
    assert vendor.observed == "2026-12-08" and "self-reported" in vendor.attribution and vendor.linked == vendor.results
    assert all("entry" not in r for r in benchmarks.data()["results"])  # raw names only: linked when the catalog loads
    facts = benchmarks.facts("openai/gpt-5")
    assert facts and all(f.url and f.license and f.observed == "2026-12-07" and f.model_as_named for f in facts)
    assert benchmarks.unlinked()  # reported, not guessed


@pytest.mark.parametrize(("name", "expected"), [
    ("Qwen2.5-72B-Instruct", ["alibaba/qwen2-5-72b-instruct"]),  # never the 7B or 32B
    ("Llama-3.1-70B", ["meta/llama-3.1-70b"]),  # the base model, not the instruct one
    ("gpt-5.5", ["openai/gpt-5.5"]), ("gpt-5.6", None),  # never a neighbouring version
    ("claude-haiku-4-5-20251015", None),  # a snapshot date the catalog does not have: not guessed
    ("LLM360/K2", None),  # the catalog's "K2 (K2-Think-V2)" is another model: keyed by its own name, not the family's
    ("LLM360/Amber", ["llm360/amber-7b"]),  # not also "Amber (AmberSafe)"
    ("swiss-ai/Apertus-70B-Instruct-2509", ["swiss-ai-initiative/apertus-70b-instruct-2509"]), ("Apertus", None),
    ("Granite-4.0-Micro-3B", ["ibm/granite-4.0-micro-3b"]),  # never the H-Micro (OpenRouter: "Granite 4.0 Micro"; curated to IBM's "Granite 4.0 H Micro")
    ("ibm-granite/granite-4.0-h-micro", ["ibm/granite-4.0-h-micro-3b"]),  # one model, one entry (MOF and OpenRouter merged)
    ("GPT-5.3-Codex", ["openai/gpt-5.3-codex"]), ("GPT-5.4 mini", ["openai/gpt-5.4-mini"]),  # never Codex-Spark, never GPT-5.4
    ("GPT-5.4 (xhigh)", ["openai/gpt-5.4"]),  # a reasoning setting is not another model
    ("deepseek-ai/DeepSeek-V4-Pro (Max)", ["deepseek/deepseek-v4-pro"]), ("deepseek-ai/DeepSeek-V4-Flash (Max)", ["deepseek/deepseek-v4-flash"]),
    ("nvidia/Llama-3_3-Nemotron-Super-49B-v1_5", ["nvidia/llama-3.3-nemotron-super-49b-v1.5"]),
    # a final "hf" is a format (the same weights converted for Transformers), a setting in parentheses is no part of the name
    ("allenai/OLMo-7B-Twin-2T (few-shot)", ["allen-institute-for-ai/olmo-7b-twin-2t-hf"]), ("allenai/OLMo-1B", ["allen-institute-for-ai/olmo-1b-hf"]),
    ("allenai/OLMo-7B-hf", ["allen-institute-for-ai/olmo-7b-hf"]), ("allenai/OLMo-7B-Twin", None),  # never the Twin's sibling
    # a model released as a preview only: its card names it without the word; never when the catalog has the name itself
    ("Gemini 3 Pro", ["gemini/gemini-3-pro-preview"]), ("Gemini 3.1 Flash Lite", ["gemini/gemini-3.1-flash-lite"]),
])
def test_linking_is_conservative(name: str, expected: list[str] | None) -> None:
    cat = load_shipped()
    index = benchmarks.link_index([(e["id"], e.get("name"), e.get("aliases", []), e.get("hf_repo")) for e in cat.raw])
    assert benchmarks.link(name, index) == expected


def test_unknown_model_falls_back_to_size_or_price() -> None:
    s, origin = _perf(load_shipped(), "openai/gpt-5.5-pro", "chat")  # no figure of its own: GPT-5.5's, by the line rule
    assert origin == "estimate" and 0 < s < 1


def test_models_card_json(cli) -> None:
    out = cli("models", "openai/gpt-5", "--profile", "startup-no-ml", "--json")
    doc = json.loads(out.stdout)
    assert doc["performance_prior"]["origin"] == "benchmark" and doc["benchmarks"]
    assert doc["criteria"]["performance"]["origin"] == "benchmark"


# a model no benchmark covers: the line estimate (issue 17, item 2) ---------------------------------

# (newer or larger, older or smaller) of one vendor line, where the stronger is not in any benchmark source
GENERATION_PAIRS = [
    ("openai/gpt-5.5-pro", "openai/gpt-4o-2024-05-13"),
    ("openai/gpt-5.4-pro", "openai/gpt-4o-2024-08-06"),
    ("openai/gpt-5.1-codex-max", "openai/gpt-4o-mini"),  # GPT-5.1-Codex-mini was this pair until its own Terminal-Bench 2.0 figure
    ("openai/gpt-5.2-codex", "openai/gpt-4-turbo"),  # GPT-5.2 Pro was this pair until its own GPQA figure (vendor-reports)
]


@pytest.mark.parametrize("kind", ["chat", "code"])
def test_line_estimate_orders_newer_generations(kind: str) -> None:
    cat = load_shipped()
    for strong, weak in GENERATION_PAIRS:
        sc = score_entry(cat.get(strong), Profile(task_kind=kind, languages=["en"]))["performance"]
        assert sc.origin == "estimate" and sc.note.startswith("why.prior_line"), (strong, sc.note)  # never labelled benchmark
        assert sc.params["se"] > 0 and "rule:" in sc.evidence[0]
        assert sc.score > _perf(cat, weak, kind)[0], (strong, weak)


def _profile_file(tmp_path, kind: str):
    path = tmp_path / f"{kind}.yaml"
    path.write_text(f"name: {kind}-only\ntask_kind: {kind}\nlanguages: [en]\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("kind", "pairs"), [("chat", CHAT_PAIRS[:4] + GENERATION_PAIRS[:1]), ("code", CODE_PAIRS[:4] + GENERATION_PAIRS[:1])])
def test_pairs_through_the_cli(cli, tmp_path, kind: str, pairs: list[tuple[str, str]]) -> None:
    """The same ordering as ``whichai models ID --profile P --json`` shows it (a few pairs: one process per model)."""
    profile = _profile_file(tmp_path, kind)

    def perf(model: str) -> float:
        doc = json.loads(cli("models", model, "--profile", profile, "--json").stdout)
        return doc["criteria"]["performance"]["score"]

    right = sum(perf(a) > perf(b) for a, b in pairs)
    assert right == len(pairs)


def test_startup_no_ml_ranks_no_2024_model_level_with_its_2026_successor(cli) -> None:
    doc = json.loads(cli("recommend", "--profile", "startup-no-ml", "--json").stdout)
    rows = {r["model"]: r for r in doc["ranking"]}
    # gpt-4o-2024-05-13 shut down 2026-10-23 (OpenAI's 2026-04-22 notice): retired, never ranked; the 2024 GPT-4o
    # snapshot still served on the pinned day (deprecated, shutdown 2027-01-14) is ranked and must stay below
    assert "openai/gpt-4o-2024-05-13" not in rows
    new, old = rows["openai/gpt-5.5"], rows["openai/gpt-4o-2024-08-06"]
    assert new["criteria"]["performance"]["score"] > old["criteria"]["performance"]["score"] + 0.1
    assert new["rank"] < old["rank"]
    assert new["criteria"]["performance"]["origin"] == "benchmark"  # OpenAI's own GPQA Diamond figure (vendor-reports)
    # nor level with GPT-5 (2025): ranked below it. startup-no-ml needs Indonesian and neither has a multilingual figure:
    # both multilingual halves are their general priors (neutral), with the spread between models' multilingual strengths
    # as noise, which makes the two indistinguishable without measuring (tied_with says so); for an English chat task
    # they are not (test below)
    gpt5 = rows["openai/gpt-5"]
    assert gpt5["rank"] > new["rank"]
    assert new["criteria"]["performance"]["score"] > gpt5["criteria"]["performance"]["score"]
    reason = new["criteria"]["performance"]["reason"]
    assert "no multilingual figure of its own" in reason["en"] and "tidak ada angka multibahasa" in reason["id"]


def test_gpt55_is_not_within_gpt5s_noise_for_an_english_chat_task() -> None:
    from whichai.decide.criteria_scores import within_noise

    cat = load_shipped()
    new, old = (score_entry(cat.get(m), Profile(task_kind="chat", languages=["en"]))["performance"] for m in ("openai/gpt-5.5", "openai/gpt-5"))
    assert new.score > old.score and not within_noise(new, old)


def test_ties_within_noise_are_shown_with_the_run_that_separates_them(cli) -> None:
    doc = json.loads(cli("recommend", "--profile", "startup-no-ml", "--json").stdout)
    top = doc["ranking"][0]
    assert top["tied_with"], "the top models' priors are within the benchmarks' noise"
    rows = {r["model"]: r for r in doc["ranking"]}
    assert all(top["model"] in rows[m]["tied_with"] for m in top["tied_with"])  # symmetric
    for lang, words in (("en", "indistinguishable without measuring"), ("id", "tidak dapat dibedakan tanpa pengukuran")):
        text = next(b["text"] for b in doc["explanation"][lang] if b["kind"] == "caveat" and words in b["text"])
        assert f"whichai run --models {top['model']},{top['tied_with'][0]}" in text or f"whichai run --models {top['model']}," in text


def test_measured_is_never_tied() -> None:
    from whichai.decide.criteria_scores import Score, within_noise

    a = Score(0.80, "benchmark", params={"se": 0.02})
    assert within_noise(a, Score(0.78, "benchmark", params={"se": 0.02}))
    assert not within_noise(a, Score(0.60, "benchmark", params={"se": 0.02}))
    assert not within_noise(a, Score(0.80, "measured", params={"se": 0.02}))
    assert not within_noise(a, Score(0.80, "estimate"))  # a size/price prior has no noise on record


# top 10 of every built-in profile: a prior from the model's OWN published benchmark figures ---------------------------

# Models in a built-in profile's top 10 with no figure of their own, each with why and where it was looked for (2026-12-08;
# BENCHMARKS.md "Top 10 of every profile"). Unknown is not bad: the ranking keeps such a model at its line estimate (an older
# model of its line, labelled an estimate) or its size prior rather than guessing it weak, so these stay, named, until a
# figure is read at a source. Every other top-10 row must have origin ``benchmark``; a model in a top 10 that is neither
# covered nor named here fails the test, and so does a name here that gains a benchmark prior for chat.
TOP10_UNCOVERED: dict[str, str] = {}  # none since ScandEval's figures for OLMo-7B-Twin-2T (2026-12-08)


@pytest.mark.parametrize("name", ["default", "airgapped-government", "high-volume-product", "hobbyist-laptop", "regulated-bank", "research-lab",
                                  "startup-no-ml"])
def test_top10_of_each_profile_rests_on_its_own_benchmarks(cli, name: str) -> None:
    """Strict: origin ``benchmark`` in the ranking and in ``whichai models ID --profile P --json``, for every top-10 row not named."""
    doc = json.loads(cli("recommend", "--profile", name, "--json").stdout)
    top = doc["ranking"][:10]
    for row in top:
        perf = row["criteria"]["performance"]
        if row["model"] in TOP10_UNCOVERED:
            assert perf["origin"] == "estimate", row["model"]  # never labelled benchmark without a figure of its own
            continue
        assert perf["origin"] == "benchmark", (name, row["model"], perf["origin"], perf["reason"]["en"])
    covered = next(r["model"] for r in top if r["model"] not in TOP10_UNCOVERED)  # the same through ``whichai models``
    card = json.loads(cli("models", covered, "--profile", name, "--json").stdout)
    assert card["performance_prior"]["origin"] == "benchmark" and card["benchmarks"], covered


def test_the_named_top10_gaps_have_no_benchmark_prior() -> None:
    assert all(benchmarks.prior(eid, "chat") is None for eid in TOP10_UNCOVERED)  # a named gap that gains a chat prior fails
    # the code models' cards give a code figure only: their own code prior for a code task, and for a chat task that code
    # ability read back on the general scale (the linking the other way), never their size prior
    for eid in ("ibm/granite-20b-code-instruct", "ibm/granite-34b-code-instruct"):  # the 3B and 8B: ScandEval's general figures since
        code, chat = benchmarks.prior(eid, "code"), benchmarks.prior(eid, "chat")
        assert code is not None and not code.linked_from, eid
        assert chat is not None and chat.ability == "general" and chat.linked_from == "code" and chat.linked_over >= 10, eid
    # the top-10 models the leaderboards here end before now rank on their publishers' own figures (vendor-reports, 2026-12-08)
    for eid in ("alibaba/qwen3.5-9b", "deepseek/deepseek-v4-pro", "deepseek/deepseek-v4-flash", "zhipuai/glm-5",
                "nvidia/llama-3.3-nemotron-super-49b-v1.5", "openai/gpt-5.1", "openai/gpt-5.2", "openai/gpt-5.2-pro", "openai/gpt-5.3-codex",
                "openai/gpt-5.4", "openai/gpt-5.4-mini", "openai/gpt-5.4-nano", "openai/gpt-5.5"):
        found = benchmarks.prior(eid, "chat")
        assert found is not None and found.ability == "general", eid
        assert any(src.startswith("vendor announcements") for _, _, src, _ in found.benchmarks), eid
    # Devstral Small 2505's card gives SWE-bench Verified only: its own code prior, and for chat that read on the general scale
    assert benchmarks.prior("mistral/devstral-small-2505", "code") is not None
    assert benchmarks.prior("mistral/devstral-small-2505", "chat").linked_from == "code"  # type: ignore[union-attr]
    # GPT-5.3-Codex-Spark on its own figure, OpenAI's Terminal-Bench 2.0 58.4 (its announcement), not GPT-5.3-Codex's: an
    # agentic-coding figure, read on the general scale (the linking the other way), below GPT-5.3-Codex for chat and for code
    spark, codex = benchmarks.prior("openai/gpt-5.3-codex-spark", "chat"), benchmarks.prior("openai/gpt-5.3-codex", "chat")
    assert spark is not None and codex is not None and spark.ability == "general" and spark.linked_from == "agentic"
    assert [(b, s, named) for b, s, _, named in spark.benchmarks] == [("Terminal-Bench 2.0", 0.584, "GPT-5.3-Codex-Spark")]
    assert spark.score < codex.score
    assert benchmarks.prior("openai/gpt-5.3-codex-spark", "code").score < benchmarks.prior("openai/gpt-5.3-codex", "code").score  # type: ignore[union-attr]
    # the models that were in research-lab's top 10 only because nothing was known now have their figures
    for eid in ("allen-institute-for-ai/olmo-1b-hf", "meta/fairseq-dense-13b", "swiss-ai-initiative/apertus-70b-instruct-2509"):
        assert eid in benchmarks.covered(), eid
    # OLMo-7B-Twin-2T: once estimated by the line rule from OLMo-7B (no figure in its cards, the OLMo README or the Open LLM
    # Leaderboard), now on its own ScandEval figures (test_a_model_near_chance_on_scandeval_ranks_below_its_line)
    assert benchmarks.line_estimate("allen-institute-for-ai/olmo-7b-twin-2t-hf", "chat") is None
    # IBM's Granite 4.0 cards' table: each model its own column, a general prior for a chat task
    for eid in ("ibm/granite-4.0-micro-3b", "ibm/granite-4.0-h-micro-3b", "ibm/granite-4.0-h-tiny-7b", "ibm/granite-4.0-h-small-32b"):
        found = benchmarks.prior(eid, "chat")
        assert found is not None and found.ability == "general", eid
    assert benchmarks.prior("ibm/granite-4.0-micro-3b", "chat") != benchmarks.prior("ibm/granite-4.0-h-micro-3b", "chat")


@pytest.mark.parametrize("width", [80, 200])
def test_printed_commands_are_never_split_across_lines_in_the_terminal(width: int) -> None:
    """The tie caveat names the run that separates two models; in the terminal's panels a printed ``whichai …``
    command is moved whole to the next line rather than broken at the border (it must stay copyable)."""
    import io
    import re

    from rich.console import Console

    from whichai.app import recommend
    from whichai.cli.decision_view import _wrapped, render

    text = "The one measurement that separates them: whichai run --models a/b,c/d --profile YOUR_PROFILE.yaml)."
    for w in range(20, len(text) + 2):
        lines = _wrapped(text, w).split("\n")
        assert any("whichai run --models a/b,c/d --profile YOUR_PROFILE.yaml)." in ln for ln in lines), (w, lines)
        assert " ".join(lines) == text
    buf = io.StringIO()
    render(recommend("startup-no-ml").document(), Console(file=buf, width=width, color_system=None), lang="en")
    for line in buf.getvalue().splitlines():
        assert not re.search(r"whichai(?: [a-z]+)?(?: --[a-z-]+)? *│?$", line.rstrip(" │")), line


# abilities on one scale: a missing figure is neither a penalty nor a bonus (mean-sigma linking) --------------------------

NEWER_PAIRS = [("openai/gpt-5.1", "openai/gpt-5"), ("openai/gpt-5.5", "openai/gpt-5"), ("openai/gpt-5.4", "openai/gpt-5.1"),
               ("openai/gpt-5.4-mini", "openai/gpt-5-mini"), ("openai/gpt-5", "openai/gpt-5-mini"), ("openai/gpt-5-mini", "openai/gpt-5-nano"),
               ("deepseek/deepseek-v4-pro", "deepseek/deepseek-v4-flash"), ("alibaba/qwen3.5-9b", "alibaba/qwen2-5-7b-instruct")]


def _perf_in(cat, model: str, kind: str, langs: list[str]):
    return score_entry(cat.get(model), Profile(task_kind=kind, languages=langs))["performance"]


def test_the_linking_puts_each_ability_on_the_general_scale() -> None:
    links = benchmarks.linkings()
    assert set(links) == {"code", "reasoning", "extraction", "agentic"}  # multilingual is anchored benchmark by benchmark instead
    rows = [r for r in benchmarks._priors().values() if "general" in r]
    for ability, k in links.items():
        both = [(r["general"].theta, r[ability].theta) for r in rows if ability in r]
        # agentic's models are all recent frontier ones, close together on the general scale: a steep line (range restriction)
        assert k.n == len(both) >= benchmarks.MIN_LINKED and 0 < k.spread < 1 and 0.5 < k.slope < (10 if ability == "agentic" else 2), k
        # a model's own figure is, on average over the entries having both, exactly where its general one is linked to:
        # having a figure is neutral, not a penalty
        assert abs(sum(a - (k.mean + k.slope * (g - k.general_mean)) for g, a in both) / len(both)) < 1e-4
    gpt55 = benchmarks.prior("openai/gpt-5.5", "code")  # GPQA only: its general prior on the code scale, with the spread as noise
    assert gpt55 is not None and gpt55.ability == "code" and gpt55.linked_from == "general" and gpt55.linked_over == links["code"].n
    general = benchmarks.prior("openai/gpt-5.5", "chat")
    assert general is not None and gpt55.se > general.se and gpt55.theta_se >= links["code"].spread
    own = benchmarks.prior("openai/gpt-5", "code")
    assert own is not None and not own.linked_from  # its own code figures: never replaced by a linked value


@pytest.mark.parametrize("langs", [["en"], ["en", "id"]])
def test_a_model_with_only_general_figures_is_not_ranked_below_its_predecessor_for_code(langs: list[str]) -> None:
    """GPT-5.5 and GPT-5.4 have OpenAI's GPQA Diamond only: before the linking their code prior was the general prior × the chat
    model's code fit (0.85), below GPT-5's and GPT-5.1's own code-scale priors (0.81 < 0.93)."""
    cat = load_shipped()
    for strong, weak in (("openai/gpt-5.5", "openai/gpt-5"), ("openai/gpt-5.4", "openai/gpt-5.1"), ("openai/gpt-5.4-mini", "openai/gpt-5-mini")):
        s, w = _perf_in(cat, strong, "code", langs), _perf_in(cat, weak, "code", langs)
        assert s.score > w.score and s.origin == "benchmark", (strong, s.score, weak, w.score)
        assert ["code", benchmarks.linkings()["code"].n] in s.params["linked"]
        assert "code ability linked from general" in s.evidence[0]
        for lang, words in (("en", "general ability linked to the code scale over"), ("id", "disetarakan ke skala kode atas")):
            assert words in s.reason["text"][lang], s.reason["text"][lang]
    # a chat model is not penalised twice (the linking was fitted on chat models); a base-only model still is
    from whichai.decide.criteria_scores import task_fit_factor

    assert task_fit_factor(["base"], "code") / task_fit_factor(["chat"], "code") < 0.5


def test_a_multilingual_figure_is_no_penalty_for_an_indonesian_task() -> None:
    """en+id: every model's prior is half general, half multilingual (its general θ plus its figures' shrunk residual
    from what the general θ predicts; no figure: its general θ). Before issue 17 only a model with a multilingual figure
    was blended with that lower-sitting scale, so GPT-5.4 (no figure) stood on its general prior and GPT-5.1 (MMMLU) was
    pulled down; now GPT-5.4 and GPT-5.5 are blended too, neutrally."""
    cat = load_shipped()
    for kind in ("chat", "code"):
        for strong, weak in (("openai/gpt-5.4", "openai/gpt-5.1"), ("openai/gpt-5.5", "openai/gpt-5.1"), ("alibaba/qwen3.5-9b", "alibaba/qwen2-5-7b-instruct")):
            s, w = _perf_in(cat, strong, kind, ["en", "id"]), _perf_in(cat, weak, kind, ["en", "id"])
            assert s.score > w.score, (kind, strong, s.score, weak, w.score)
            assert any(line.startswith("multilingual ability") for line in s.evidence) and any(line.startswith("multilingual ability") for line in w.evidence)
        gpt54 = _perf_in(cat, "openai/gpt-5.4", kind, ["en", "id"])
        assert gpt54.params["anchored"] == {"figures": [], "shift": 0.0, "unused": []}
        assert "multibahasa" in gpt54.reason["text"]["id"] and "what its general ability predicts (neutral)" in gpt54.reason["text"]["en"]
        assert "MMMLU" in _perf_in(cat, "openai/gpt-5.1", kind, ["en", "id"]).params["benchmarks"]  # the reason names the figure used
    assert _perf_in(cat, "openai/gpt-5.4", "chat", ["en"]).params.get("linked") is None  # English only: nothing linked for chat


@pytest.mark.parametrize("langs", [["en"], ["en", "id"]])
@pytest.mark.parametrize("kind", ["chat", "code"])
def test_known_and_newer_pairs_in_english_and_indonesian(kind: str, langs: list[str]) -> None:
    """The known pairs plus newer-vs-older ones, for English and for English + Indonesian: all in order. GPT-5.1 was below
    GPT-5 for en+id until the multilingual anchoring (its own MMMLU figure sat low on the one-factor multilingual scale)."""
    cat = load_shipped()
    pairs = (CHAT_PAIRS if kind == "chat" else CODE_PAIRS) + NEWER_PAIRS
    wrong = [(a, b) for a, b in pairs if _perf_in(cat, a, kind, langs).score <= _perf_in(cat, b, kind, langs).score]
    assert wrong == [], wrong


# the multilingual ability anchored on the general scale, benchmark by benchmark (catalog/anchoring.py) -----------------


def _multilingual_rows() -> dict[str, dict[str, benchmarks.BenchmarkPrior]]:
    return {e: row for e, row in benchmarks._priors().items() if "general" in row and "multilingual" in row}


def test_each_multilingual_benchmark_is_anchored_and_a_models_own_figures_are_neutral_on_average() -> None:
    """Different groups of models took different multilingual benchmarks, so the one-factor multilingual θ sat 0.77 below
    the linked value for entries measured on MMMLU alone and 0.42 above for MGSM alone (cebe6c1). Anchored on the general θ,
    benchmark by benchmark, a model's own figures are neutral on average, per benchmark and per group that took the same."""
    anchors = benchmarks.anchoring()
    assert anchors is not None and anchors.unused == () and anchors.models == len(_multilingual_rows())
    names = {b for row in _multilingual_rows().values() for b, *_ in row["multilingual"].benchmarks}
    assert {k.benchmark for k in anchors.lines} == names and {"MMMLU", "MGSM", "Global-MMLU-Lite"} <= names
    assert all(k.n >= 8 and k.slope > 0 for k in anchors.lines) and 0 < anchors.between < anchors.within
    per_benchmark: dict[str, list[float]] = {}
    per_group: dict[tuple[str, ...], list[float]] = {}
    for e, row in _multilingual_rows().items():
        multi = benchmarks.multilingual(e)
        assert multi is not None and multi.anchor is not None and multi.ability == "multilingual"
        gap = multi.theta - row["general"].theta  # what its figures move it from what it would be without them
        own = tuple(sorted(b for b, *_ in row["multilingual"].benchmarks))
        for b in own:
            per_benchmark.setdefault(b, []).append(gap)
        per_group.setdefault(own, []).append(gap)
        # the raw residuals: each figure's distance from its benchmark's line, in θ
        for k, y, r in multi.anchor.residuals:
            assert abs(r - k.residual(row["general"].theta, y)) < 1e-12
    for b, gaps in per_benchmark.items():
        assert abs(sum(gaps) / len(gaps)) < 0.1, (b, sum(gaps) / len(gaps))
    for group, gaps in per_group.items():
        if len(gaps) >= 4:  # MMMLU alone (7), MMMLU + MGSM (9), MGSM alone (16), Global-MMLU-Lite alone (6), ...
            assert abs(sum(gaps) / len(gaps)) < 0.15, (group, sum(gaps) / len(gaps))
    # and a line's residuals average 0 over the models that took its benchmark (least squares with an intercept)
    for k in anchors.lines:
        res = [r for e in _multilingual_rows() for kk, _, r in benchmarks.multilingual(e).anchor.residuals if kk == k]
        assert len(res) == k.n and abs(sum(res)) / k.n < 1e-4  # (the line's constants are rounded to 6 places)


def test_the_anchoring_rule_on_made_up_figures() -> None:
    from statistics import NormalDist

    from whichai.catalog.anchoring import MIN_ANCHORED, fit_anchoring

    cdf = NormalDist().cdf
    gs = [round(-1.65 + 0.3 * i, 2) for i in range(12)]  # symmetric around 0
    # each model's own multilingual strength ±0.2 and a benchmark's noise ±0.05 (+ on A, − on B), both even in θ_general
    # and uncorrelated with each other, so the lines are the true ones and the split is known
    own = {0.15: 0.2, 0.45: 0.2, 0.75: 0.2, 1.05: -0.2, 1.35: -0.2, 1.65: -0.2}
    noise = {0.15: 0.05, 0.45: -0.05, 0.75: 0.0, 1.05: 0.05, 1.35: -0.05, 1.65: 0.0}
    rows = [(g, [("A", cdf(0.5 + 0.6 * (g + own[abs(g)] + noise[abs(g)]))), ("B", cdf(-0.2 + 0.9 * (g + own[abs(g)] - noise[abs(g)]))),
                 *([("C", 0.7)] if i < MIN_ANCHORED - 1 else []), *([("D", cdf(1 - 0.3 * g))] if i < 9 else [])])
            for i, g in enumerate(gs)]
    anchors = fit_anchoring(rows)
    assert anchors is not None and anchors.models == 12
    assert [k.benchmark for k in anchors.lines] == ["A", "B"]  # C: 7 models; D: falls as general ability rises
    assert dict(anchors.unused) == {"C": MIN_ANCHORED - 1, "D": 9}
    a, b = anchors.line("A"), anchors.line("B")
    assert a is not None and b is not None
    assert (a.intercept, a.slope, b.intercept, b.slope) == pytest.approx((0.5, 0.6, -0.2, 0.9), abs=1e-5)
    # within: each model's two residuals o ± n around their mean o; total: Σ r² over 24 residuals less 2 per line
    within = sum(2 * noise[abs(g)] ** 2 for g in gs) / 12
    total = sum(2 * (own[abs(g)] ** 2 + noise[abs(g)] ** 2) for g in gs) / (24 - 4)
    assert anchors.within == pytest.approx(within, abs=1e-5) and anchors.between == pytest.approx(total - within, abs=1e-5)
    i = gs.index(0.15)  # own +0.2, residuals +0.25 on A and +0.15 on B
    strong = anchors.anchor(gs[i], rows[i][1])
    w = 2 / (2 + anchors.within / anchors.between)
    assert [(k.benchmark, round(r, 4)) for k, _, r in strong.residuals] == [("A", 0.25), ("B", 0.15)] and strong.weight == pytest.approx(w)
    assert strong.shift == pytest.approx(w * 0.2, abs=1e-4) and strong.shift_se == pytest.approx((w * anchors.within / 2) ** 0.5)
    none = anchors.anchor(0.4, [("C", 0.9)])  # no figure on an anchored benchmark: neutral, the between-model spread as noise
    assert none.residuals == () and none.shift == 0 and none.shift_se == pytest.approx(anchors.between**0.5)
    assert none.unused == (("C", 0.9),)  # named, not silently dropped: the evidence and the reason say so
    from whichai.decide.criteria_scores import reason_text

    params = {"benchmarks": "MMLU", "prior": 0.8, "se": 0.02, "task": "chat", "anchored": {"figures": [], "shift": 0.0, "unused": ["C"]}}
    assert "its multilingual figures (C) are on benchmarks too few models took" in reason_text("why.prior_benchmark", params, "en")
    assert "angka multibahasanya (C) ada pada tolok ukur" in reason_text("why.prior_benchmark", params, "id")
    assert fit_anchoring(rows[: MIN_ANCHORED - 1]) is None  # no benchmark with enough models


def test_a_multilingual_prior_without_a_general_one_is_its_own_and_nothing_without_an_anchoring() -> None:
    row = next(iter(_multilingual_rows().values()))
    own = row["multilingual"]
    assert benchmarks.anchored_prior({"multilingual": own}, benchmarks.anchoring()) is own  # as before the anchoring
    assert benchmarks.anchored_prior(row, None) is None
    assert benchmarks.anchored_prior({}, benchmarks.anchoring()) is None


def test_gpt51s_mmmlu_is_named_with_its_residual_in_both_languages() -> None:
    cat = load_shipped()
    general = benchmarks.prior("openai/gpt-5.1", "chat")
    anchors = benchmarks.anchoring()
    assert general is not None and anchors is not None and (line := anchors.line("MMMLU")) is not None
    residual = line.residual(general.theta, 0.91)
    for kind in ("chat", "code"):
        perf = _perf_in(cat, "openai/gpt-5.1", kind, ["en", "id"])
        assert perf.params["anchored"]["figures"] == [["MMMLU", 0.91, round(residual, 3)]]
        assert f"MMMLU 91.0: +{residual:.2f} above what its general ability predicts" in perf.reason["text"]["en"]
        assert f"MMMLU 91,0: +{residual:.2f}".replace(".", ",") + " di atas yang diperkirakan" in perf.reason["text"]["id"]
        assert any(e.startswith("multilingual ability anchored on general: MMMLU 0.910") for e in perf.evidence)
    qwen = _perf_in(cat, "alibaba/qwen3.5-9b", "chat", ["en", "id"])  # a figure below its line says so
    assert " below what its general ability predicts" in qwen.reason["text"]["en"] and qwen.params["anchored"]["shift"] < 0


def test_a_code_only_model_is_read_on_the_general_scale_for_a_chat_task() -> None:
    """The linking read the other way: a model with code figures only gets, for a chat task, its code ability put on the
    general scale (origin benchmark, said in both languages), then its task fit: a code-only model is no chat model."""
    from whichai.decide.criteria_scores import reason_text

    cat = load_shipped()
    chat = score_entry(cat.get("ibm/granite-20b-code-instruct"), Profile(task_kind="chat", languages=["en"]))["performance"]
    code = score_entry(cat.get("ibm/granite-20b-code-instruct"), Profile(task_kind="code", languages=["en"]))["performance"]
    assert chat.origin == code.origin == "benchmark"
    assert chat.params["linked"] == [["general", benchmarks.linkings()["code"].n, "code"]]
    assert "its code ability linked to the general scale" in reason_text(chat.note, chat.params, "en")
    assert "kemampuan kode-nya disetarakan ke skala umum" in reason_text(chat.note, chat.params, "id")
    assert any(line.startswith("general ability linked from code") for line in chat.evidence)
    assert chat.score < code.score  # the task fit of a code model on a chat task (0.3 of a chat model's)
    linked = benchmarks.prior("ibm/granite-20b-code-instruct", "chat")
    own = benchmarks.prior("ibm/granite-20b-code-instruct", "code")
    k = benchmarks.linkings()["code"]
    assert linked is not None and own is not None
    assert abs(k.mean + k.slope * (linked.theta - k.general_mean) - own.theta) < 1e-5  # the same line, read back


def test_terminal_bench_is_an_ability_of_its_own_never_a_code_figure() -> None:
    """Terminal-Bench 2.0 measures terminal agents, not code generation. As code figures (commit 240cff1) its columns' spread
    fell to the fit's floor and one such figure outweighed every other code figure of a model (GPT-5 mini's code prior 0.91 ->
    0.52, below GPT-4o mini). As an agentic-coding ability, linked on the general scale, it speaks only for models with no
    general figure of their own, and the pairs it had reversed are in order."""
    fit = benchmarks.data()["fit"]
    assert set(fit["agentic"]) == {"terminal-bench-2", "terminal-bench-2-terminus"}
    assert not set(fit["code"]) & set(fit["agentic"])
    for strong, weak in (("openai/gpt-5-mini", "openai/gpt-4o-mini"), ("openai/gpt-5-mini", "openai/gpt-4.1-mini"),
                         ("openai/gpt-5-mini", "openai/gpt-5-nano"), ("openai/gpt-oss-120b", "openai/gpt-4o-mini"),
                         ("openai/gpt-5.4-mini", "openai/gpt-5.4-nano")):
        s, w = benchmarks.prior(strong, "code"), benchmarks.prior(weak, "code")
        assert s is not None and w is not None and s.score > w.score, (strong, s, weak, w)
    mini = benchmarks.prior("openai/gpt-5-mini", "code")
    assert mini is not None and mini.linked_from == "general"  # its Terminal-Bench 38.2 is not a code figure
    kimi = benchmarks.prior("moonshotai/kimi-k2-thinking", "chat")  # Terminus 2 only: read on the general scale
    assert kimi is not None and kimi.linked_from == "agentic" and kimi.linked_over == benchmarks.linkings()["agentic"].n


# ScandEval's English leaderboard (MIT, frozen since it became EuroEval) ---------------------------------------------------


def test_scandeval_reader_keeps_the_few_shot_runs_of_released_models() -> None:
    """The real CSV's rows (tests/fixtures/upstream/benchmarks/scandeval): each few-shot run's five columns as fractions (a
    correlation near chance stays as published), zero-shot runs and merged models left out, the name as the source wrote it."""
    from pathlib import Path

    from whichai.catalog import benchmarks_sources as bs

    tree = bs.DirTree(Path(__file__).parent / "fixtures" / "upstream" / "benchmarks" / "scandeval")
    rows = bs.scandeval_results(tree)
    assert {r["model"] for r in rows} == {"gpt-4o-2024-05-13 (few-shot, val)", "meta-llama/Llama-3.1-8B (few-shot)",
                                          "allenai/OLMo-7B-Twin-2T (few-shot)"}
    twin = {r["benchmark"]: r["score"] for r in rows if r["model"].startswith("allenai/OLMo-7B-Twin")}
    assert twin == {"scandeval-mmlu-en": 0.0071, "scandeval-hellaswag-en": 0.0082, "scandeval-squad-en": 0.586,
                    "scandeval-conll-en": 0.2536, "scandeval-sst5-en": 0.5691}
    assert {r["setting"] for r in rows if r["model"].startswith("gpt-4o")} == {"few-shot, validation split"}
    bad = bs.DirTree(Path(__file__).parent / "fixtures" / "upstream" / "benchmarks")  # no english-nlg.csv there
    with pytest.raises(OSError):
        bs.scandeval_results(bad)


def test_a_model_near_chance_on_scandeval_ranks_below_its_line() -> None:
    """OLMo-7B-Twin-2T, once ranked by research-lab on OLMo-7B's figures by the line rule, has its own now: ScandEval's
    few-shot MMLU and HellaSwag near chance (MCC 0.007, 0.008), below OLMo-7B's general prior; research-lab's top 10 all
    rest on figures of their own."""
    twin, olmo = benchmarks.prior("allen-institute-for-ai/olmo-7b-twin-2t-hf", "chat"), benchmarks.prior("allen-institute-for-ai/olmo-7b-hf", "chat")
    assert twin is not None and olmo is not None and twin.score < olmo.score
    assert {b for b, *_ in twin.benchmarks} == {"MMLU (ScandEval few-shot, MCC)", "HellaSwag (ScandEval few-shot, MCC)"}
    assert all(src == "ScandEval English NLG leaderboard" for _, _, src, _ in twin.benchmarks)
    source = next(s for s in benchmarks.sources() if s.id == "scandeval")
    assert source.license == "MIT" and "Saattrup" in source.attribution and source.linked > 100


# a wider set of pairs (2026-12-08, later): the kinds the issue names, beyond the ones the priors were checked on before ------

WIDER_PAIRS = [
    ("openai/gpt-4o", "openai/gpt-4o-mini"), ("openai/gpt-4.1", "openai/gpt-4.1-mini"), ("openai/gpt-4.1-mini", "openai/gpt-4.1-nano"),
    ("openai/o3", "openai/o3-mini"), ("openai/o1", "openai/gpt-4o"), ("openai/gpt-5", "openai/gpt-4.1"), ("openai/gpt-5", "openai/o1"),
    ("openai/gpt-5-mini", "openai/gpt-4o-mini"), ("openai/gpt-5-nano", "openai/gpt-4o-mini"), ("openai/o3-mini", "openai/gpt-4o-mini"),
    ("anthropic/claude-3-opus-20240229", "anthropic/claude-3-haiku-20240307"), ("anthropic/claude-3-opus-20240229", "anthropic/claude-3-sonnet-20240229"),
    ("anthropic/claude-3-5-sonnet-20241022", "anthropic/claude-3-sonnet-20240229"), ("anthropic/claude-3-7-sonnet-20250219", "anthropic/claude-3-5-haiku-20241022"),
    ("anthropic/claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4-0"), ("anthropic/claude-opus-4-5-20251101", "anthropic/claude-opus-4-1-20250805"),
    ("anthropic/claude-haiku-4-5-20251001", "anthropic/claude-3-5-haiku-20241022"), ("anthropic/claude-opus-4-6", "anthropic/claude-opus-4-0"),
    ("anthropic/claude-sonnet-4-6", "anthropic/claude-sonnet-4-0"),
    ("gemini/gemini-2.5-pro", "gemini/gemini-2.5-flash"), ("gemini/gemini-2.5-flash", "gemini/gemini-2.0-flash"), ("gemini/gemini-2.0-flash", "gemini/gemini-2.0-flash-lite"),
    ("gemini/gemini-3-pro-preview", "gemini/gemini-2.5-pro"), ("gemini/gemini-3-flash-preview", "gemini/gemini-2.5-flash"),
    ("gemini/gemini-3.1-pro-preview", "gemini/gemini-2.5-pro"),
    ("meta/llama-3.1-70b", "meta/llama-3.1-8b"), ("azure/meta-llama-3.1-405b-instruct", "llama/llama-3.3-70b-instruct"),
    ("llama/llama-3.3-70b-instruct", "groq/llama-3.1-8b-instant"), ("meta/llama-4-maverick-17b-instruct", "meta/llama-4-scout-17b-instruct"),
    ("alibaba/qwen3-235b-a22b", "alibaba/qwen3-32b"), ("alibaba/qwen3-32b", "alibaba/qwen3-8b"), ("alibaba/qwen3-14b", "alibaba/qwen3-8b"),
    ("alibaba/qwen3-32b", "alibaba/qwen2-5-32b-instruct"), ("alibaba/qwen3-coder-480b-a35b-instruct", "alibaba/qwen3-coder-30b-a3b-instruct"),
    ("alibaba/qwen3-8b", "alibaba/qwen2-5-7b-instruct"),
    ("mistral/mistral-large-2411", "mistral/mistral-small-24b-instruct-2501"), ("mistral/mistral-large-3-675b-instruct-2512", "mistral/mistral-large-2411"),
    ("mistral/mistral-medium-2508", "mistral/mistral-small-2506"), ("mistral/mistral-small-2506", "mistral/mistral-small-24b-instruct-2501"),
    ("deepseek/deepseek-r1", "deepseek/deepseek-r1-distill-llama-70b"), ("deepseek/deepseek-v3.1", "togetherai/deepseek-ai/DeepSeek-V3"),
    ("deepinfra/deepseek-ai/DeepSeek-R1-0528", "deepseek/deepseek-r1"),
    ("xai/grok-4.3", "xai/grok-2"), ("azure/phi-4", "azure/phi-4-mini"), ("azure/phi-4-reasoning-plus", "azure/phi-4-mini"),
    ("google/gemma-2-27b-it", "google/gemma-2-9b-it"), ("google/gemma-2-9b-it", "google/gemma-2-2b-it"), ("amazon-bedrock/google.gemma-3-27b-it", "google/gemma-2-27b-it"),
    ("amazon-bedrock/google.gemma-3-12b-it", "amazon-bedrock/google.gemma-3-4b-it"),
    ("cohere/command-a-03-2025", "cohere/command-r-08-2024"), ("cohere/command-r-plus-08-2024", "cohere/command-r7b-12-2024"),
    ("openai/gpt-5", "meta/llama-3.1-8b"), ("anthropic/claude-opus-4-5-20251101", "openai/gpt-4o-mini"), ("gemini/gemini-2.5-pro", "llama/llama-3.3-70b-instruct"),
    ("deepseek/deepseek-r1", "llama/llama-3.3-70b-instruct"), ("openai/gpt-4o", "anthropic/claude-3-haiku-20240307"), ("openai/gpt-oss-120b", "openai/gpt-oss-20b"),
]
# measured 2026-12-08 (later; BENCHMARKS.md "A wider set of pairs"): chat 54/57 (en) and 53/57 (en+id), code 50/57 and 53/57.
# The misses are named there (base-model figures a source files under an instruct entry, a scaffold-dependent SWE-bench
# figure, models with no figure of their own); this guards against falling back.
WIDER_FLOOR = {"chat": 0.9, "code": 0.85}


def test_own_figures_are_weighed_with_the_general_ability_linked() -> None:
    """A model with its own code figure and a general prior: the figure weighed with the general prior linked to the code
    scale, by their precision (benchmarks.combined), never the one figure alone against the population's middle."""
    from whichai.decide.criteria_scores import reason_text

    row = benchmarks._priors()["openai/gpt-oss-120b"]
    own, linked = row["code"], benchmarks.linkings()["code"].prior(row["general"])
    both = benchmarks.prior("openai/gpt-oss-120b", "code")
    assert both is not None and both.with_general == linked and not both.linked_from
    assert min(own.theta, linked.theta) < both.theta < max(own.theta, linked.theta) and both.theta_se < min(own.theta_se, linked.theta_se)
    sc = score_entry(load_shipped().get("openai/gpt-oss-120b"), Profile(task_kind="code", languages=["en"]))["performance"]
    assert sc.origin == "benchmark" and sc.params["combined"] == ["code", benchmarks.linkings()["code"].n]
    assert "weighed with its general ability linked to the code scale" in reason_text(sc.note, sc.params, "en")
    assert "ditimbang bersama kemampuan umumnya" in reason_text(sc.note, sc.params, "id")
    assert benchmarks.prior("ibm/granite-20b-code-instruct", "code").with_general is None  # type: ignore[union-attr]  # no general figure


# older families and code models (2026-12-08, later; written after the change above, as a check it did not tune to):
# chat 45/48 both ways, code 44/48 (en) and 45/48 (en+id); c7b08c4 had 45, 46, 42, 42
FAMILY_PAIRS = [
("azure/phi-3-medium-4k-instruct","azure/phi-3-mini-4k-instruct"),("azure/phi-4","azure/phi-3-medium-4k-instruct"),("azure/phi-3.5-moe-instruct","azure/phi-3.5-mini-instruct"),
("mistral/mixtral-8x7b-instruct-v0.1","mistral/mistral-7b-instruct-v0.2"),("mistral/mixtral-8x22b-instruct-v0.1","mistral/mixtral-8x7b-instruct-v0.1"),
("mistral/mistral-7b-instruct-v0.2","mistral/mistral-7b-instruct-v0.1"),
("meta/llama-2-70b","meta/llama-2-7b"),("meta/llama-2-13b","meta/llama-2-7b"),("meta/llama-2-chat-70b","meta/llama-2-chat-7b"),
("meta/llama-3-70b","meta/llama-3-8b"),("azure/meta-llama-3-70b-instruct","azure/meta-llama-3-8b-instruct"),("meta/llama-3-8b","meta/llama-2-7b"),
("azure/meta-llama-3-70b-instruct","meta/llama-2-chat-70b"),
("alibaba/qwen2-5-72b-instruct","alibaba/qwen2-5-14b-instruct"),("alibaba/qwen2-5-14b-instruct","alibaba/qwen2-5-7b-instruct"),("alibaba/qwen2-5-7b-instruct","alibaba/qwen2.5-1.5b-instruct"),
("google/gemma-7b","google/gemma-2b"),("google/gemma-2-9b-it","google/gemma-7b"),
("technology-innovation-institute-lighton/falcon-180b","technology-innovation-institute-lighton/falcon-40b"),
("anthropic/claude-3-5-sonnet-20241022","anthropic/claude-3-opus-20240229"),("openai/gpt-4-turbo","openai/gpt-3.5-turbo"),("openai/gpt-4o","openai/gpt-4-turbo"),
("openai/o1","azure/o1-mini"),("cohere/command-r-plus-08-2024","cohere/command-r-08-2024"),
("amazon-bedrock/amazon.nova-pro-v1:0","amazon-bedrock/amazon.nova-lite-v1:0"),("amazon-bedrock/amazon.nova-lite-v1:0","amazon-bedrock/amazon.nova-micro-v1:0"),
("meta/llama-3.2-3b-instruct","meta/llama-3.2-1b-instruct"),("huggingface/smollm3-3b","local/smollm2-135m-instruct"),
("alibaba/qwen2.5-coder-32b-instruct","01.ai/yi-coder-9b-chat"),("bigcode/starcoder2-15b-instruct-v0.1","bigcode-project/starcoder-15b"),
("ibm/granite-34b-code-instruct","ibm/granite-3b-code-instruct"),("ibm/granite-4.0-h-small-32b","ibm/granite-4.0-h-micro-3b"),
("deepseek/deepseek-coder-v2-instruct-0724","deepseek/deepseek-coder-33b-base"),("openai/gpt-4o","openai/gpt-3.5-turbo"),
("anthropic/claude-3-opus-20240229","openai/gpt-3.5-turbo"),("google/gemini-1.5","openai/gpt-3.5-turbo"),
("alibaba/qwen3-coder-480b-a35b-instruct","alibaba/qwen2.5-coder-32b-instruct"),("mistral/devstral-medium-2507","mistral/devstral-small-2507"),
("zhipuai/glm-4.6","zhipuai/glm-4.5"),("zhipuai/glm-5","zhipuai/glm-4.5"),("moonshotai/kimi-k2.5","moonshotai/kimi-k2-0905-preview"),
("deepseek/deepseek-v4-pro","deepseek/deepseek-v3.1"),("xai/grok-4.20","xai/grok-2"),("openai/gpt-5.5","openai/gpt-4o"),
("gemini/gemini-3.1-pro-preview","gemini/gemini-2.0-flash"),("anthropic/claude-opus-4-7","anthropic/claude-3-opus-20240229"),
("alibaba/qwen3.5-397b-a17b","alibaba/qwen3-235b-a22b"),("alibaba/qwen3.6-27b","alibaba/qwen3-32b"),
]


@pytest.mark.parametrize("langs", [["en"], ["en", "id"]])
@pytest.mark.parametrize("kind", ["chat", "code"])
@pytest.mark.parametrize(("pairs", "floor"), [(WIDER_PAIRS, WIDER_FLOOR), (FAMILY_PAIRS, {"chat": 0.9, "code": 0.9})], ids=["wider", "families"])
def test_more_known_pairs_in_order(pairs: list[tuple[str, str]], floor: dict[str, float], kind: str, langs: list[str]) -> None:
    cat = load_shipped()
    right = sum(_perf_in(cat, a, kind, langs).score > _perf_in(cat, b, kind, langs).score for a, b in pairs)
    assert right / len(pairs) >= floor[kind], (kind, langs, right, len(pairs))
