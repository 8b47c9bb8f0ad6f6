"""The readers of the published benchmark sources: one copy, used by ``tools/import_benchmarks.py`` (on
git mirrors) and by ``whichai catalog update`` (on the files it downloads).

Each reader takes a :class:`Tree` (a source's files by their path in its repository) and returns the
results as the data file keeps them: ``{source, benchmark, model (as the source named it), score 0-1,
date, setting}``. :class:`GitTree` reads a bare git mirror at HEAD (or a named commit), :class:`DirTree`
a folder: a downloaded file saved under its repository path, or an unpacked codeload archive (its one
top folder, ``<repo>-<ref>/``, is looked through).

Which sources ``catalog update`` downloads (:data:`FETCHED`): Aider's two leaderboard files, LLM Stats'
repository archive and EvalPlus' ``results.json``, each URL overridable by an environment variable (a
mirror, the tests' loopback server). The Open LLM Leaderboard v1 sources are frozen (the leaderboard was
retired in 2024 and its snapshots do not change), and the model-card and technical-report figures are
curated by hand in the import tool: an update keeps those results as they are.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# sources --------------------------------------------------------------------------------------

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
    "openllm-final": {"name": "Open LLM Leaderboard v1 (final table, CSV)", "repo": "fboulnois/llm-leaderboard-csv", "path": "csv/huggingface_v1.csv",
                      "ref": "b2d67d9157535832a3adb35773f3a7c49425059a",  # the last commit with the file (removed 2025-06-09: leaderboard retired)
                      "url": "https://github.com/fboulnois/llm-leaderboard-csv/blob/b2d67d9157535832a3adb35773f3a7c49425059a/csv/huggingface_v1.csv",
                      "license": "MPL-2.0",
                      "version": "Open LLM Leaderboard v1, final table (EleutherAI lm-evaluation-harness: ARC 25-shot, HellaSwag 10-shot, "
                                 "MMLU 5-shot, TruthfulQA 0-shot mc2, Winogrande 5-shot, GSM8K 5-shot)",
                      "attribution": "llm-leaderboard-csv (c) fboulnois, MPL-2.0 (csv/huggingface_v1.csv at b2d67d9); scores from Hugging Face's "
                                     "Open LLM Leaderboard v1; whichai keeps the original publishers' models (and the conversions named in "
                                     "OLL_CONVERSIONS), each model's best-average row (changes made; the file itself is at the URL)"},
    "scandeval": {"name": "ScandEval English NLG leaderboard", "repo": "ScandEval/scandeval.github.io", "path": "english-nlg.csv",
                  "ref": "6f423fec9143cb715700cdcbc49c297a0c95698a",  # the leaderboard of 2025-01-11; ScandEval is EuroEval since
                  "url": "https://github.com/ScandEval/scandeval.github.io/blob/6f423fec9143cb715700cdcbc49c297a0c95698a/english-nlg.csv",
                  "license": "MIT", "observed": "2026-12-08",
                  "version": "ScandEval 12.x English generative leaderboard: few-shot, each task's primary metric (MMLU and HellaSwag: "
                             "Matthews correlation; SQuAD: exact match; CoNLL-en: micro F1 without MISC; SST5: Matthews correlation)",
                  "attribution": "ScandEval leaderboards (c) 2022-2024 Dan Saattrup Nielsen, MIT (scandeval.github.io english-nlg.csv at "
                                 "6f423fe); whichai keeps the few-shot runs of models that are not merges (changes made)"},
}

# the publishers whose own releases are kept from the Open LLM Leaderboard (not the fine-tunes of others)
OLL_PUBLISHERS = {"eleutherai", "meta-llama", "mistralai", "tiiuae", "mosaicml", "bigscience", "togethercomputer", "openassistant",
                  "rinna", "allenai", "llm360", "ibm", "stabilityai", "cerebras", "databricks", "microsoft", "google", "qwen", "01-ai",
                  "huggyllama", "openlm-research", "salesforce", "facebook"}
# repositories of other publishers kept because they are the original weights in another format, with where that is said
OLL_CONVERSIONS = {
    "KoboldAI/fairseq-dense-13B": "https://huggingface.co/KoboldAI/fairseq-dense-13B (card: a transformers-compatible conversion of the "
                                  "original dense 13B model of Artetxe et al., 'Efficient Large Scale Language Modeling with Mixtures of Experts')",
}
OLL_BENCHMARKS = (("oll-arc", "ARC (25-shot)", ["general", "reasoning"], 1172), ("oll-hellaswag", "HellaSwag (10-shot)", ["general"], 10042),
                  ("mmlu", "MMLU", ["general", "extraction"], 14042), ("oll-truthfulqa", "TruthfulQA (0-shot mc2)", ["general"], 817))
# the final table's columns -> benchmark ids (the first four as the report snapshots have them)
OLL_FINAL_COLUMNS = (("arc", "oll-arc"), ("hellaswag", "oll-hellaswag"), ("mmlu", "mmlu"), ("truthfulqa", "oll-truthfulqa"),
                     ("winogrande", "oll-winogrande"), ("gsm8k", "oll-gsm8k"))

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
# LLM Stats ids of a kept benchmark at a named version, kept in that benchmark's column (which already holds each vendor's
# version, the setting per result): LiveCodeBench is reported over windows of problems, v5 and v6 among them
LLMSTATS_SAME = {"livecodebench-v5": "livecodebench", "livecodebench-v6": "livecodebench"}


# trees: a source's files by repository path -----------------------------------------------------


class Tree:
    """A source's files by their path in its repository."""

    def read(self, path: str) -> str:
        raise NotImplementedError

    def ls(self, under: str) -> list[str]:
        """The files under a folder, as repository paths."""
        raise NotImplementedError


