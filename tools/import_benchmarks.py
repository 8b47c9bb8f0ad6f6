"""Import published benchmark results into ``src/whichai/catalog/data/benchmarks.json``.

Usage: ``python tools/import_benchmarks.py [--mirrors DIR] [--observed 2026-12-07]``

Reads four openly licensed sources from bare git mirrors (``DIR/<owner>+<repo>/repo``, as the
``fetch`` tool leaves them; ``git clone --bare`` gives the same):

- Aider polyglot leaderboard (Apache-2.0), ``Aider-AI/aider`` ``aider/website/_data/polyglot_leaderboard.yml``: code.
- LLM Stats (CC-BY-4.0), ``JonathanChavezTamales/llm-leaderboard`` ``data/organizations/*/models/*/benchmarks.json``:
  results the vendors published (self-reported), many benchmarks: knowledge, reasoning, chat, code, multilingual.
- EvalPlus leaderboard (Apache-2.0), ``evalplus/evalplus.github.io`` ``results.json``: HumanEval+ and MBPP+ (code).
- Open LLM Leaderboard v1 (Hugging Face, 2023) as snapshotted by ``dsdanielpark/open-llm-leaderboard-report``
  (MIT) ``data/*.json``: ARC (25-shot), HellaSwag (10-shot), MMLU (5-shot), TruthfulQA (0-shot) of older
  open models (Pythia, GPT-NeoX, Polyglot-Ko, Llama 2, Falcon, MPT, BLOOM, Mistral 7B); each model's
  latest snapshot; only the models of the publishers in ``OLL_PUBLISHERS`` (the original releases,
  not the thousands of fine-tunes). Its columns are put on the common scale by the one-factor fit
  through the models it shares with the other sources, and its MMLU (5-shot) goes into the same MMLU
  column as LLM Stats' (the anchor: only two models are in both sources).
- Model cards (self-reported): figures curated by hand from the publishers' cards (``CARDS``), each
  with its URL and the date it was read.

Results keep the model as the source named it (no entry ids): the catalog links them when it loads.

To fit, each result is linked to the shipped catalog by the rule of :func:`whichai.catalog.benchmarks.link`
(normalised names, exact token match; a dated snapshot name links to an undated entry only when that
base names exactly one entry); the per-ability fit (each benchmark's a, c, σ; :func:`fit_priors`) is
stored, and each entry's prior is computed from it when the catalog loads.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from whichai.catalog import benchmarks as bm  # noqa: E402
from whichai.catalog.catalog import load_shipped  # noqa: E402

OUT = ROOT / "src" / "whichai" / "catalog" / "data" / "benchmarks.json"

SOURCES = {
    "aider": {"name": "Aider polyglot leaderboard", "repo": "Aider-AI/aider", "path": "aider/website/_data/polyglot_leaderboard.yml",
              "url": "https://aider.chat/docs/leaderboards/", "license": "Apache-2.0",
              "attribution": "Aider polyglot benchmark results, (c) Paul Gauthier and Aider contributors, Apache-2.0"},
    "llmstats": {"name": "LLM Stats (llm-leaderboard)", "repo": "JonathanChavezTamales/llm-leaderboard", "path": "data/organizations",
                 "url": "https://github.com/JonathanChavezTamales/llm-leaderboard", "license": "CC-BY-4.0",
                 "attribution": "LLM Stats / llm-leaderboard data (c) 2024 jc, CC-BY-4.0; vendors' self-reported scores; "
                                "whichai keeps a subset, links names to its catalog and fits priors from them (changes made)"},
    "evalplus": {"name": "EvalPlus leaderboard", "repo": "evalplus/evalplus.github.io", "path": "results.json",
                 "url": "https://evalplus.github.io/leaderboard.html", "license": "Apache-2.0",
                 "attribution": "EvalPlus leaderboard results (c) the EvalPlus team, Apache-2.0"},
    "openllm": {"name": "Open LLM Leaderboard v1 (report snapshots)", "repo": "dsdanielpark/open-llm-leaderboard-report", "path": "data",
                "url": "https://github.com/dsdanielpark/open-llm-leaderboard-report", "license": "MIT",
                "version": "Open LLM Leaderboard v1 (EleutherAI lm-evaluation-harness: ARC 25-shot, HellaSwag 10-shot, MMLU 5-shot, "
                           "TruthfulQA 0-shot mc2), snapshots 2023-05-26 to 2023-10-31",
                "attribution": "Open LLM Leaderboard report (c) 2023 Daniel Park, MIT; scores from Hugging Face's Open LLM Leaderboard "
                               "(https://huggingface.co/spaces/HuggingFaceH4/open_llm_leaderboard); whichai keeps the original "
                               "publishers' models, each at its latest snapshot (changes made)"},
}

# the publishers whose own releases are kept from the Open LLM Leaderboard (not the fine-tunes of others)
OLL_PUBLISHERS = {"eleutherai", "meta-llama", "mistralai", "tiiuae", "mosaicml", "bigscience", "togethercomputer", "openassistant",
                  "rinna", "allenai", "llm360", "ibm", "stabilityai", "cerebras", "databricks", "microsoft", "google", "qwen", "01-ai",
                  "huggyllama", "openlm-research", "salesforce", "facebook"}
OLL_BENCHMARKS = (("oll-arc", "ARC (25-shot)", ["general", "reasoning"], 1172), ("oll-hellaswag", "HellaSwag (10-shot)", ["general"], 10042),
                  ("mmlu", "MMLU", ["general", "extraction"], 14042), ("oll-truthfulqa", "TruthfulQA (0-shot mc2)", ["general"], 817))

# the benchmarks kept, with what each says about: general (chat), code, reasoning, multilingual, extraction
LLMSTATS_KEEP = {
    "mmlu-pro": ("MMLU-Pro", ["general", "reasoning", "extraction"], 12032),
    "gpqa": ("GPQA (Diamond)", ["general", "reasoning"], 198),
    "mmlu": ("MMLU", ["general", "extraction"], 14042),
    "mmlu-redux": ("MMLU-Redux", ["general", "extraction"], 5700),
    "ifeval": ("IFEval", ["general", "extraction"], 541),
    "arena-hard": ("Arena-Hard", ["general"], 500),
    "big-bench-hard": ("BIG-Bench Hard", ["general", "reasoning"], 6511),
    "drop": ("DROP", ["extraction"], 9536),
    "math": ("MATH", ["reasoning"], 5000),
    "math-500": ("MATH-500", ["reasoning"], 500),
    "aime-2024": ("AIME 2024", ["reasoning"], 30),
    "aime-2025": ("AIME 2025", ["reasoning"], 30),
    "gsm8k": ("GSM8K", ["reasoning"], 1319),
    "humaneval": ("HumanEval", ["code"], 164),
    "mbpp": ("MBPP", ["code"], 500),
    "livecodebench": ("LiveCodeBench", ["code", "reasoning"], 400),
    "swe-bench-verified": ("SWE-bench Verified", ["code"], 500),
    "mgsm": ("MGSM", ["multilingual"], 2750),
    "mmmlu": ("MMMLU", ["multilingual"], 14042),
    "global-mmlu-lite": ("Global-MMLU-Lite", ["multilingual"], 6000),
    "multi-if": ("Multi-IF", ["multilingual"], 4500),
}


def git_show(mirrors: Path, repo: str, path: str) -> str:
    gd = mirrors / repo.replace("/", "+") / "repo"
    return subprocess.run(["git", f"--git-dir={gd}", "show", f"HEAD:{path}"], check=True, capture_output=True, text=True).stdout


def git_head(mirrors: Path, repo: str) -> tuple[str, str]:
    gd = mirrors / repo.replace("/", "+") / "repo"
    out = subprocess.run(["git", f"--git-dir={gd}", "log", "-1", "--format=%H %cs"], check=True, capture_output=True, text=True).stdout.split()
    return out[0], out[1]


def git_ls(mirrors: Path, repo: str, under: str) -> list[str]:
    gd = mirrors / repo.replace("/", "+") / "repo"
    out = subprocess.run(["git", f"--git-dir={gd}", "ls-tree", "-r", "--name-only", "HEAD", under], check=True, capture_output=True, text=True).stdout
    return out.split()


def aider_results(mirrors: Path) -> list[dict]:
    import yaml

    rows = [(r, "aider-polyglot") for r in yaml.safe_load(git_show(mirrors, "Aider-AI/aider", SOURCES["aider"]["path"]))]
    rows += [(r, "aider-edit") for r in yaml.safe_load(git_show(mirrors, "Aider-AI/aider", "aider/website/_data/edit_leaderboard.yml"))]
    out = []
    for r, bench in rows:
        name = str(r["model"])
        if "+" in name:  # an architect/editor pair is two models, not one
            continue
        out.append({"source": "aider", "benchmark": bench, "model": name, "score": round(float(r["pass_rate_2"]) / 100, 4),
                    "date": str(r.get("date", "")), "setting": f"edit_format={r.get('edit_format')}"})
    return out


def llmstats_results(mirrors: Path) -> list[dict]:
    repo = SOURCES["llmstats"]["repo"]
    out = []
    for path in git_ls(mirrors, repo, "data/organizations"):
        if not path.endswith("/benchmarks.json"):
            continue
        for r in json.loads(git_show(mirrors, repo, path)):
            if r["benchmark_id"] not in LLMSTATS_KEEP or r.get("normalized_score") is None:
                continue
            score = float(r["normalized_score"])
            if not 0 <= score <= 1:
                continue
            out.append({"source": "llmstats", "benchmark": r["benchmark_id"], "model": r["model_id"], "score": round(score, 4),
                        "date": str(r.get("updated_at", ""))[:10], "setting": r.get("analysis_method") or "",
                        "self_reported": bool(r.get("is_self_reported"))})
    return out


def openllm_results(mirrors: Path) -> list[dict]:
    """Each kept model's row in the latest snapshot that has it: [name, (revision,) average, ARC, HellaSwag, MMLU, TruthfulQA]."""
    repo = SOURCES["openllm"]["repo"]
    latest: dict[str, tuple[str, list]] = {}
    for path in sorted(git_ls(mirrors, repo, "data")):
        if not path.endswith(".json"):
            continue
        day = re.search(r"(\d{8})", path).group(1)
        for row in json.loads(git_show(mirrors, repo, path)):
            name = str(row[0])
            if "/" not in name or name.split("/")[0].lower() not in OLL_PUBLISHERS:
                continue
            values = [v for v in row[1:] if not isinstance(v, str)]
            if len(values) != 5:
                continue
            if name not in latest or day >= latest[name][0]:
                latest[name] = (f"{day[:4]}-{day[4:6]}-{day[6:]}", values)
    out = []
    for name, (day, values) in sorted(latest.items()):
        for (bench, *_), value in zip(OLL_BENCHMARKS, values[1:]):
            out.append({"source": "openllm", "benchmark": bench, "model": name, "score": round(float(value) / 100, 4), "date": day,
                        "setting": "Open LLM Leaderboard v1 harness"})
    return out


