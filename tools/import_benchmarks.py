"""Import published benchmark results into ``src/whichai/catalog/data/benchmarks.json``.

Usage: ``python tools/import_benchmarks.py [--mirrors DIR] [--observed 2026-12-07]``; ``--heldout`` prints the rank
correlations with the held-out leaderboards, ``--coverage`` the coverage by source (BENCHMARKS.md), both of the shipped file.

Reads five openly licensed leaderboard sources from bare git mirrors (``DIR/<owner>+<repo>/repo``, as the
``fetch`` tool leaves them; ``git clone --bare`` gives the same), with the readers of
:mod:`whichai.catalog.benchmarks_sources` (one copy: ``whichai catalog update`` uses them on what it downloads):

- Aider polyglot and code-editing leaderboards (Apache-2.0), ``Aider-AI/aider`` ``aider/website/_data/``: code.
- LLM Stats (CC-BY-4.0), ``JonathanChavezTamales/llm-leaderboard`` ``data/organizations/*/models/*/benchmarks.json``:
  results the vendors published (self-reported), many benchmarks: knowledge, reasoning, chat, code, multilingual.
- EvalPlus leaderboard (Apache-2.0), ``evalplus/evalplus.github.io`` ``results.json``: HumanEval+ and MBPP+ (code).
- Open LLM Leaderboard v1 (Hugging Face, 2023) as snapshotted by ``dsdanielpark/open-llm-leaderboard-report``
  (MIT) ``data/*.json``: ARC (25-shot), HellaSwag (10-shot), MMLU (5-shot), TruthfulQA (0-shot) of older
  open models; each model's latest snapshot; only the models of the publishers in ``OLL_PUBLISHERS`` (the
  original releases, not the thousands of fine-tunes). Its MMLU (5-shot) goes into the same MMLU column as
  LLM Stats' (the anchor).
- Open LLM Leaderboard v1, final table, as ``fboulnois/llm-leaderboard-csv`` kept it (MPL-2.0,
  ``csv/huggingface_v1.csv`` at b2d67d9, the last commit with it): the same four plus Winogrande and GSM8K
  (5-shot), the same publishers plus the conversions in ``OLL_CONVERSIONS`` (KoboldAI/fairseq-dense-13B).
- Model cards (self-reported): figures curated by hand from the publishers' cards (``CARDS``), each
  with its URL and the date it was read.
- The 2026 releases' own published figures (``VENDOR_REPORTS``, source ``vendor-reports``, observed 2026-12-08):
  OpenAI's, Qwen's, Z.ai's, DeepSeek's, NVIDIA's and Mistral's tables (self-reported), each with its URL and the
  stored copies it was read in, for the models the leaderboards here end before; their Terminal-Bench 2.0 figures
  (``TERMINAL_BENCH``) among them.
- The Terminal-Bench 2.0 paper's own runs with the Terminus 2 agent (``PAPER_TERMINUS2``, source ``terminal-bench-paper``,
  arXiv 2601.11868), read in write-ups that reproduce its tables; with the publishers' Terminus-2 figures they are the
  column ``terminal-bench-2-terminus``, the publishers' figures in their own harnesses the column ``terminal-bench-2``.
- The Apertus v0.1 technical report's Tables 17-21 (``REPORT_TABLES``): Swiss AI's own evaluation of its
  two instruct models and 18 others, each benchmark its own column.

Results keep the model as the source named it (no entry ids): the catalog links them when it loads.

To fit, each result is linked to the shipped catalog by the rule of :func:`whichai.catalog.benchmarks.link`
(normalised names, exact token match; a dated snapshot name links to an undated entry only when that
base names exactly one entry); the per-ability fit (each benchmark's a, c, σ; :func:`fit_priors`) is
stored, and each entry's prior is computed from it when the catalog loads.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from whichai.catalog import benchmarks as bm  # noqa: E402
from whichai.catalog import benchmarks_sources as bs  # noqa: E402
from whichai.catalog.anchoring import MIN_ANCHORED  # noqa: E402
from whichai.catalog.catalog import load_shipped  # noqa: E402

OUT = ROOT / "src" / "whichai" / "catalog" / "data" / "benchmarks.json"

SOURCES = bs.SOURCES
OLL_PUBLISHERS, OLL_BENCHMARKS, LLMSTATS_KEEP = bs.OLL_PUBLISHERS, bs.OLL_BENCHMARKS, bs.LLMSTATS_KEEP


def tree(mirrors: Path, sid: str) -> bs.GitTree:
    s = SOURCES[sid]
    return bs.GitTree.of(mirrors, s["repo"], s.get("ref", "HEAD"))


def card_results() -> list[dict]:
    return [{"source": "cards", "benchmark": bench, "model": model, "score": round(value / 100, 4), "date": CARDS_OBSERVED, "url": url,
             "setting": setting} for model, url, setting, scores in CARDS for bench, value in scores.items()]


CARDS_OBSERVED = "2026-12-07"
# IBM's Granite 4.0 instruct models (2025-10-02): the "Evaluation Results" table that each of the four instruct cards
# carries (columns Micro Dense, H Micro Dense, H Tiny MoE, H Small MoE), read 2026-12-07 in two copies that agree on every
# figure kept: the ibm-granite/granite-4.0-h-tiny card copied verbatim in DocDBrown/IBMGranite4Tiny@60d949f README.md, and
# Docker's model cards docker/model-cards@449bb31 ai/granite-4.0-{micro,h-micro,h-tiny,h-small}.md (one column each). Kept: the
# benchmarks the other sources share. Not kept: GPQA (the card does not say which set; the shared column is Diamond),
# AGIEval and INCLUDE (their only columns here are the Apertus report's harness), Minerva Math, GSM8K Symbolic, DeepMind
# Math, AlpacaEval, CRUXEval, BigCodeBench, BFCL, MULTIPLE, safety. IFEval: the card's prompt-level strict accuracy.
GRANITE_40_URL = "https://huggingface.co/ibm-granite/granite-4.0-{}"  # each model's own card (each carries the whole table)
GRANITE_40_SETTING = ("Granite 4.0 instruct cards' Evaluation Results table (IBM, self-reported): MMLU 5-shot, MMLU-Pro 5-shot CoT, "
                      "BBH 3-shot CoT, IFEval prompt-level strict, ArenaHard, GSM8K 8-shot, HumanEval/HumanEval+/MBPP/MBPP+ pass@1, "
                      "MMMLU 5-shot (11 languages), MGSM 8-shot (en, es, fr, ja, zh)")
GRANITE_40 = [  # IBM's Granite 4.0 instruct cards: one Evaluation Results table with a column per model
    (model, GRANITE_40_URL.format(repo), f"{GRANITE_40_SETTING}; the table's column {column!r}{note}", scores)
    for model, repo, column, note, scores in (
        ("Granite-4.0-Micro-3B", "micro", "Micro Dense", " (named with its size here, as the card's summary gives it: plain "
         "'Granite-4.0-Micro' would also link the catalog's OpenRouter entry of H-Micro, then named 'Granite 4.0 Micro'; curated to 'Granite 4.0 H Micro' on 2026-12-08)",
         {"mmlu": 65.98, "mmlu-pro": 44.5, "big-bench-hard": 72.48, "ifeval": 79.12, "arena-hard": 25.84, "gsm8k": 85.45,
          "humaneval": 80, "humaneval-plus": 72, "mbpp": 72, "mbpp-plus": 64, "mmmlu": 55.14, "mgsm": 28.56}),
        ("ibm-granite/granite-4.0-h-micro", "h-micro", "H Micro Dense", "",
         {"mmlu": 67.43, "mmlu-pro": 43.48, "big-bench-hard": 69.36, "ifeval": 81.71, "arena-hard": 36.15, "gsm8k": 81.35,
          "humaneval": 81, "humaneval-plus": 75, "mbpp": 73, "mbpp-plus": 64, "mmmlu": 55.19, "mgsm": 44.48}),
        ("ibm-granite/granite-4.0-h-tiny", "h-tiny", "H Tiny MoE", "",
         {"mmlu": 68.65, "mmlu-pro": 44.94, "big-bench-hard": 66.34, "ifeval": 78.1, "arena-hard": 35.75, "gsm8k": 84.69,
          "humaneval": 83, "humaneval-plus": 76, "mbpp": 80, "mbpp-plus": 69, "mmmlu": 61.87, "mgsm": 45.36}),
        ("ibm-granite/granite-4.0-h-small", "h-small", "H Small MoE", "",
         {"mmlu": 78.44, "mmlu-pro": 55.47, "big-bench-hard": 81.62, "ifeval": 85.22, "arena-hard": 46.48, "gsm8k": 87.27,
          "humaneval": 88, "humaneval-plus": 83, "mbpp": 84, "mbpp-plus": 71, "mmmlu": 69.69, "mgsm": 38.72}))]

# IBM's Granite Code instruct models (2024-05-06): each card's model-index, read 2026-12-07 at the URL given (the stored
# copies of IBM's own Hugging Face pages). Kept: HumanEvalSynthesis(Python) pass@1 (bigcode/humanevalpack: HumanEval's
# 164 Python problems in HumanEvalPack's instruction prompt) as HumanEval. The cards' other figures, HumanEvalSynthesis
# in five other languages and HumanEvalExplain/Fix, are benchmarks no other source here has; none is a general-ability
# benchmark, so these models get a code prior only (a chat task still falls back to size: see tests/test_benchmarks.py).
GRANITE_CODE_SETTING = ("model-index of IBM's {name} card: HumanEvalSynthesis(Python), bigcode/humanevalpack, pass@1, "
                        "self-reported (HumanEval's 164 Python problems in HumanEvalPack's prompt)")
GRANITE_CODE = [(f"ibm-granite/{name}", url, GRANITE_CODE_SETTING.format(name=name), {"humaneval": value}) for name, url, value in (
    ("granite-3b-code-instruct", "https://huggingface.co/ibm-granite/granite-3b-code-instruct/blob/cd7a8ede9a244efba62b2d05d5374fdbd3be1b39/README.md", 51.2),
    ("granite-8b-code-instruct", "https://huggingface.co/ibm-granite/granite-8b-code-instruct/blob/main/README.md", 57.9),
    ("granite-20b-code-instruct", "https://huggingface.co/ibm-granite/granite-20b-code-instruct-GGUF/blob/main/README.md", 60.4),
    ("granite-34b-code-instruct", "https://huggingface.co/ibm-granite/granite-34b-code-instruct/blob/main/README.md", 62.2))]

# (model as the card names it, card URL, setting, {benchmark: percent}); figures as each publisher's card gives them,
# read at the URL on CARDS_OBSERVED; only benchmarks that other sources share (MMLU, ARC/HellaSwag/TruthfulQA as the
# Open LLM Leaderboard ran them, GSM8K, MATH, ...) so that the one-factor fit puts them on the common scale
CARDS: list[tuple[str, str, str, dict[str, float]]] = [
    ("allenai/OLMo-7B-hf", "https://huggingface.co/allenai/OLMo-7B",
     "Evaluation table of the allenai/OLMo-7B card (OLMo-7B-hf: the same checkpoint in transformers format): "
     "MMLU 5-shot MC, TruthfulQA MC2, GSM8K 8-shot CoT", {"mmlu": 28.3, "oll-truthfulqa": 36.0, "gsm8k": 8.5}),
    ("LLM360/Amber-7B", "https://huggingface.co/LLM360/Amber",
     "Evaluations table of the LLM360/Amber card (named with its size here: plain 'Amber' would also link AmberSafe; "
     "Open LLM Leaderboard harness settings "
     "per LLM360 Analysis360: ARC-C 25-shot, HellaSwag 10-shot, MMLU 5-shot, TruthfulQA mc2)",
     {"oll-arc": 42.57, "oll-hellaswag": 73.91, "mmlu": 28.53, "oll-truthfulqa": 43.67}),
    ("EleutherAI/pythia-6.9b",
     "https://github.com/EleutherAI/pythia/blob/a19eecb807ec2c79a39ebf18108816e6ffffc1d5/evals/pythia-v1/pythia-6.9b/five-shot/6.9b-5shot_step143000.json",
     "EleutherAI's own lm-evaluation-harness results for the released checkpoint (step 143000), 5-shot: "
     "MMLU = mean of the 57 hendrycksTest subject accuracies in that file", {"mmlu": 29.18}),
    ("EleutherAI/pythia-2.8b",
     "https://github.com/EleutherAI/pythia/blob/a19eecb807ec2c79a39ebf18108816e6ffffc1d5/evals/pythia-v1/pythia-2.8b/five-shot/2.8b-5shot_step143000.json",
     "EleutherAI's own lm-evaluation-harness results for the released checkpoint (step 143000), 5-shot: "
     "MMLU = mean of the 57 hendrycksTest subject accuracies in that file", {"mmlu": 28.25}),
    ("EleutherAI/pythia-1.4b",
     "https://github.com/EleutherAI/pythia/blob/a19eecb807ec2c79a39ebf18108816e6ffffc1d5/evals/pythia-v1/pythia-1.4b/five-shot/1.4b-5shot_step143000.json",
     "EleutherAI's own lm-evaluation-harness results for the released checkpoint (step 143000), 5-shot: "
     "MMLU = mean of the 57 hendrycksTest subject accuracies in that file", {"mmlu": 26.41}),
    ("EleutherAI/pythia-410m",
     "https://github.com/EleutherAI/pythia/blob/a19eecb807ec2c79a39ebf18108816e6ffffc1d5/evals/pythia-v1/pythia-410m/five-shot/410m-5shot_step143000.json",
     "EleutherAI's own lm-evaluation-harness results for the released checkpoint (step 143000), 5-shot: "
     "MMLU = mean of the 57 hendrycksTest subject accuracies in that file", {"mmlu": 24.98}),
    ("EleutherAI/pythia-1b",
     "https://github.com/EleutherAI/pythia/blob/a19eecb807ec2c79a39ebf18108816e6ffffc1d5/evals/pythia-v1/pythia-1b-bf16/five-shot/1b-5shot_step143000.json",
     "EleutherAI's own lm-evaluation-harness results for the released checkpoint (step 143000; the folder is pythia-1b-bf16 "
     "because, per the repository's README, EleutherAI/pythia-1b is the one size trained in bf16), 5-shot: "
     "MMLU = mean of the 57 hendrycksTest subject accuracies in that file", {"mmlu": 25.38}),
    ("allenai/Olmo-3.1-32B-Think", "https://arxiv.org/abs/2512.13961",
     "Olmo 3 technical report (Ai2), Table 1: Olmo 3.1 Think 32B on Ai2's post-training evaluation suite (MATH, AIME, "
     "BigBenchHard, HumanEvalPlus, MBPP+, IFEval, MMLU, GPQA)",
     {"math": 96.2, "aime-2024": 80.6, "aime-2025": 78.1, "big-bench-hard": 88.6, "humaneval-plus": 91.5, "mbpp-plus": 68.3,
      "ifeval": 93.8, "mmlu": 86.4, "gpqa": 57.5}),
    *GRANITE_CODE,
    *GRANITE_40,
]



# Figures the publishers of 2026 models printed in their own announcements, model cards and reports (self-reported), read
# 2026-12-08 for the models in the built-in profiles' top 10s that the leaderboards stored here (LLM Stats to 2025-10-16,
# Aider to 2026-05-22) end before. The pages themselves are not stored here: each figure was read in copies of the page kept in
# public GitHub repositories (the search index names some by repository and path, others only by their stored file id), at
# least two that agree unless said otherwise. Each result keeps the model as the table names it and the table's own setting
# (reasoning effort, harness); kept: the benchmarks the prior already knows (GPQA Diamond, MMLU-Pro, MMLU-Redux, IFEval,
# LiveCodeBench, SWE-bench Verified, MATH-500, AIME, MMMLU) and Terminal-Bench 2.0 (``TERMINAL_BENCH``: 12 entries, each on its
# own publisher's figure, so it is fitted like the others; GPT-5.3-Codex-Spark's only published figure). Not kept: the other
# agentic and in-house evaluations these pages lead with (SWE-Bench Pro, OSWorld, GDPval, BrowseComp, HLE, ...): Codex-Spark's
# announcement gives SWE-Bench Pro as a chart without figures, so it would rank no top-10 entry that has none. One figure comes
# from a lab's table about a competitor's model (GPT-5.1, as Google DeepMind's Gemini 3 Pro model card gives it): said in its setting.
VENDOR_OBSERVED = "2026-12-08"
OPENAI_54 = "https://openai.com/index/introducing-gpt-5-4/"
OPENAI_54_TABLE = ("OpenAI, 'Introducing GPT-5.4' (2026-03-05), evaluation table, Academic row GPQA Diamond (self-reported; the table's own "
                   "reasoning setting); read in copies of the page: stored files 51841201052 and 52248995218 (the same table, Japanese and "
                   "English write-ups quoting it) and 60163689096, which agree on every GPQA figure")
OPENAI_MINI = "https://openai.com/index/introducing-gpt-5-4-mini-and-nano/"
OPENAI_MINI_TABLE = ("OpenAI, 'Introducing GPT-5.4 mini and nano' (2026-03-17), evaluation table (reasoning effort xhigh), GPQA Diamond "
                     "(self-reported); read in three copies that agree: stored files 52819435875, 56793007766 and 66341772505")
QWEN35_SMALL = ("Qwen's Qwen3.5 small-model card table (Language section, column 'Qwen3.5-9B'; Qwen's own evaluation, self-reported), "
                "read in two copies of the Qwen/Qwen3.5-4B card, which carries the same table with the 9B column: a verbatim copy (HTML "
                "table, stored file 53150985957) and a markdown transcription (stored file 56408243843); they agree on every figure kept")
DEEPSEEK_V4 = ("DeepSeek's DeepSeek-V4 preview model card (2026-04-24), evaluation table, column '{col}' (reasoning effort Max: per the card "
               "and the technical report a mode of the one released model, not other weights; self-reported); read in a copy of the card "
               "(docs/RAG/clean_en/huggingface/deepseek-ai-deepseek-v4-pro-hugging-face.md, stored file 69365942387) and in a "
               "transcription of DeepSeek's release note (stored file 58675692668), which agree{also}")
QWEN35_MEDIUM = ("Qwen's Qwen3.5 medium-model card table (2026-02-24; Language section, column '{col}'; Qwen's own evaluation, self-reported; the same table is carried by the Qwen3.5-122B-A10B, -27B and -35B-A3B cards), read in two copies that agree on every figure kept: a markdown copy of the Qwen/Qwen3.5-122B-A10B-FP8 card (stored file 69024206838) and a table transcription naming the official Qwen/Qwen3.5-122B-A10B card (stored file 56318674160). Rows: MMLU-Pro, MMLU-Redux, IFEval, GPQA Diamond, SWE-bench Verified, LiveCodeBench v6, MMMLU; Terminal Bench 2 (harness not named in the table or its footnotes). The QwenLM/Qwen3.5 GitHub mirror holds only the score images (README.md links qwen3.5_middle_size_score.png), not the figures.{note}")  # the three medium models' column of one table
VENDOR_REPORTS: list[tuple[str, str, str, dict[str, float]]] = [
    ("GPT-5.5", "https://openai.com/index/introducing-gpt-5-5/",
     "OpenAI, 'Introducing GPT-5.5' (2026-04-23), evaluation table, Academic section, GPQA Diamond (self-reported); read in a verbatim "
     "markdown copy of the page (stored file 63405832331) and two write-ups quoting the table (56204517563, 52016800153), which agree",
     {"gpqa": 93.6}),
    ("GPT-5.4", OPENAI_54, f"{OPENAI_54_TABLE}; the same 92.8 appears for GPT-5.4 in the GPT-5.5 page's table", {"gpqa": 92.8}),
    ("GPT-5.4 (xhigh)", OPENAI_MINI, OPENAI_MINI_TABLE + "; column 'GPT-5.4'", {"gpqa": 93.0}),
    ("GPT-5.4 mini", OPENAI_MINI, OPENAI_MINI_TABLE + "; column 'GPT-5.4 mini'", {"gpqa": 88.0}),
    ("GPT-5.4 nano", OPENAI_MINI, OPENAI_MINI_TABLE + "; column 'GPT-5.4 nano'", {"gpqa": 82.8}),
    ("GPT-5.3-Codex", OPENAI_54, OPENAI_54_TABLE + "; column 'GPT-5.3-Codex'", {"gpqa": 92.6}),
    ("GPT-5.2", OPENAI_54, OPENAI_54_TABLE + "; column 'GPT-5.2' (the same 92.4 in the GPQA rows Z.ai's GLM-5 card and Qwen's "
     "Qwen3.5-397B card print for GPT-5.2)", {"gpqa": 92.4}),
    ("GPT-5.2 Pro", "https://openai.com/index/introducing-gpt-5-2/",
     "OpenAI, 'Introducing GPT-5.2' (2025-12-11), appendix 'Detailed benchmarks', Academic table, row 'GPQA Diamond (no tools)', column "
     "'GPT-5.2 Pro' (reasoning effort xhigh, the maximum in the API; self-reported); read in four copies of the table that agree (stored "
     "files 52974687274, a markdown copy of the page, 59694588284 and 60192282669, summaries reproducing the appendix, and 52477231982, a "
     "bilingual copy), and the same 93.2 (GPT-5.2 Thinking 92.4, as recorded for GPT-5.2) in copies of OpenAI's 'Advancing science and "
     "math with GPT-5.2' (65724434092, 52680331339) and nodetoday.com's rewrite of it (pages corpus)", {"gpqa": 93.2}),
    ("GPT-5.1", "https://storage.googleapis.com/deepmind-media/Model-Cards/Gemini-3-Pro-Model-Card.pdf",
     "Google DeepMind's Gemini 3 Pro model card (2025-11), evaluation table, column 'GPT-5.1': a competitor's figures as Google reported "
     "them, not OpenAI's own page (GPQA Diamond no tools, SWE-Bench Verified single attempt, MMMLU); read in a bilingual transcription of "
     "the card (stored file 70968833802) whose HTML and markdown forms of the table agree; GPQA 88.1 also in stored file 7858583798",
     {"gpqa": 88.1, "swe-bench-verified": 76.3, "mmmlu": 91.0}),
    ("Qwen/Qwen3.5-9B", "https://huggingface.co/Qwen/Qwen3.5-4B", QWEN35_SMALL,
     {"mmlu-pro": 82.5, "mmlu-redux": 91.1, "gpqa": 81.7, "ifeval": 91.5, "livecodebench": 65.6, "mmmlu": 81.2}),
    ("zai-org/GLM-5", "https://huggingface.co/zai-org/GLM-5",
     "Z.ai's GLM-5 model card / README table (2026-02-11; the same figures in the GLM-5 technical report, arXiv 2602.15763, Table 7; "
     "self-reported): GPQA-Diamond, SWE-bench Verified; read in copies of the card (stored files 69336236574, 59819977820, "
     "57351060156) and of the report's table (62620962535), which agree", {"gpqa": 86.0, "swe-bench-verified": 77.8}),
    ("deepseek-ai/DeepSeek-V4-Pro (Max)", "https://huggingface.co/deepseek-ai/DeepSeek-V4-Pro",
     DEEPSEEK_V4.format(col="V4-Pro Max", also=", as do two copies of the technical report's Table 6 (52609595469, 61833286458)"),
     {"mmlu-pro": 87.5, "gpqa": 90.1, "livecodebench": 93.5, "swe-bench-verified": 80.6}),
    ("deepseek-ai/DeepSeek-V4-Flash (Max)", "https://huggingface.co/deepseek-ai/DeepSeek-V4-Flash",
     DEEPSEEK_V4.format(col="V4-Flash Max", also=""), {"mmlu-pro": 86.2, "gpqa": 88.1, "livecodebench": 91.6, "swe-bench-verified": 79.0}),
    ("nvidia/Llama-3_3-Nemotron-Super-49B-v1_5",
     "https://github.com/NVIDIA/NeMo-Skills/blob/0d1f6863df4e4e8d97fbf38e18f59404895526b9/docs/tutorials/posts/llama-nemotron-super-v1.5-evals.md",
     "NVIDIA's own evaluation in NeMo-Skills' tutorial 'Reproducing Llama-Nemotron-Super-49B-V1.5 Evals' (Apache-2.0 repository), "
     "reasoning on (temperature 0.6, top-p 0.95, 64K tokens), pass@1 averaged over 16 runs: GPQA (Diamond, 198 questions), MMLU-Pro, "
     "LiveCodeBench (release_v5 2024-10 to 2025-02, 166 problems), MATH-500, AIME24, AIME25; read in NVIDIA/NeMo-Skills at 0d1f686 "
     "and in the fork xinyu-dev/NeMo-Skills at 10ffaa9, which agree",
     {"gpqa": 74.65, "mmlu-pro": 81.44, "livecodebench": 71.72, "math-500": 97.79, "aime-2024": 88.54, "aime-2025": 84.38}),
    ("mistralai/Devstral-Small-2505", "https://huggingface.co/mistralai/Devstral-Small-2505",
     "Mistral AI's Devstral-Small-2505 model card, SWE-Bench Verified with the OpenHands scaffold (self-reported); read in a verbatim copy "
     "of the card (stored file 10063138496) and a summary naming the Hugging Face repository (59720901632), which agree; the card gives "
     "no general-ability figure, so a chat task keeps the size prior", {"swe-bench-verified": 46.8}),
    # read 2026-12-08 (later): the publishers' own tables for the 2025-2026 models the leaderboards here end before (Anthropic,
    # Google, Qwen, Moonshot, MiniMax, Z.ai), each in stored copies that agree; left out by the two-copies rule: Command A (one
    # digest of Cohere's report), Mistral Medium 3 (one copy of the table)
    ('Gemini 3 Pro', 'https://storage.googleapis.com/deepmind-media/Model-Cards/Gemini-3-Pro-Model-Card.pdf',
     "Google DeepMind's Gemini 3 Pro model card (model release 2025-11; 'Results as of November, 2025'), evaluation table, column 'Gemini 3 Pro' (self-reported; the table names no thinking level and no Deep Think column): GPQA Diamond (no tools) 91.9, AIME 2025 (no tools) 95.0, SWE-Bench Verified (single attempt) 76.2, MMMLU 91.8; read in the bilingual transcription of the card (stored file 70968833802, whose HTML and markdown forms of the table agree) and in a Chinese reading-notes copy of the card's page-5 table (stored file 69591743009), which agree on every figure kept; GPQA 91.9 also in stored file 23658052986 (batteryhob/batteryhob.github.io, _posts/2025-11-19-Gemini3Analysis-en.md). The Gemini 3 Flash card's table repeats the same 3 Pro column (91.9 / 95.0 / 76.2 / 91.8; stored file 71128879028)",
     {'gpqa': 91.9, 'aime-2025': 95.0, 'swe-bench-verified': 76.2, 'mmmlu': 91.8}),
    ('Gemini 3 Flash', 'https://storage.googleapis.com/deepmind-media/Model-Cards/Gemini-3-Flash-Model-Card.pdf',
     "Google DeepMind's Gemini 3 Flash model card (2025-12), evaluation table, column 'Gemini 3 Flash' (printed 'Thinking' under the column head; self-reported): GPQA Diamond (no tools) 90.4, AIME 2025 (no tools) 95.2, SWE-bench Verified (single attempt) 78.0, MMMLU 91.8; read in a bilingual transcription of the card (stored file 71128879028, whose HTML and markdown forms of the table agree) and in a research note that transcribes the card's full comparison table (stored file 52197060564), which agree on every figure kept",
     {'gpqa': 90.4, 'aime-2025': 95.2, 'swe-bench-verified': 78.0, 'mmmlu': 91.8}),
    ('Gemini 3.1 Pro', 'https://deepmind.google/models/model-cards/gemini-3-1-pro/',
     "Google DeepMind's Gemini 3.1 Pro model card (2026-02; 'Results as of February 2026'), evaluation table, column 'Gemini 3.1 Pro Thinking (High)' (self-reported): GPQA Diamond (no tools) 94.3, SWE-Bench Verified (single attempt) 80.6, MMMLU 92.6; read in the copy of the card's table already used for the Terminal-Bench rows of import_benchmarks.py (stored file 59130938555) and in a Korean write-up reproducing the table (stored file 54203693236: GPQA 94.3, SWE-Bench Verified 80.6), which agree; MMMLU 92.6 also in a research note's summary of the card (stored file 52197060564) and as Gemini 3.1 Pro's MMMLU in Anthropic's Opus 4.7 table (stored files 52021838560, 60024887429)",
     {'gpqa': 94.3, 'swe-bench-verified': 80.6, 'mmmlu': 92.6}),
    ('Claude Haiku 4.5', 'https://www.anthropic.com/news/claude-haiku-4-5',
     "Anthropic, 'Introducing Claude Haiku 4.5' (2025-10-15), methodology footnote: 'SWE-bench Verified: ... We report 73.3%, which was averaged over 50 trials, no test-time compute, 128K thinking budget, and default sampling parameters ... on the full 500-problem SWE-bench Verified dataset' (simple scaffold with bash and string-replace file editing, plus a minor prompt addition quoted in the footnote; self-reported); read in verbatim copies of the page that agree (stored files 35556703338 [jskjw157/cafe24, doc/anthropic_blog/claude-haiku-4-5.md], 70264611186, 23948422330, 70294466532, 55678863952)",
     {'swe-bench-verified': 73.3}),
    ('Claude Sonnet 4.6', 'https://www.anthropic.com/news/claude-sonnet-4-6',
     "Anthropic, Claude Sonnet 4.6 (2026-02-17): the system card's headline comparison table (Table 2.1.A), column 'Sonnet 4.6' (adaptive thinking at max effort, averaged over 10 trials, 25 for SWE-bench, per the card; self-reported): SWE-bench Verified 79.6, GPQA Diamond 89.9, MMMLU 89.3; read in a transcription of Table 2.1.A (stored file 53745049027), a system-card summary table (56840342203) and a copy of Anthropic's comparison figures (38967956289), which agree; the same three figures appear in Google DeepMind's Gemini 3.1 Pro card for 'Sonnet 4.6 Thinking (Max)' (59130938555). The announcement's own table is an image in the copies found; the system card's AIME 2025 95.6 is left out (only summaries, which note possible contamination)",
     {'swe-bench-verified': 79.6, 'gpqa': 89.9, 'mmmlu': 89.3}),
    ('Claude Opus 4.7', 'https://www.anthropic.com/news/claude-opus-4-7',
     "Anthropic, 'Introducing Claude Opus 4.7' (2026-04-16), benchmark table, column 'Opus 4.7' (self-reported; the copies read give no effort setting for the table; the footnotes say SWE-bench Verified was screened for memorization and the margin over Opus 4.6 holds): SWE-bench Verified 87.6, GPQA Diamond 94.2, MMMLU 91.5; the announcement's table is an image, so read in transcriptions of it: stored files 52021838560 and 51807817520 (English and Turkish posts, full table with the MMMLU row) and 60024887429 (a system-card summary table), which agree; SWE-bench Verified 87.6 and GPQA 94.2 also in 56922357182 and 56958649839",
     {'swe-bench-verified': 87.6, 'gpqa': 94.2, 'mmmlu': 91.5}),
    ('Gemma 4 31B', 'https://huggingface.co/google/gemma-4-26B-A4B-it',
     "Google DeepMind's Gemma 4 model card (the card shared by the Gemma 4 checkpoints; 'Evaluation results marked in the table are for instruction-tuned models'), column 'Gemma 4 31B' (self-reported; the card says the models have configurable thinking modes and does not say which the table used): MMLU Pro 85.2, GPQA Diamond 84.3, LiveCodeBench v6 80.0, MMMLU 88.4; read in a copy of the google/gemma-4-26B-A4B-it card (stored file 69121169255), a copy of the Ollama gemma4 library page reproducing the table (52504622128) and a note quoting the google/gemma-4-E2B-it card's table (61348394168), which agree on every figure kept",
     {'mmlu-pro': 85.2, 'gpqa': 84.3, 'livecodebench': 80.0, 'mmmlu': 88.4}),
    ('Qwen/Qwen3-14B', 'https://arxiv.org/abs/2505.09388',
     "Qwen3 Technical Report (Qwen Team, arXiv 2505.09388v1, 2025-05-14), Table 15 'Comparison among Qwen3-30B-A3B / Qwen3-14B (Thinking) and other reasoning baselines', column 'Qwen3-14B' = the post-trained model in THINKING mode (not the base-model tables 3-8, and not the non-thinking Table 16); rows MMLU-Redux, GPQA-Diamond, IFEval strict prompt, Arena-Hard, AIME'25, LiveCodeBench v5 (2024.10-2025.02), 'MMMLU 14 languages' (MMMLU's own 14 languages). Read in four copies of the table that agree: text transcriptions of the PDF (stored files 10823359408, liudu2326526/llm-study, and 53895590201) and HTML transcriptions (32497711716, 70882970592); MMLU-Redux, GPQA and IFEval also in a summary quoting the report's thinking/non-thinking rows (70897075682)",
     {'gpqa': 64.0, 'mmlu-redux': 88.6, 'ifeval': 85.4, 'arena-hard': 91.7, 'aime-2025': 70.4, 'livecodebench': 63.5, 'mmmlu': 77.9}),
    ('Qwen/Qwen3-30B-A3B-Instruct-2507', 'https://huggingface.co/Qwen/Qwen3-30B-A3B-Instruct-2507',
     "Qwen's Qwen3-30B-A3B-Instruct-2507 model card (2025-07), Performance table, column 'Qwen3-30B-A3B-Instruct-2507' (non-thinking-only model; self-reported): MMLU-Pro, MMLU-Redux, GPQA (Qwen's row name; the Diamond set, as in Qwen's other cards), AIME25, LiveCodeBench v6 (25.02-25.05), Aider-Polyglot, IFEval. Arena-Hard v2 (69.0, a GPT-4.1-judged win rate) is not kept: a different version and scale from Arena-Hard v1. Read in three verbatim copies of the card (stored files 6468651156 = peterhan91/mimic_skills docs/qwen3-a3b.md, 2883265704, 57987456303) and a Spanish transcription (63481461861), which agree (the IFEval cell read in 6468651156 and 63481461861; the other two excerpts stop before it)",
     {'mmlu-pro': 78.4, 'mmlu-redux': 89.3, 'gpqa': 70.4, 'aime-2025': 61.3, 'livecodebench': 43.2, 'aider-polyglot': 35.6, 'ifeval': 84.7}),
    ('Qwen/Qwen3-30B-A3B-Thinking-2507', 'https://huggingface.co/Qwen/Qwen3-30B-A3B-Thinking-2507',
     "Qwen's Qwen3-30B-A3B-Thinking-2507 model card (2025-07), Performance table, column 'Qwen3-30B-A3B-Thinking-2507' (thinking-only model; self-reported): MMLU-Pro, MMLU-Redux, GPQA (Diamond set), AIME25, LiveCodeBench v6 (25.02-25.05), IFEval; Arena-Hard v2 not kept (different version). Read in a verbatim copy of the card (stored file 56583000594) and a Spanish transcription of its table (71139154111), which agree; MMLU-Pro 80.9 and MMLU-Redux 91.4 also in the Qwen3-30B-A3B-Thinking-2507 column of Qwen's Qwen3.5 small-model card (63356937497, 63542311682)",
     {'mmlu-pro': 80.9, 'mmlu-redux': 91.4, 'gpqa': 73.4, 'aime-2025': 85.0, 'livecodebench': 66.0, 'ifeval': 88.9}),
    ('Qwen/Qwen3.5-397B-A17B', 'https://huggingface.co/Qwen/Qwen3.5-397B-A17B',
     "Qwen's Qwen3.5-397B-A17B model card / Qwen3.5 blog (2026-02), Language table, column 'Qwen3.5-397B-A17B' (self-reported): MMLU-Pro, MMLU-Redux, IFEval, GPQA (Qwen's row name; GPT-5.2's 92.4 in the same row is OpenAI's GPQA Diamond figure), LiveCodeBench v6, MMMLU, SWE-bench Verified, Terminal Bench 2 (harness not named in the table or its footnotes). Read in a verbatim HTML copy of the card (stored file 55059422624) and a Chinese transcription of the blog's Table 1 (67172581205), which agree on every figure; French and Chinese copies of the same HTML table (53919076095, 53932454518) give the same MMLU-Pro. Note: Qwen's later Qwen3.6-27B card prints 76.2 (not 76.4) for Qwen3.5-397B-A17B on SWE-bench Verified (65981710722); the release card's 76.4 is kept",
     {'mmlu-pro': 87.8, 'mmlu-redux': 94.9, 'ifeval': 92.6, 'gpqa': 88.4, 'livecodebench': 83.6, 'mmmlu': 88.5, 'swe-bench-verified': 76.4, 'terminal-bench-2': 52.5}),
    ('Qwen/Qwen3.5-122B-A10B', 'https://huggingface.co/Qwen/Qwen3.5-122B-A10B',
     QWEN35_MEDIUM.format(col='Qwen3.5-122B-A10B', note=''),
     {'mmlu-pro': 86.7, 'mmlu-redux': 94.0, 'ifeval': 93.4, 'gpqa': 86.6, 'swe-bench-verified': 72.0, 'livecodebench': 78.9, 'mmmlu': 86.7, 'terminal-bench-2': 49.4}),
    ('Qwen/Qwen3.5-27B', 'https://huggingface.co/Qwen/Qwen3.5-27B',
     QWEN35_MEDIUM.format(col='Qwen3.5-27B', note=" Note: Qwen's later Qwen3.6 cards print 75.0 for Qwen3.5-27B on SWE-bench Verified (65981710722, 67231246292), a re-run; the release table's 72.4 is kept. Terminal Bench 2 41.6 is the same in both."),
     {'mmlu-pro': 86.1, 'mmlu-redux': 93.2, 'ifeval': 95.0, 'gpqa': 85.5, 'swe-bench-verified': 72.4, 'livecodebench': 80.7, 'mmmlu': 85.9, 'terminal-bench-2': 41.6}),
    ('Qwen/Qwen3.5-35B-A3B', 'https://huggingface.co/Qwen/Qwen3.5-35B-A3B',
     QWEN35_MEDIUM.format(col='Qwen3.5-35B-A3B', note=" Note: Qwen's later Qwen3.6-35B-A3B comparison prints 70.0 for Qwen3.5-35B-A3B on SWE-bench Verified (67231246292), a re-run; the release table's 69.2 is kept."),
     {'mmlu-pro': 85.3, 'mmlu-redux': 93.3, 'ifeval': 91.9, 'gpqa': 84.2, 'swe-bench-verified': 69.2, 'livecodebench': 74.6, 'mmmlu': 85.2, 'terminal-bench-2': 40.5}),
    ('moonshotai/Kimi-K2.5', 'https://huggingface.co/moonshotai/Kimi-K2.5',
     "Moonshot AI's Kimi-K2.5 model card (2026-01), section 3 Evaluation Results, column 'Kimi K2.5 (Thinking)' (thinking mode; self-reported): GPQA-Diamond, MMLU-Pro, AIME 2025, LiveCodeBench (v6), SWE-Bench Verified (per footnote 5: Moonshot's in-house minimal-tool framework, 'highest scores achieved under non-thinking mode' of the same model, averaged over 5 runs). Terminal Bench 2.0 (50.8, Terminus-2, non-thinking) is in TERMINAL_BENCH below (the Terminus 2 column). Read in a verbatim copy of the card (stored file 56333048855; AIME 2025 96.1 rests on this one copy); the same GPQA 87.6, MMLU-Pro 87.1, LiveCodeBench 85.0 and SWE-bench Verified 76.8 are in Moonshot's Kimi-K2.6 card's 'Kimi K2.5' column (69035803376, 68979656266) and in the 'K2.5-1T-A32B' column of Qwen's Qwen3.5-397B-A17B card (55059422624, 67172581205)",
     {'gpqa': 87.6, 'mmlu-pro': 87.1, 'aime-2025': 96.1, 'livecodebench': 85.0, 'swe-bench-verified': 76.8}),
    ('moonshotai/Kimi-K2.6', 'https://huggingface.co/moonshotai/Kimi-K2.6',
     "Moonshot AI's Kimi-K2.6 model card (2026-04), section 3 Evaluation Results, column 'Kimi K2.6' (thinking mode enabled per footnote 1; self-reported): GPQA-Diamond, LiveCodeBench (v6), SWE-Bench Verified (in-house framework adapted from SWE-agent, averaged over 10 runs). Terminal-Bench 2.0 (66.7, Terminus-2) is in TERMINAL_BENCH below (the Terminus 2 column). Read in two markdown copies of the card (stored files 69035803376, 68979656266) and an HTML copy (55438499183), which agree",
     {'gpqa': 90.5, 'livecodebench': 89.6, 'swe-bench-verified': 80.2}),
    ('MiniMaxAI/MiniMax-M2', 'https://huggingface.co/MiniMaxAI/MiniMax-M2',
     "MiniMax's MiniMax-M2 model card / GitHub README (2025-10; self-reported). SWE-bench Verified from the 'Coding & Agentic Benchmarks' table (R2E-Gym scaffold on OpenHands, 128k context, 100 steps). AIME25, MMLU-Pro, GPQA-Diamond and LiveCodeBench from the 'Intelligence Benchmarks' table: MiniMax's own runs 'aligned with Artificial Analysis Intelligence Benchmarking Methodology' (whole-number scores; LiveCodeBench is AA's subset). Terminal-Bench 2.0 30.0 is the MiniMax-M2 column of MiniMax's own MiniMax-M2.1 card (Claude Code on MiniMax's internal framework, dataset environment fixes, timeouts removed, 4-run average); the M2 card's 'Terminal-Bench' 46.3 is Terminal-Bench 1 (claude-code at repository commit 94bf692) and is not used. Read in MiniMax-AI/MiniMax-M2 README.md at 1acac8b (stored file 34091492541); the M2.1 card (20266174810, 70588364315) repeats M2's 69.4, 82, 78, 78 and 83 and gives the 30.0; a summary (37830438094) quotes the same M2 figures",
     {'swe-bench-verified': 69.4, 'mmlu-pro': 82.0, 'gpqa': 78.0, 'aime-2025': 78.0, 'livecodebench': 83.0, 'terminal-bench-2': 30.0}),
    ('MiniMaxAI/MiniMax-M2.5', 'https://huggingface.co/MiniMaxAI/MiniMax-M2.5',
     "MiniMax's MiniMax-M2.5 model card (2026-02-12; self-reported). SWE-Bench Verified 80.2 from the card's text (Claude Code scaffold, default system prompt overridden, 4-run average) in a verbatim copy (stored file 70717154279) and a bilingual copy (70870292836); Terminal Bench 2 (Claude Code 2.0.64 as scaffold, per the card's evaluation notes) is printed as a chart and read in two transcriptions that agree (59865800338, the Unsloth copy's 'Official Benchmarks' table, and 56211837496); GPQA-D and AIME25 from the card's Appendix table (MiniMax's internal runs on the public sets and methods of the Artificial Analysis Intelligence Index), read in 70717154279, 70763215562 and 69180873230, which agree",
     {'swe-bench-verified': 80.2, 'terminal-bench-2': 51.7, 'gpqa': 85.2, 'aime-2025': 86.3}),
    ('zai-org/GLM-4.7', 'https://huggingface.co/zai-org/GLM-4.7',
     "Z.ai's GLM-4.7 model card (2025-12), benchmark table, column 'GLM-4.7' (thinking on by default; self-reported): MMLU-Pro, GPQA-Diamond, AIME 2025, LiveCodeBench-v6, SWE-bench Verified. Terminal Bench 2.0 (41.0) is in TERMINAL_BENCH below (the Terminus 2 column): the GLM-4.7 card does not name the harness, but Z.ai's own GLM-5 blog prints GLM-4.7's 41.0 in its 'Terminal-Bench 2.0 (Terminus-2)' row (stored file 8063209398). Read in copies of the card (stored files 60091584990, 3773829035, a Chinese translation 69106401443, and 13867340229), which agree, each row read in at least two of them; GPQA 85.7 and SWE-bench Verified 73.8 also in Z.ai's GLM-5 blog/report tables (8063209398, 55149229305, 63514686496). The zai-org/GLM-5 GitHub mirror holds only score images (resources/bench.png), no GLM-4.7 figures",
     {'mmlu-pro': 84.3, 'gpqa': 85.7, 'aime-2025': 95.7, 'livecodebench': 84.9, 'swe-bench-verified': 73.8}),
    ('zai-org/GLM-5.1', 'https://z.ai/blog/glm-5.1',
     "Z.ai's GLM-5.1 release (2026-04) benchmark table, column 'GLM-5.1' (self-reported): GPQA-Diamond. The table has no SWE-bench Verified (SWE-Bench Pro only). Terminal-Bench 2.0 with Terminus-2 (63.5) is in TERMINAL_BENCH below (the Terminus 2 column); the 'best self-reported harness' row (Claude Code) is not used because copies disagree (69.0 in 58646482038 and 70893541340, 66.5 in 59901169854). Read in four copies that agree on GPQA 86.2 (stored files 58646482038, 59901169854, 67230447665, 70893541340)",
     {'gpqa': 86.2}),
    ('Qwen3.6-35B-A3B', 'https://huggingface.co/Qwen/Qwen3.6-35B-A3B',
     "Qwen's Qwen3.6-35B-A3B model card / blog 'Qwen3.6-35B-A3B: Agentic Coding Power, Now Open to All' (2026-04), language table, column 'Qwen3.6-35B-A3B' (Qwen's own evaluation, self-reported; the table does not name a thinking mode): Knowledge rows MMLU-Pro, MMLU-Redux; STEM & Reasoning rows GPQA (the same 86.0 is printed in the row 'GPQA Diamond' of the Qwen3.6-27B card's table, which carries a Qwen3.6-35B-A3B column) and LiveCodeBench v6; Coding Agent row SWE-bench Verified (internal agent scaffold with bash and file-edit tools, temp 1.0, top_p 0.95, 200K context). Read in independent copies that agree on every figure kept: a source note reproducing both Qwen3.6 blog tables with their footnotes (stored file 62281526666, Table 1 and Table 2; its Chinese translation 62366585140 agrees on Table 2), a transcription of the Hugging Face card's README table (71166909801, table 1 column 'Qwen3.6-35BA3B'), a copy of the Qwen3.6-27B card's language table with the 35B-A3B column (63375255625), a tracker read from the official cards (62101041944), a Korean write-up of the card (51854872856; its other revision 70653030211 was not re-read here) and an analysis of the two blog tables (71216695988: MMLU-Pro 85.2, MMLU-Redux 93.3, GPQA 86.0, SWE-bench Verified 73.4); LiveCodeBench v6 80.4 also in 57928817716",
     {'mmlu-pro': 85.2, 'mmlu-redux': 93.3, 'gpqa': 86.0, 'livecodebench': 80.4, 'swe-bench-verified': 73.4}),
    ('Qwen3.6-27B', 'https://huggingface.co/Qwen/Qwen3.6-27B',
     "Qwen's Qwen3.6-27B model card / blog 'Qwen3.6-27B: Flagship-Level Coding in a 27B Dense Model' (2026-04-22), 'Benchmark Results - Language' table, column 'Qwen3.6-27B' (Qwen's own evaluation, self-reported; the table does not name a thinking mode): Knowledge rows MMLU-Pro, MMLU-Redux; STEM & Reasoning rows GPQA Diamond, LiveCodeBench v6; Coding Agent row SWE-bench Verified (internal agent scaffold with bash and file-edit tools, 200K context). Read in independent copies that agree on every figure kept: a source note reproducing the blog table (stored file 62281526666, Table 2; Chinese translation 62366585140), a transcription of the card's Language table checked by its author against the unsloth/Qwen3.6-27B-NVFP4 README (56198952704), a copy of the card's table (63375255625), a Korean write-up citing the card (69569235467), a bilingual write-up of Qwen's release post (67270943134), a tracker read from the official cards (62101041944) and an analysis of the blog tables (71216695988)",
     {'mmlu-pro': 86.2, 'mmlu-redux': 93.5, 'gpqa': 87.8, 'livecodebench': 83.9, 'swe-bench-verified': 77.2}),
]

# Terminal-Bench 2.0 (Laude Institute, 89 terminal tasks in containers; pass rate), each model on its own publisher's figure in
# that publisher's own agent harness (``TB2``; the setting names it), or in the Terminus 2 agent (``TB2_TERMINUS``, with the
# paper's own runs below): code benchmarks, fitted like any other column.
TB2, TB2_TERMINUS = "terminal-bench-2", "terminal-bench-2-terminus"
OPENAI_54_CODING = ("OpenAI, 'Introducing GPT-5.4' (2026-03-05), evaluation table, Coding section, row 'Terminal-Bench 2.0', column '{col}' "
                    "(self-reported; run in the harness OpenAI chose, which the table does not name); read in three copies of the table that agree (stored files 60163689096, "
                    "60149820884 and 53734923928){also}")
OPENAI_SPARK = "https://openai.com/index/introducing-gpt-5-3-codex-spark/"
OPENAI_SPARK_TABLE = ("OpenAI, 'Introducing GPT-5.3-Codex-Spark' (2026-02-12), Terminal-Bench 2.0 accuracy, '{col}' (self-reported; the "
                      "harness OpenAI chose, not named there); read in two write-ups of the announcement that reproduce its figures as a table (stored files "
                      "59655853048, English, and 59704641927, Korean: GPT-5.3-Codex 77.3 %, GPT-5.3-Codex-Spark 58.4 %, GPT-5.1-Codex-mini "
                      "46.1 %) and a third that quotes {quote} (53177643309)")
TERMINAL_BENCH: list[tuple[str, str, str, float] | tuple[str, str, str, float, str]] = [
    ("GPT-5.5", "https://openai.com/index/introducing-gpt-5-5/",
     "OpenAI, 'Introducing GPT-5.5' (2026-04-23), headline evaluation table, row 'Terminal-Bench 2.0', column 'GPT-5.5' (self-reported; "
     "run in the harness OpenAI chose, which the table does not name); read in a verbatim markdown copy of the page (stored file 63405832331) and two copies of the table "
     "(60159863966, 53405134962), which agree", 82.7),
    ("GPT-5.4", OPENAI_54, OPENAI_54_CODING.format(col="GPT-5.4", also="; the same 75.1 in the GPT-5.5 page's table for GPT-5.4"), 75.1),
    ("GPT-5.3-Codex", OPENAI_54, OPENAI_54_CODING.format(col="GPT-5.3-Codex", also="; the same 77.3 in the Codex-Spark announcement"), 77.3),
    ("GPT-5.2", OPENAI_54, OPENAI_54_CODING.format(col="GPT-5.2", also=""), 62.2),
    *((name, OPENAI_MINI, "OpenAI, 'Introducing GPT-5.4 mini and nano' (2026-03-17), evaluation table, row 'Terminal-Bench 2.0', column "
       f"'{name}' ({effort}; self-reported; run in the harness OpenAI chose, which the table does not name); read in three copies that agree: stored files {files}", value)
      for name, effort, files, value in (
          ("GPT-5.4 mini", "reasoning effort xhigh", "52819435875, 65717811914 and 66341772505", 60.0),
          ("GPT-5.4 nano", "reasoning effort xhigh", "52819435875, 65717811914 and 66341772505", 46.3),
          ("GPT-5 mini", "reasoning effort high, the highest GPT-5 mini has", "52819435875, 65717811914 and 54122704564", 38.2))),
    ("GPT-5.3-Codex-Spark", OPENAI_SPARK,
     OPENAI_SPARK_TABLE.format(col="GPT-5.3-Codex-Spark", quote="'58.4% on Terminal-Bench 2.0 versus the full Codex's 77.3%'"), 58.4),
    ("GPT-5.1-Codex-mini", OPENAI_SPARK,
     OPENAI_SPARK_TABLE.format(col="GPT-5.1-Codex-mini", quote="Spark as '+12.3 points on Terminal-Bench' over GPT-5.1-Codex-mini"), 46.1),
    ("GPT-5.1", "https://storage.googleapis.com/deepmind-media/Model-Cards/Gemini-3-Pro-Model-Card.pdf",
     "Google DeepMind's Gemini 3 Pro model card (2025-11), evaluation table, row 'Terminal-Bench 2.0' (Terminus-2 agent), column "
     "'GPT-5.1': a competitor's figure as Google reported it, as for GPT-5.1's other figures here; read in the bilingual transcription "
     "of the card (stored file 70968833802, HTML and markdown forms agree) and in a summary of the card's coding rows (51832881047: "
     "'Terminal-Bench 2.0 | 54.2% | GPT-5.1: 47.6%')", 47.6, TB2_TERMINUS),
    *((name, "https://deepmind.google/models/model-cards/gemini-3-1-pro/",
       "Google DeepMind's Gemini 3.1 Pro model card (2026-02), evaluation table, row 'Terminal-Bench 2.0' (Terminus-2 harness), column "
       f"'{name}'{whose}; read in two copies of the table that agree (stored files 59130938555 and 54203693236){also}", value, TB2_TERMINUS)
      for name, value, whose, also in (
          ("Claude Opus 4.6", 65.4, ": a competitor's figure as Google ran and reported it", ""),
          ("GPT-5.3-Codex", 64.7, ": a competitor's figure as Google ran and reported it; the card's next row gives OpenAI's 77.3 "
                                  "'(Codex)', the other best self-reported harness, recorded above as Terminal-Bench 2.0", ""))),
    ("zai-org/GLM-5", "https://huggingface.co/zai-org/GLM-5",
     "Z.ai's GLM-5 model card table (2026-02-11), row 'Terminal-Bench 2.0 (Terminus 2)', column 'GLM-5': 56.2 on the published task set "
     "(Terminus 2 harness, 2 h timeout, 128K context; self-reported; the card's 60.7 on Z.ai's own corrected set is not used); read in "
     "copies of the card (stored files 69336236574, 59819977820 and 62171211783), which agree", 56.2, TB2_TERMINUS),
    *((f"deepseek-ai/DeepSeek-V4-{size} (Max)", f"https://huggingface.co/deepseek-ai/DeepSeek-V4-{size}",
       f"DeepSeek's DeepSeek-V4 preview model card (2026-04-24), evaluation table, row 'Terminal Bench 2.0 (Acc)', column 'V4-{size} Max' "
       f"(reasoning effort Max; self-reported; the harness is not named in the table); read in {files}, which agree", value)
      for size, files, value in (
          ("Pro", "copies of the table with every column (stored files 54554457674, 61897610552 and 68587136902)", 67.9),
          ("Flash", "a copy of the table with every column (stored file 54554457674) and a copy of the Flash card (56377876532)", 56.9))),
    # read 2026-12-08 (later): the publishers' Terminus-2 runs (Terminal-Bench 2.0's reference agent), the paper's column
    ('Gemini 3 Flash', 'https://storage.googleapis.com/deepmind-media/Model-Cards/Gemini-3-Flash-Model-Card.pdf',
     "Google DeepMind's Gemini 3 Flash model card (2025-12), evaluation table, row 'Terminal-bench 2.0' (setting 'Terminus-2 harness'), column 'Gemini 3 Flash' (Thinking; self-reported): 47.6; read in stored files 71128879028 and 52197060564, which agree. Terminus-2 harness, so TB2_TERMINUS under import_benchmarks.py's convention", 47.6, TB2_TERMINUS),
    ('Gemini 3.1 Pro', 'https://deepmind.google/models/model-cards/gemini-3-1-pro/',
     "Google DeepMind's Gemini 3.1 Pro model card (2026-02), evaluation table, row 'Terminal-Bench 2.0' (setting 'Terminus-2 harness'), column 'Gemini 3.1 Pro Thinking (High)' (self-reported): 68.5; read in stored files 59130938555 and 54203693236, which agree (the same 68.5 for Gemini 3.1 Pro in Anthropic's Opus 4.7 table, 52021838560). Terminus-2 harness, so TB2_TERMINUS under import_benchmarks.py's convention", 68.5, TB2_TERMINUS),
    ('Claude Sonnet 4.6', 'https://www.anthropic.com/news/claude-sonnet-4-6',
     "Anthropic, Claude Sonnet 4.6 system card Table 2.1.A, row 'Terminal-Bench 2.0', column 'Sonnet 4.6' (self-reported): 59.1; read in stored files 53745049027, 56840342203 and 38967956289, which agree. The copies do not quote Anthropic's harness note for Sonnet 4.6 (for Opus 4.5/4.6 Anthropic ran 'Terminus-2 harness, in the Harbor scaffold', 52111533802, 69218685733); Google's Gemini 3.1 Pro card prints the same 59.1 for Sonnet 4.6 under 'Terminus-2 harness' (59130938555). Most likely TB2_TERMINUS under import_benchmarks.py's convention", 59.1, TB2_TERMINUS),
    ('Claude Opus 4.7', 'https://www.anthropic.com/news/claude-opus-4-7',
     "Anthropic, 'Introducing Claude Opus 4.7' (2026-04-16), benchmark table, row 'Terminal-Bench 2.0', column 'Opus 4.7' (self-reported): 69.4, with the page's footnote 'Terminal-Bench 2.0: We used the Terminus-2 harness with thinking disabled. All experiments used 1x guaranteed/3x ceiling resource allocation averaged over five attempts per task' (footnote read in verbatim copies of the page, stored files 62637456756, 55779535901, 54942147543); 69.4 read in 52021838560, 51807817520 and 60024887429, which agree. Terminus-2 harness, so TB2_TERMINUS under import_benchmarks.py's convention", 69.4, TB2_TERMINUS),
    ('moonshotai/Kimi-K2.5', 'https://huggingface.co/moonshotai/Kimi-K2.5',
     "Moonshot AI's Kimi-K2.5 model card (2026-01), row 'Terminal Bench 2.0', column 'Kimi K2.5 (Thinking)'; footnote 5: 'default agent framework (Terminus-2) and the provided JSON parser', run in NON-thinking mode, 5-run average (self-reported). Read in two copies of the card (stored files 56333048855, 39061267431); the same 50.8 in the Kimi K2.5 column of Moonshot's K2.6 card (69035803376), of Z.ai's GLM-5 and GLM-5.1 tables (8063209398, 58646482038) and of Qwen's Qwen3.5-397B card (55059422624)", 50.8, TB2_TERMINUS),
    ('moonshotai/Kimi-K2.6', 'https://huggingface.co/moonshotai/Kimi-K2.6',
     "Moonshot AI's Kimi-K2.6 model card (2026-04), row 'Terminal-Bench 2.0 (Terminus-2)', column 'Kimi K2.6'; footnote 4: Terminus-2 with the provided JSON parser, preserve-thinking mode, 10-run average (self-reported). Read in stored files 69035803376 and 68979656266, which agree", 66.7, TB2_TERMINUS),
    ('zai-org/GLM-4.7', 'https://z.ai/blog/glm-5',
     "41.0 for GLM-4.7 in Z.ai's own GLM-5 blog table, row 'Terminal-Bench 2.0 (Terminus-2)' (stored file 8063209398, a translation of z.ai/blog/glm-5); the GLM-4.7 card prints the same 41.0 without naming the harness (60091584990, 13867340229), and the GLM-5 report table repeats it (55149229305). Self-reported by the same publisher", 41.0, TB2_TERMINUS),
    ('zai-org/GLM-5.1', 'https://z.ai/blog/glm-5.1',
     "Z.ai's GLM-5.1 table, row 'Terminal-Bench 2.0 (Terminus-2)', column 'GLM-5.1' (self-reported). Read in stored files 58646482038, 59901169854, 67230447665 and 70893541340, which agree", 63.5, TB2_TERMINUS),
    ('Qwen3.6-35B-A3B', 'https://huggingface.co/Qwen/Qwen3.6-35B-A3B',
     "Qwen's Qwen3.6-35B-A3B model card / blog (2026-04), language table, row 'Terminal-Bench 2.0', column 'Qwen3.6-35B-A3B' (self-reported; per the table's footnote run in the Harbor/Terminus-2 harness, 3 h timeout, 32 CPU / 48 GB RAM, 256K context, average of 5 runs: i.e. the Terminus 2 agent, the TB2_TERMINUS column); read in stored files 62281526666 (with the footnote), 71166909801, 63375255625, 51854872856 and 71216695988 (which also restates the Harbor/Terminus-2 footnote), which agree", 51.5, TB2_TERMINUS),
    ('Qwen3.6-27B', 'https://huggingface.co/Qwen/Qwen3.6-27B',
     "Qwen's Qwen3.6-27B model card / blog (2026-04-22), language table, row 'Terminal-Bench 2.0', column 'Qwen3.6-27B' (self-reported; Harbor/Terminus-2 harness, 3 h timeout, 32 CPU / 48 GB RAM, average of 5 runs, per the card's footnote as quoted in stored file 56672193342: i.e. the Terminus 2 agent, the TB2_TERMINUS column); read in stored files 62281526666, 56198952704, 63375255625, 69569235467, 67270943134 and 56672193342, which agree", 59.3, TB2_TERMINUS),
]


def vendor_results() -> list[dict]:
    return [{"source": "vendor-reports", "benchmark": bench, "model": model, "score": round(value / 100, 4), "date": VENDOR_OBSERVED,
             "url": url, "setting": setting}
            for model, url, setting, scores in [*VENDOR_REPORTS, *((row[0], row[1], row[2], {row[4] if len(row) > 4 else TB2: row[3]})
                                                                   for row in TERMINAL_BENCH)]
            for bench, value in scores.items()]

# The Terminal-Bench 2.0 paper's own evaluation (Merrill et al., 'Terminal-Bench: Benchmarking Agents on Hard, Realistic Tasks in
# Command Line Interfaces', arXiv 2601.11868, January 2026; the Laude Institute and contributors): every model with the one
# Terminus 2 agent, at least 5 runs each, pass rate ± its spread. The paper itself is not stored here: its results were read in
# two independent write-ups that reproduce its tables (stored files 51831758288 and 61114918322, sections 13.1-13.2), kept only
# where both give the same figure; Gemini 2.5 Pro's 32.6 with Terminus 2 is the figure the paper's text gives (against 15.7 with
# OpenHands), quoted alike in stored files 60951581801, 61069656842 and 60937866406, and the same 32.6 is in Google DeepMind's
# Gemini 3 Pro model card (Terminus-2 agent; 70968833802). Their column is ``TB2_TERMINUS``, Terminal-Bench 2.0 with the Terminus 2
# agent, with the two publishers' figures run in that agent (Z.ai's GLM-5, Google's GPT-5.1); the figures each publisher ran in
# its own harness are the column ``TB2``. The agent moves a model's pass rate by 10 points and more (GPT-5.2: 62.2 OpenAI's
# harness, 54.0 Terminus 2), so the two are two benchmarks, each with its own a, c, σ, put on one scale by the fit.
PAPER_URL = "https://arxiv.org/abs/2601.11868"
PAPER_DATE = "2026-01-17"
PAPER_OBSERVED = "2026-12-08"
PAPER_TERMINUS2: list[tuple[str, float, str]] = [
    ("Claude Opus 4.5", 57.8, "2.5"), ("Gemini 3 Pro", 56.9, "2.5"), ("GPT-5.2", 54.0, "2.9"), ("Claude Sonnet 4.5", 42.8, "2.8"),
    ("Kimi K2 Thinking", 35.7, "2.8"), ("GPT-OSS-120B", 18.7, "2.7"), ("GPT-5-Nano", 7.9, "1.9"),
]


def paper_results() -> list[dict]:
    both = "read in two write-ups of the paper's results that agree (stored files 51831758288 and 61114918322)"
    rows = [(model, value, f"± {spread} across runs; {both}") for model, value, spread in PAPER_TERMINUS2]
    rows.append(("Gemini 2.5 Pro", 32.6, "the figure the paper's text gives (15.7 with OpenHands), quoted in stored files 60951581801, "
                                         "61069656842 and 60937866406; the same 32.6 in Google DeepMind's Gemini 3 Pro model card, "
                                         "Terminus-2 agent (70968833802)"))
    return [{"source": "terminal-bench-paper", "benchmark": TB2_TERMINUS, "model": model, "score": round(value / 100, 4), "date": PAPER_DATE,
             "url": PAPER_URL, "setting": f"Terminal-Bench 2.0 paper (arXiv 2601.11868), the benchmark authors' run with the Terminus 2 "
                                          f"agent, pass rate over at least 5 runs: {how}"} for model, value, how in rows]


# Project Apertus' own post-training evaluation of its models and 18 others (one harness, one setting per benchmark):
# Apertus v0.1 technical report (2025-09-02), swiss-ai/apertus-tech-report commit 9d4b0fb (the v0.1 PDF; the later
# v1 PDF of that repository is not in the stored snapshot), Tables 17-21, read 2026-12-07. The report names its two
# instruct models "Apertus-70B-Instruct" / "Apertus-8B-Instruct"; its list of released artifacts (section 1) names
# exactly one of each, swiss-ai/Apertus-70B-Instruct-2509 and swiss-ai/Apertus-8B-Instruct-2509, so the results are
# recorded under those names. Each benchmark is its own column (the report's harness and settings, Table 22), put on
# the common scale by the fit through the models it shares with the other sources.
REPORT_URL = "https://github.com/swiss-ai/apertus-tech-report/blob/9d4b0fb/Apertus_Tech_Report.pdf"
REPORT_OBSERVED = "2026-12-07"
REPORT_MODELS = ["swiss-ai/Apertus-70B-Instruct-2509", "swiss-ai/Apertus-8B-Instruct-2509", "ALLaM-7B-Instruct-preview",
                 "EuroLLM-22B-Instruct-Preview", "EuroLLM-9B-Instruct", "K2-Chat", "marin-8b-instruct", "Minerva-7B-instruct-v1.0",
                 "OLMo-2-0325-32B-Instruct", "OLMo-2-1124-7B-Instruct", "salamandra-7b-instruct", "SmolLM3-3B", "Teuken-7B-instruct-v0.6",
                 "gemma-3-12b-it", "gemma-3-27b-it", "Llama-3.1-8B-Instruct", "Llama-3.3-70B-Instruct", "Qwen2.5-72B-Instruct", "Qwen3-32B",
                 "Qwen3-8B"]
# (table, benchmark id, name, abilities, items or 0 when the report does not say, one figure per model in REPORT_MODELS' order)
REPORT_TABLES: list[tuple[int, str, str, list[str], int, list[float]]] = [
    (17, "apertus-mmlu", "MMLU (Apertus report harness)", ["general", "extraction"], 14042,
     [69.6, 60.9, 62.9, 65.3, 58.4, 65.7, 65.5, 30.7, 77.9, 60.0, 52.4, 61.7, 49.0, 78.8, 83.6, 72.4, 87.5, 86.6, 83.7, 79.1]),
    (17, "apertus-global-mmlu", "Global-MMLU (Apertus report harness)", ["multilingual"], 0,
     [62.7, 55.7, 50.6, 56.9, 52.0, 49.8, 48.4, 28.5, 61.3, 42.8, 43.1, 51.2, 39.9, 69.6, 75.3, 57.1, 77.8, 77.7, 74.8, 64.0]),
    (17, "apertus-truthfulqa", "TruthfulQA (Apertus report harness)", ["general"], 817,
     [61.2, 56.7, 47.5, 56.6, 49.7, 56.5, 55.2, 44.0, 73.2, 56.5, 51.0, 54.3, 46.4, 60.8, 64.4, 55.1, 66.1, 69.7, 58.6, 53.4]),
    (17, "apertus-hellaswag", "HellaSwag (Apertus report harness)", ["general"], 10042,
     [78.1, 74.6, 75.3, 73.0, 69.8, 74.9, 72.0, 63.3, 86.0, 77.5, 71.4, 69.0, 67.8, 53.7, 54.9, 72.5, 70.1, 68.8, 68.8, 58.6]),
    (17, "apertus-hellaswag-multi", "HellaSwag multilingual (Apertus report harness)", ["multilingual"], 0,
     [55.3, 52.7, 42.0, 48.1, 46.3, 44.7, 38.1, 31.2, 53.0, 38.7, 45.9, 40.4, 42.2, 45.6, 49.8, 47.0, 53.8, 51.5, 48.0, 40.4]),
    (18, "apertus-humaneval", "HumanEval pass@10 (Apertus report harness)", ["code"], 164,
     [73.0, 67.0, 56.7, 75.2, 65.3, 87.7, 85.8, 25.0, 69.0, 65.2, 28.4, 89.7, 44.6, 88.0, 89.3, 86.7, 95.8, 95.4, 97.0, 95.6]),
    (18, "apertus-mbpp", "MBPP pass@1 (Apertus report harness)", ["code"], 500,
     [47.0, 36.2, 39.0, 43.0, 41.0, 56.2, 41.2, 17.2, 41.8, 32.0, 22.2, 52.8, 25.6, 72.0, 72.8, 60.6, 75.6, 74.6, 73.6, 66.8]),
    (18, "apertus-gsm8k", "GSM8K (Apertus report harness)", ["reasoning"], 1319,
     [77.6, 62.9, 58.2, 75.5, 62.9, 84.8, 80.6, 13.6, 88.2, 83.5, 22.7, 83.6, 38.1, 89.9, 90.4, 84.5, 94.8, 88.6, 93.6, 89.5]),
    (18, "apertus-mgsm", "MGSM (Apertus report harness)", ["multilingual"], 2750,
     [64.3, 48.5, 29.1, 50.7, 36.1, 49.1, 42.8, 2.8, 67.3, 36.9, 9.6, 45.2, 19.2, 68.9, 71.7, 67.7, 86.0, 76.2, 74.0, 52.0]),
    (18, "apertus-math", "Hendrycks MATH (Apertus report harness)", ["reasoning"], 5000,
     [30.8, 18.2, 15.6, 38.0, 19.2, 40.7, 31.3, 3.5, 44.3, 31.1, 5.2, 51.8, 11.4, 68.4, 71.1, 36.3, 60.3, 67.8, 69.2, 66.8]),
    (19, "apertus-bbh", "BIG-Bench Hard (Apertus report harness)", ["general", "reasoning"], 6511,
     [64.2, 55.9, 46.3, 56.3, 53.1, 70.7, 61.5, 28.2, 64.1, 50.1, 43.6, 68.4, 42.4, 70.8, 70.8, 72.0, 86.6, 82.7, 86.1, 53.6]),
    (19, "apertus-drop", "DROP (Apertus report harness)", ["extraction"], 9536,
     [50.8, 49.7, 55.4, 47.5, 45.0, 57.3, 60.3, 29.5, 77.9, 60.3, 37.5, 47.3, 35.9, 70.3, 71.1, 62.4, 72.0, 64.4, 65.2, 60.6]),
    (19, "apertus-ifeval", "IFEval (Apertus report harness)", ["general", "extraction"], 541,
     [75.2, 71.7, 65.4, 72.8, 62.8, 48.4, 68.8, 19.4, 86.0, 71.0, 33.6, 72.3, 31.6, 80.0, 81.3, 78.6, 90.8, 86.3, 87.2, 86.5]),
    (19, "apertus-multi-ifeval", "Multi-IFEval (Apertus report harness)", ["multilingual"], 0,
     [74.7, 68.9, 54.0, 72.0, 61.3, 47.0, 62.1, 19.8, 80.6, 60.6, 33.7, 70.1, 29.9, 80.2, 80.0, 71.3, 88.7, 83.8, 84.4, 82.8]),
    (20, "apertus-include", "INCLUDE (Apertus report harness)", ["multilingual"], 0,
     [58.2, 54.3, 44.4, 53.7, 49.3, 44.3, 38.9, 25.6, 52.9, 36.3, 42.1, 41.4, 39.7, 62.7, 67.9, 53.4, 71.9, 70.0, 70.6, 60.7]),
    (21, "apertus-agieval", "AGIEval (Apertus report harness, held out)", ["general", "reasoning"], 0,
     [40.5, 38.7, 42.7, 39.9, 36.2, 43.5, 36.5, 28.2, 51.2, 36.0, 32.6, 38.5, 33.0, 55.4, 61.3, 38.1, 54.2, 64.1, 30.1, 29.9]),
    (21, "apertus-arc-chat", "ARC Challenge chat CoT (Apertus report harness, held out)", ["general", "reasoning"], 1172,
     [85.0, 77.6, 83.2, 86.4, 73.0, 79.1, 82.6, 27.7, 91.5, 79.0, 64.9, 83.5, 63.4, 93.3, 93.8, 83.7, 95.7, 96.2, 95.6, 93.3]),
    (21, "apertus-arc-multi", "ARC Challenge multilingual (Apertus report harness, held out)", ["multilingual"], 0,
     [37.3, 36.8, 29.4, 33.3, 32.2, 32.6, 25.5, 21.6, 38.6, 26.0, 31.3, 27.1, 26.7, 37.2, 39.8, 32.0, 42.9, 39.2, 34.9, 30.2]),
    (21, "apertus-gpqa-main", "GPQA main (Apertus report harness, held out)", ["reasoning"], 448,
     [30.6, 27.0, 25.7, 29.0, 25.4, 29.9, 29.9, 27.0, 35.0, 29.5, 27.2, 34.2, 25.0, 39.1, 45.1, 28.3, 59.6, 46.9, 56.5, 42.6]),
    (21, "apertus-gsm8k-platinum", "GSM8K Platinum (Apertus report harness, held out)", ["reasoning"], 1209,
     [74.6, 61.6, 61.7, 77.3, 66.3, 77.8, 79.1, 12.1, 89.5, 81.1, 24.2, 75.2, 39.5, 85.5, 86.7, 78.8, 84.0, 87.3, 88.5, 89.4]),
]


REPORT_NAMED = {"swiss-ai/Apertus-70B-Instruct-2509": "Apertus-70B-Instruct", "swiss-ai/Apertus-8B-Instruct-2509": "Apertus-8B-Instruct"}


def report_results() -> list[dict]:
    out = []
    for table, bench, _name, _ab, _n, values in REPORT_TABLES:
        assert len(values) == len(REPORT_MODELS), bench
        for model, value in zip(REPORT_MODELS, values):
            named = (f"; the table names it {REPORT_NAMED[model]!r}, the report's list of released artifacts names "
                     f"{model} as that model") if model in REPORT_NAMED else ""
            out.append({"source": "apertus-report", "benchmark": bench, "model": model, "score": round(value / 100, 4), "date": "2025-09-02",
                        "url": REPORT_URL, "setting": f"Apertus v0.1 technical report, Table {table} (Swiss AI lm-evaluation-harness, "
                                                      f"post-training evaluation; settings in its Table 22){named}"})
    return out


BENCHMARKS = {
    "aider-polyglot": {"name": "Aider polyglot", "source": "aider", "version": "polyglot (225 Exercism exercises, pass rate after 2 tries)",
                       "abilities": ["code"], "items": 225},
    "aider-edit": {"name": "Aider code editing", "source": "aider", "version": "code editing (133 Exercism Python exercises, pass rate after 2 tries)",
                   "abilities": ["code"], "items": 133},
    "humaneval-plus": {"name": "HumanEval+", "source": "evalplus", "version": "EvalPlus HumanEval+ v0.1.10 pass@1", "abilities": ["code"], "items": 164},
    "mbpp-plus": {"name": "MBPP+", "source": "evalplus", "version": "EvalPlus MBPP+ v0.2.0 pass@1", "abilities": ["code"], "items": 378},
    **{k: {"name": v[0], "source": "llmstats", "version": f"{v[0]} as the vendor reported it (setting per result)", "abilities": v[1], "items": v[2]}
       for k, v in LLMSTATS_KEEP.items()},
    **{k: {"name": name, "source": "openllm", "version": f"Open LLM Leaderboard v1: {name}", "abilities": ab, "items": n}
       for k, name, ab, n in OLL_BENCHMARKS if k != "mmlu"},  # MMLU (5-shot) is the benchmark LLM Stats has: the shared column
    TB2: {"name": "Terminal-Bench 2.0", "source": "vendor-reports", "abilities": ["agentic"], "items": 89,
          "version": "Terminal-Bench 2.0 (89 tasks, pass rate) as each publisher reported it, in its own agent harness (setting per result)"},
    TB2_TERMINUS: {"name": "Terminal-Bench 2.0 (Terminus 2 agent)", "source": "terminal-bench-paper", "abilities": ["agentic"], "items": 89,
                   "version": "Terminal-Bench 2.0 (89 tasks, pass rate) with the Terminus 2 agent: the paper's runs and two publishers' own"},
    "oll-winogrande": {"name": "Winogrande (5-shot)", "source": "openllm-final", "version": "Open LLM Leaderboard v1: Winogrande (5-shot)",
                       "abilities": ["general", "reasoning"], "items": 1267},
    "oll-gsm8k": {"name": "GSM8K (5-shot, Open LLM Leaderboard)", "source": "openllm-final", "version": "Open LLM Leaderboard v1: GSM8K (5-shot)",
                  "abilities": ["reasoning"], "items": 1319},
    **{k: {"name": name, "source": "scandeval", "version": f"ScandEval English NLG leaderboard (2025-01-11): {name}", "abilities": ab,
           "items": None} for _, k, name, ab in bs.SCANDEVAL_COLUMNS},
    **{k: {"name": name, "source": "apertus-report", "version": f"Apertus v0.1 technical report, Table {t}: {name}", "abilities": ab,
           "items": n or None} for t, k, name, ab, n, _ in REPORT_TABLES},
}


def spearman(xs: list[float], ys: list[float]) -> float:
    def ranks(v: list[float]) -> list[float]:
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        for pos, i in enumerate(order):
            r[i] = pos
        return r
    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    return cov / ((sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5)


def heldout(mirrors: Path) -> None:
    """Spearman correlation of the priors with two sources not used to build them (not shipped: only the figure)."""
    import csv
    import io

    catalog = load_shipped()
    index = bm.catalog_index(catalog.raw)
    doc = json.loads(OUT.read_text())
    priors = bm.priors_from_fit(bm._best_scores(doc, bm.link_all(doc["results"], index)), doc["fit"])
    linked = with_linked(priors)
    arena = list(csv.DictReader(io.StringIO(bs.GitTree.of(mirrors, "fboulnois/llm-leaderboard-csv").read("csv/lmarena_text.csv"))))
    live = list(csv.DictReader(io.StringIO(bs.GitTree.of(mirrors, "LiveBench/livebench.github.io").read("public/table_2026_01_08.csv"))))
    checks = [("LMArena text (score)", "general", [(r["model"], r["arena_score"]) for r in arena]),
              ("LiveBench 2026-01-08 (code: code_generation, code_completion)", "code",
               [(r["model"], (float(r["code_generation"]) + float(r["code_completion"])) / 2) for r in live]),
              ("LiveBench 2026-01-08 (mean of all tasks)", "general",
               [(r["model"], sum(float(v) for k, v in r.items() if k != "model" and v) / (len(r) - 1)) for r in live])]
    for title, ability, rows in checks:
        for label, table in (("", {e: {a: p["score"] for a, p in row.items()} for e, row in priors.items()}), (", own or linked", linked)):
            pairs = {}
            for name, value in rows:
                for eid in bm.link(str(name), index) or []:
                    if ability in table.get(eid, {}) and value not in (None, ""):
                        pairs[eid] = (table[eid][ability], float(value))
            if len(pairs) >= 5 and (not label or ability != "general"):
                xs, ys = zip(*pairs.values())
                print(f"{title}: Spearman {spearman(list(xs), list(ys)):.2f} over {len(pairs)} entries (prior: {ability}{label})")


def _typed(priors: dict[str, dict[str, dict]]) -> dict[str, dict[str, bm.BenchmarkPrior]]:
    return {e: {a: bm.BenchmarkPrior(a, p["score"], p["se"], tuple(tuple(b) for b in p["benchmarks"]), p["theta"], p["theta_se"]) for a, p in row.items()}
            for e, row in priors.items()}


def with_linked(priors: dict[str, dict[str, dict]]) -> dict[str, dict[str, float]]:
    """entry -> ability -> prior score by the run-time rule (benchmarks.own_or_linked, with the linkings fitted on these
    priors); multilingual: anchored on the general one (benchmarks.anchoring)."""
    typed = _typed(priors)
    links, anchors = bm.fit_linkings(typed), bm.fit_anchoring_of(typed)
    out = {}
    for e, row in typed.items():
        out[e] = {a: p.score for a, p in row.items()}
        for ability in ("general", *links):
            found = bm.own_or_linked(row, ability, links)
            if found is not None:
                out[e][ability] = found.score
        multi = bm.anchored_prior(row, anchors)
        if multi is not None:
            out[e]["multilingual"] = multi.score
    return out


def coverage() -> None:
    """Coverage by source of the data file as shipped (BENCHMARKS.md's table): results, results linked, catalog entries
    linked, entries whose prior rests on that source alone; then the entries with a prior, per ability."""
    catalog = load_shipped()
    doc = json.loads(OUT.read_text())
    links = bm.link_all(doc["results"], bm.catalog_index(catalog.raw))
    priors = bm.priors_from_fit(bm._best_scores(doc, links), doc["fit"])
    by_entry: dict[str, set[str]] = {}
    for r, linked in zip(doc["results"], links):
        for eid in linked:
            by_entry.setdefault(eid, set()).add(r["source"])
    print("| source | results | linked | catalog entries | only this source |\n|---|---|---|---|---|")
    for sid, s in doc["sources"].items():
        mine = [linked for r, linked in zip(doc["results"], links) if r["source"] == sid]
        entries = {e for linked in mine for e in linked}
        alone = sum(1 for e in entries if e in priors and by_entry[e] == {sid})
        print(f"| {s['name']} ({s['license']}) | {len(mine):,} | {sum(1 for x in mine if x):,} | {len(entries)} | {alone} |")
    per = {a: sum(1 for row in priors.values() if a in row) for a in bm.ABILITIES}
    print(f"{len(priors)} of {len(catalog.raw)} entries have a benchmark prior ({', '.join(f'{a} {n}' for a, n in per.items())})")
    linked = with_linked(priors)
    print("own or linked from general (the run-time rule): " + ", ".join(f"{a} {sum(1 for row in linked.values() if a in row)}" for a in bm.ABILITIES))
    for k in bm.fit_linkings(_typed(priors)).values():
        print(f"linking {k.ability}: over {k.n} entries, θ = {k.mean:.3f} + {k.slope:.3f} (θ_general − {k.general_mean:.3f}), residual spread {k.spread:.3f}")
    anchors = bm.fit_anchoring_of(_typed(priors))
    if anchors is not None:
        print(f"multilingual anchored on general over {anchors.models} entries: σ²_within {anchors.within:.3f}, σ²_between {anchors.between:.3f}; "
              f"not used (fewer than {MIN_ANCHORED} models or no rising line): {', '.join(f'{b} ({n})' for b, n in anchors.unused) or 'none'}")
        for line in anchors.lines:
            print(f"  {line.benchmark}: over {line.n} entries, probit(figure) = {line.intercept:.3f} + {line.slope:.3f} θ_general, "
                  f"residual spread {line.spread:.3f} θ")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirrors", default="/work/.mirror")
    ap.add_argument("--observed", default="2026-12-07")
    ap.add_argument("--heldout", action="store_true", help="only print the rank correlations with held-out sources")
    ap.add_argument("--coverage", action="store_true", help="only print the coverage by source of the shipped data file")
    args = ap.parse_args()
    mirrors = Path(args.mirrors)
    if args.heldout:
        return heldout(mirrors)
    if args.coverage:
        return coverage()
    results = [r for sid, read in bs.READERS.items() for r in read(tree(mirrors, sid))] + card_results() + vendor_results() + paper_results() + report_results()
    results = sorted(results, key=lambda r: (r["source"], r["benchmark"], r["model"]))
    catalog = load_shipped()
    links = bm.link_all(results, bm.catalog_index(catalog.raw))
    sources = {}
    for sid, s in SOURCES.items():
        commit, day = tree(mirrors, sid).head()
        sources[sid] = {**s, "commit": commit, "source_date": day, "observed": s.get("observed", args.observed),
                        "results": sum(1 for r in results if r["source"] == sid)}
    if CARDS:
        sources["cards"] = {"name": "model card (self-reported)", "repo": "", "path": "", "url": "https://huggingface.co (each result's own URL)",
                            "license": "facts (figures curated by hand from the publishers' model cards)", "commit": "", "source_date": CARDS_OBSERVED,
                            "observed": CARDS_OBSERVED, "version": "each card's own table",
                            "attribution": "benchmark figures as each model's publisher reports them on its model card (self-reported)",
                            "results": sum(1 for r in results if r["source"] == "cards")}
    sources["vendor-reports"] = {
        "name": "vendor announcements and model cards, 2025-26 releases (self-reported)", "repo": "", "path": "",
        "url": "each result's own URL (the publisher's announcement, model card or report)",
        "license": "facts (figures curated by hand from the publishers' published tables)", "commit": "", "source_date": VENDOR_OBSERVED,
        "observed": VENDOR_OBSERVED, "version": "each publisher's own table and setting",
        "attribution": "benchmark figures as each model's publisher reported them (OpenAI, Alibaba Qwen, Z.ai, DeepSeek, NVIDIA, Mistral AI: "
                       "self-reported, not measured by whichai or by a common harness); GPT-5.1's as Google DeepMind's Gemini 3 Pro "
                       "model card reported it, and GPT-5.3-Codex's and Claude Opus 4.6's Terminal-Bench 2.0 with the Terminus-2 agent "
                       "as its Gemini 3.1 Pro card reported them; read in stored copies of the pages, named per result",
        "results": sum(1 for r in results if r["source"] == "vendor-reports")}
    sources["terminal-bench-paper"] = {
        "name": "Terminal-Bench 2.0 paper (the benchmark authors' evaluation)", "repo": "", "path": "", "url": PAPER_URL,
        "license": "facts (figures curated by hand from the paper's results, read in write-ups that reproduce them)", "commit": "",
        "source_date": PAPER_DATE, "observed": PAPER_OBSERVED, "version": "Terminal-Bench 2.0, 89 tasks, Terminus 2 agent",
        "attribution": "Merrill et al., 'Terminal-Bench: Benchmarking Agents on Hard, Realistic Tasks in Command Line Interfaces', "
                       "arXiv 2601.11868, 2026 (Laude Institute and contributors): pass rates as published",
        "results": sum(1 for r in results if r["source"] == "terminal-bench-paper")}
    sources["apertus-report"] = {
        "name": "Apertus v0.1 technical report (Swiss AI)", "repo": "swiss-ai/apertus-tech-report", "path": "Apertus_Tech_Report.pdf",
        "url": REPORT_URL, "license": "facts (figures curated by hand from the report's tables; the report's repository states no licence)",
        "commit": "9d4b0fb", "source_date": "2025-09-02", "observed": REPORT_OBSERVED,
        "version": "Apertus v0.1 technical report, post-training evaluation, Tables 17-21 (Swiss AI's lm-evaluation-harness fork)",
        "attribution": "Project Apertus (Swiss AI Initiative), 'Apertus: Democratizing Open and Compliant LLMs for Global Language "
                       "Environments', v0.1 technical report, 2025, Tables 17-21 (figures as published; the report's own evaluation "
                       "of Apertus and 18 other models)",
        "results": sum(1 for r in results if r["source"] == "apertus-report")}
    doc = {"schema": "whichai.benchmarks/2", "observed": s.get("observed", args.observed), "sources": sources, "benchmarks": BENCHMARKS, "results": results}
    doc["fit"] = bm.fit_priors(doc, links)
    OUT.write_text(json.dumps(doc, indent=0, sort_keys=False, ensure_ascii=False) + "\n")
    priors = bm.priors_from_fit(bm._best_scores(doc, links), doc["fit"])
    linked_entries = {e for linked in links for e in linked}
    unlinked = {(r["source"], r["model"]) for r, linked in zip(results, links) if not linked}
    print(f"{len(results)} results, {len(linked_entries)} catalog entries linked, {len(unlinked)} names unlinked; priors for {len(priors)} entries")
    for sid, s in sources.items():
        n = sum(1 for r, linked in zip(results, links) if r["source"] == sid and linked)
        print(f"  {sid}: {s['results']} results, {n} linked ({s['license']}, {s['commit'][:10]} {s['source_date']})")


if __name__ == "__main__":
    main()