@dataclass
class GitTree(Tree):
    """A bare git mirror (``<mirrors>/<owner>+<repo>/repo``, as the ``fetch`` tool leaves it) at ``ref``."""

    git_dir: Path
    ref: str = "HEAD"

    @classmethod
    def of(cls, mirrors: Path, repo: str, ref: str = "HEAD") -> GitTree:
        return cls(mirrors / repo.replace("/", "+") / "repo", ref)

    def _git(self, *args: str) -> str:
        return subprocess.run(["git", f"--git-dir={self.git_dir}", *args], check=True, capture_output=True, text=True).stdout

    def read(self, path: str) -> str:
        return self._git("show", f"{self.ref}:{path}")

    def ls(self, under: str) -> list[str]:
        return self._git("ls-tree", "-r", "--name-only", self.ref, under).split()

    def head(self) -> tuple[str, str]:
        """(commit, commit date YYYY-MM-DD) of ``ref``."""
        commit, day = self._git("log", "-1", "--format=%H %cs", self.ref).split()
        return commit, day


@dataclass
class DirTree(Tree):
    """A folder holding a repository's files at their paths; an unpacked codeload archive's one top folder is looked through."""

    root: Path

    def _base(self) -> Path:
        kids = [p for p in self.root.iterdir()] if self.root.is_dir() else []
        return kids[0] if len(kids) == 1 and kids[0].is_dir() and "-" in kids[0].name else self.root

    def read(self, path: str) -> str:
        return (self._base() / path).read_text(encoding="utf-8")

    def ls(self, under: str) -> list[str]:
        base = self._base()
        folder = base / under
        return sorted(p.relative_to(base).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


# readers ----------------------------------------------------------------------------------------


class SourceFormatError(ValueError):
    """A source's file is not in the format its reader knows."""


def aider_results(tree: Tree) -> list[dict[str, Any]]:
    """Aider's polyglot and code-editing leaderboards (YAML lists; ``pass_rate_2`` in percent)."""
    from whichai import safeyaml
    from whichai.errors import FileInputError

    rows = []
    for path, bench in (("aider/website/_data/polyglot_leaderboard.yml", "aider-polyglot"), ("aider/website/_data/edit_leaderboard.yml", "aider-edit")):
        try:  # a downloaded file: the bounds of every YAML whichai reads (aliases, depth, numbers)
            doc = safeyaml.loads_packaged(tree.read(path), path)
        except FileInputError as exc:
            raise SourceFormatError(f"aider: {exc}") from exc
        if not isinstance(doc, list):
            raise SourceFormatError(f"aider: {path} is not a YAML list of results")
        rows += [(r, bench) for r in doc]
    out = []
    for r, bench in rows:
        if not isinstance(r, dict) or "model" not in r or r.get("pass_rate_2") is None:
            raise SourceFormatError("aider: a result without model or pass_rate_2")
        name = str(r["model"])
        if "+" in name:  # an architect/editor pair is two models, not one
            continue
        score = float(r["pass_rate_2"]) / 100
        if not 0 <= score <= 1:
            raise SourceFormatError(f"aider: pass_rate_2 {r['pass_rate_2']!r} of {name!r} is not a percentage")
        out.append({"source": "aider", "benchmark": bench, "model": name, "score": round(score, 4),
                    "date": str(r.get("date", "")), "setting": f"edit_format={r.get('edit_format')}"})
    return out


def llmstats_results(tree: Tree) -> list[dict[str, Any]]:
    """LLM Stats: ``data/organizations/<org>/models/<model>/benchmarks.json``, the benchmarks of :data:`LLMSTATS_KEEP`."""
    out = []
    paths = [p for p in tree.ls("data/organizations") if p.endswith("/benchmarks.json")]
    if not paths:
        raise SourceFormatError("llmstats: no data/organizations/*/models/*/benchmarks.json")
    for path in paths:
        doc = json.loads(tree.read(path))
        if not isinstance(doc, list):
            raise SourceFormatError(f"llmstats: {path} is not a list of results")
        for r in doc:
            if not isinstance(r, dict):
                continue
            bench = LLMSTATS_SAME.get(str(r.get("benchmark_id")), r.get("benchmark_id"))
            if bench not in LLMSTATS_KEEP or r.get("normalized_score") is None:
                continue
            score = float(r["normalized_score"])
            if not 0 <= score <= 1:
                continue
            setting = r.get("analysis_method") or ""
            if bench != r["benchmark_id"]:
                setting = f"{r['benchmark_id']}; {setting}" if setting else r["benchmark_id"]
            out.append({"source": "llmstats", "benchmark": bench, "model": str(r["model_id"]), "score": round(score, 4),
                        "date": str(r.get("updated_at", ""))[:10], "setting": setting,
                        "self_reported": bool(r.get("is_self_reported"))})
    return out


def evalplus_results(tree: Tree) -> list[dict[str, Any]]:
    """EvalPlus ``results.json``: model -> {"pass@1": {"humaneval+": %, "mbpp+": %}}."""
    data = json.loads(tree.read("results.json"))
    if not isinstance(data, dict):
        raise SourceFormatError("evalplus: results.json is not an object of models")
    out = []
    for name, r in data.items():
        for key, bench in (("humaneval+", "humaneval-plus"), ("mbpp+", "mbpp-plus")):
            value = ((r or {}).get("pass@1") or {}).get(key) if isinstance(r, dict) else None
            if value is not None:
                out.append({"source": "evalplus", "benchmark": bench, "model": name, "score": round(float(value) / 100, 4), "date": "",
                            "setting": "pass@1 greedy"})
    return out


def _oll_kept(name: str) -> bool:
    return name in OLL_CONVERSIONS or ("/" in name and name.split("/")[0].lower() in OLL_PUBLISHERS)


def openllm_results(tree: Tree) -> list[dict[str, Any]]:
    """The report's snapshots: each kept model's row in the latest snapshot that has it: [name, (revision,) average, ARC, HellaSwag, MMLU, TruthfulQA]."""
    latest: dict[str, tuple[str, list[float]]] = {}
    for path in sorted(tree.ls("data")):
        if not path.endswith(".json"):
            continue
        found = re.search(r"(\d{8})", path)
        if found is None:
            continue
        day = found.group(1)
        for row in json.loads(tree.read(path)):
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


def openllm_final_results(tree: Tree) -> list[dict[str, Any]]:
    """The final v1 table (``csv/huggingface_v1.csv``): the kept publishers' models and :data:`OLL_CONVERSIONS`,
    each model's row with the highest average (the table lists some models once per precision)."""
    rows = list(csv.DictReader(io.StringIO(tree.read(SOURCES["openllm-final"]["path"]))))
    if not rows or not {"fullname", "average", *(c for c, _ in OLL_FINAL_COLUMNS)} <= set(rows[0]):
        raise SourceFormatError("openllm-final: the CSV lacks the v1 leaderboard's columns")
    best: dict[str, dict[str, Any]] = {}
    for r in rows:
        name = r["fullname"]
        if _oll_kept(name) and (name not in best or float(r["average"]) > float(best[name]["average"])):
            best[name] = r
    out = []
    for name, r in sorted(best.items()):
        for col, bench in OLL_FINAL_COLUMNS:
            if r.get(col) not in (None, ""):
                note = f"; {OLL_CONVERSIONS[name]}" if name in OLL_CONVERSIONS else ""
                out.append({"source": "openllm-final", "benchmark": bench, "model": name, "score": round(float(r[col]) / 100, 4),
                            "date": str(r.get("date", ""))[:10], "setting": f"Open LLM Leaderboard v1 harness, {r.get('precision')}{note}"})
    return out


# ScandEval's English columns -> (benchmark id, name, abilities); its scores are percentages (a correlation may be below 0)
SCANDEVAL_COLUMNS = (("mmlu", "scandeval-mmlu-en", "MMLU (ScandEval few-shot, MCC)", ["general"]),
                     ("hellaswag", "scandeval-hellaswag-en", "HellaSwag (ScandEval few-shot, MCC)", ["general"]),
                     ("squad", "scandeval-squad-en", "SQuAD (ScandEval few-shot, exact match)", ["extraction"]),
                     ("conll_en", "scandeval-conll-en", "CoNLL-en NER (ScandEval few-shot, micro F1)", ["extraction"]),
                     ("sst5", "scandeval-sst5-en", "SST-5 sentiment (ScandEval few-shot, MCC)", ["extraction"]))


def scandeval_results(tree: Tree) -> list[dict[str, Any]]:
    """ScandEval's English NLG table (``english-nlg.csv``): each model's few-shot run (``name (few-shot)``, API models
    ``(few-shot, val)`` on the validation split), merged models left out; the name kept as the source wrote it."""
    rows = list(csv.DictReader(io.StringIO(tree.read(SOURCES["scandeval"]["path"]))))
    if not rows or not {"model_id", "merge", *(c for c, *_ in SCANDEVAL_COLUMNS)} <= set(rows[0]):
        raise SourceFormatError("scandeval: english-nlg.csv lacks the leaderboard's columns")
    out = []
    for r in rows:
        name = r["model_id"].strip()
        if r["merge"] == "True" or "(few-shot" not in name:
            continue
        for col, bench, *_ in SCANDEVAL_COLUMNS:
            if r.get(col) not in (None, "", "-"):
                out.append({"source": "scandeval", "benchmark": bench, "model": name, "score": round(float(r[col]) / 100, 4), "date": "",
                            "setting": "few-shot, validation split" if "val)" in name else "few-shot"})
    return out


READERS = {"aider": aider_results, "llmstats": llmstats_results, "evalplus": evalplus_results, "openllm": openllm_results,
           "openllm-final": openllm_final_results, "scandeval": scandeval_results}


# what ``catalog update`` downloads ---------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    """A benchmark source ``catalog update`` downloads: ``files`` are saved under their repository paths
    (``url`` is their folder), or ``archive`` is a codeload archive of the repository (``url`` is it)."""

    source: str
    env: str
    url: str
    max_bytes: int
    files: tuple[str, ...] = ()
    archive_suffixes: tuple[str, ...] = ()


FETCHED = (
    Fetched("aider", "WHICHAI_AIDER_URL", "https://raw.githubusercontent.com/Aider-AI/aider/main/aider/website/_data/", 8 * 1024 * 1024,
            files=("aider/website/_data/polyglot_leaderboard.yml", "aider/website/_data/edit_leaderboard.yml")),
    Fetched("llmstats", "WHICHAI_LLMSTATS_URL", "https://codeload.github.com/JonathanChavezTamales/llm-leaderboard/tar.gz/refs/heads/main",
            64 * 1024 * 1024, archive_suffixes=("benchmarks.json",)),
    Fetched("evalplus", "WHICHAI_EVALPLUS_URL", "https://raw.githubusercontent.com/evalplus/evalplus.github.io/main/results.json",
            8 * 1024 * 1024, files=("results.json",)),
)