def card_results() -> list[dict]:
    return [{"source": "cards", "benchmark": bench, "model": model, "score": round(value / 100, 4), "date": CARDS_OBSERVED, "url": url,
             "setting": setting} for model, url, setting, scores in CARDS for bench, value in scores.items()]


CARDS_OBSERVED = "2026-12-07"
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
]


def evalplus_results(mirrors: Path) -> list[dict]:
    data = json.loads(git_show(mirrors, "evalplus/evalplus.github.io", "results.json"))
    out = []
    for name, r in data.items():
        for key, bench in (("humaneval+", "humaneval-plus"), ("mbpp+", "mbpp-plus")):
            value = (r.get("pass@1") or {}).get(key)
            if value is not None:
                out.append({"source": "evalplus", "benchmark": bench, "model": name, "score": round(float(value) / 100, 4), "date": "", "setting": "pass@1 greedy"})
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
    arena = list(csv.DictReader(io.StringIO(git_show(mirrors, "fboulnois/llm-leaderboard-csv", "csv/lmarena_text.csv"))))
    live = list(csv.DictReader(io.StringIO(git_show(mirrors, "LiveBench/livebench.github.io", "public/table_2026_01_08.csv"))))
    checks = [("LMArena text (score)", "general", [(r["model"], r["arena_score"]) for r in arena]),
              ("LiveBench 2026-01-08 (code: code_generation, code_completion)", "code",
               [(r["model"], (float(r["code_generation"]) + float(r["code_completion"])) / 2) for r in live]),
              ("LiveBench 2026-01-08 (mean of all tasks)", "general",
               [(r["model"], sum(float(v) for k, v in r.items() if k != "model" and v) / (len(r) - 1)) for r in live])]
    for title, ability, rows in checks:
        pairs = {}
        for name, value in rows:
            for eid in bm.link(str(name), index) or []:
                if ability in priors.get(eid, {}) and value not in (None, ""):
                    pairs[eid] = (priors[eid][ability]["score"], float(value))
        if len(pairs) >= 5:
            xs, ys = zip(*pairs.values())
            print(f"{title}: Spearman {spearman(list(xs), list(ys)):.2f} over {len(pairs)} entries (prior: {ability})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirrors", default="/work/.mirror")
    ap.add_argument("--observed", default="2026-12-07")
    ap.add_argument("--heldout", action="store_true", help="only print the rank correlations with held-out sources")
    args = ap.parse_args()
    mirrors = Path(args.mirrors)
    if args.heldout:
        return heldout(mirrors)
    results = aider_results(mirrors) + llmstats_results(mirrors) + evalplus_results(mirrors) + openllm_results(mirrors) + card_results()
    results = sorted(results, key=lambda r: (r["source"], r["benchmark"], r["model"]))
    catalog = load_shipped()
    links = bm.link_all(results, bm.catalog_index(catalog.raw))
    sources = {}
    for sid, s in SOURCES.items():
        commit, day = git_head(mirrors, s["repo"])
        sources[sid] = {**s, "commit": commit, "source_date": day, "observed": args.observed,
                        "results": sum(1 for r in results if r["source"] == sid)}
    if CARDS:
        sources["cards"] = {"name": "model card (self-reported)", "repo": "", "path": "", "url": "https://huggingface.co (each result's own URL)",
                            "license": "facts (figures curated by hand from the publishers' model cards)", "commit": "", "source_date": CARDS_OBSERVED,
                            "observed": CARDS_OBSERVED, "version": "each card's own table",
                            "attribution": "benchmark figures as each model's publisher reports them on its model card (self-reported)",
                            "results": sum(1 for r in results if r["source"] == "cards")}
    doc = {"schema": "whichai.benchmarks/2", "observed": args.observed, "sources": sources, "benchmarks": BENCHMARKS, "results": results}
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
