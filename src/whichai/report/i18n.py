"""View labels of the report and the dashboard (headings, column names), in English and Bahasa Indonesia.

Only labels live here. What explains the decision (verdict, evidence, reasons, break-even, origin
names) is text of the decision document or of :mod:`whichai.decide.i18n`, which also formats every
number and amount; criterion names come from :mod:`whichai.criteria`. ``t(key, lang)`` falls back to
English, then to the key itself.
"""

from __future__ import annotations

LANGS = ("en", "id")

LABELS: dict[str, tuple[str, str]] = {
    # key: (English, Bahasa Indonesia)
    "title": ("whichai report", "Laporan whichai"),
    "subtitle": ("Open-source or closed-source AI, with evidence", "AI open source atau closed source, dengan bukti"),
    "run": ("Run", "Proses"),
    "task": ("Task", "Tugas"),
    "created": ("Created", "Dibuat"),
    "status": ("Status", "Status"),
    "models": ("Models", "Model"),
    "model": ("Model", "Model"),
    "cases": ("Cases", "Kasus"),
    "case": ("Case", "Kasus"),
    "settings": ("Settings", "Pengaturan"),
    "verdict": ("Verdict", "Putusan"),
    "recommendation": ("Recommendation", "Rekomendasi"),
    "why": ("Why", "Alasannya"),
    "top_models": ("Top models", "Model teratas"),
    "score": ("Score", "Skor"),
    "excluded": ("Excluded", "Dikecualikan"),
    "reasons": ("Reasons", "Alasan"),
    "what_would_change": ("What would change the answer", "Apa yang akan mengubah jawaban"),
    "profile": ("Profile", "Profil"),
    "verdict.open-source": ("Open source", "Open source"),
    "verdict.open-weights": ("Open weights", "Open weights (bobot terbuka)"),
    "verdict.closed": ("Closed source", "Closed source (tertutup)"),
    "verdict.hybrid": ("Hybrid: open and closed", "Hibrida: terbuka dan tertutup"),
    "verdict.unknown": ("Unknown", "Tidak diketahui"),
    "openness": ("Openness", "Keterbukaan"),
    "openness.open-source": ("open source", "open source"),
    "openness.open-weights": ("open weights", "open weights"),
    "openness.closed": ("closed", "tertutup"),
    "openness.unknown": ("unknown", "tidak diketahui"),
    "license": ("Licence", "Lisensi"),
    "measured": ("What was measured", "Hasil pengukuran"),
    "pass_rate": ("Pass rate", "Tingkat lulus"),
    "ci95": ("95% interval", "Interval 95%"),
    "passed": ("Passed", "Lulus"),
    # the pass rate is over the scored cases: the count beside it says so (issue 23, finding 9)
    "scored": ("scored", "dinilai"),
    "of_cases": ("cases in the task:", "kasus dalam tugas:"),
    "errors": ("Errors", "Galat"),
    "latency_p50": ("Latency p50", "Latensi p50"),
    "latency_p95": ("Latency p95", "Latensi p95"),
    "ttft_p50": ("Time to first token p50", "Waktu token pertama p50"),
    "tokens_per_s": ("Output tokens/s", "Token keluaran/detik"),
    "cost_run": ("Cost of the run", "Biaya proses"),
    "cost_1000": ("Cost per 1,000 cases", "Biaya per 1.000 kasus"),
    "seconds": ("s", "dtk"),
    "charts": ("Charts", "Grafik"),
    "chart.quality_cost": ("Quality vs cost", "Kualitas vs biaya"),
    "chart.quality_latency": ("Quality vs latency", "Kualitas vs latensi"),
    "chart.latency_dist": ("Latency distribution", "Sebaran latensi"),
    "chart.criteria": ("The ten criteria", "Sepuluh kriteria"),
    "chart.openness_dims": ("Openness dimensions", "Dimensi keterbukaan"),
    "chart.tco": ("Cost of ownership vs monthly volume", "Biaya kepemilikan vs volume bulanan"),
    "axis.pass_rate": ("Pass rate (with 95% interval)", "Tingkat lulus (interval 95%)"),
    "axis.cost_1000": ("API cost per 1,000 cases (USD)", "Biaya API per 1.000 kasus (USD)"),
    "axis.latency_p50": ("Median latency (s)", "Latensi median (dtk)"),
    "axis.latency": ("Latency per call (s)", "Latensi per panggilan (dtk)"),
    "axis.volume": ("Requests per month", "Permintaan per bulan"),
    "axis.monthly_cost": ("Monthly cost (USD)", "Biaya bulanan (USD)"),
    "break_even": ("Break-even", "Titik impas"),
    "your_volume": ("Your volume", "Volume Anda"),
    "tco_none": (
        "No cost-of-ownership figures: the decision module gave none for this run.",
        "Tidak ada angka biaya kepemilikan: modul keputusan tidak memberikannya untuk proses ini.",
    ),
    "monthly_cost": ("Monthly cost", "Biaya bulanan"),
    "mode": ("Runs as", "Dijalankan sebagai"),
    "mode.api": ("API", "API"),
    "mode.owned": ("own hardware", "perangkat sendiri"),
    "mode.rented": ("rented GPUs", "GPU sewaan"),
    "your_models": ("The models of this run in the ranking", "Model-model proses ini dalam peringkat"),
    "rank": ("Rank", "Peringkat"),
    "criteria_none": ("No criterion scores are known for these models.", "Tidak ada skor kriteria untuk model-model ini."),
    "dims_none": (
        "No openness dimensions are recorded for these models (only model families in the Open Source AI Index have them).",
        "Tidak ada dimensi keterbukaan untuk model-model ini (hanya keluarga model di Open Source AI Index yang memilikinya).",
    ),
    "dim.open": ("open", "terbuka"),
    "dim.partial": ("partial", "sebagian"),
    "dim.closed": ("closed", "tertutup"),
    "dim.unknown": ("unknown", "tidak diketahui"),
    "dimname.weights_downloadable": ("Weights downloadable", "Bobot dapat diunduh"),
    "dimname.license_open": ("Open licence", "Lisensi terbuka"),
    "dimname.code_open": ("Training code open", "Kode pelatihan terbuka"),
    "dimname.data_information": ("Training data information", "Informasi data pelatihan"),
    "all_dims": ("Every recorded dimension", "Semua dimensi yang tercatat"),
    "per_case": ("Answers per case", "Jawaban per kasus"),
    "input": ("Input", "Masukan"),
    "expected": ("Expected", "Diharapkan"),
    "scorer": ("Scorer", "Penilai"),
    "pass": ("pass", "lulus"),
    "fail": ("fail", "gagal"),
    "error": ("error", "galat"),
    "missing": ("not run", "belum dijalankan"),
    "evidence": ("Evidence", "Bukti"),
    "reason": ("Reason", "Alasan"),
    "sources": ("Sources", "Sumber"),
    "not_in_catalog": ("not in the catalog", "tidak ada di katalog"),
    "criteria_details": ("Scores, reasons and evidence", "Skor, alasan, dan bukti"),
    "generated": ("Generated by whichai", "Dibuat oleh whichai"),
    "filter_failed": ("Show only cases where models disagree", "Tampilkan hanya kasus yang hasilnya berbeda"),
    "local_cost_note": (
        "Local models have no API cost; their self-hosting cost is in the cost-of-ownership chart.",
        "Model lokal tidak memiliki biaya API; biaya hosting mandiri ada di grafik biaya kepemilikan.",
    ),
    "why_section": ("Why: weights, what would change, exclusions", "Alasannya: bobot, apa yang mengubah, pengecualian"),
    "sensitivity": ("How stable the ranking is", "Seberapa stabil peringkatnya"),
    "not_ranked": ("not among the candidates of this recommendation", "tidak termasuk kandidat rekomendasi ini"),
    "origin_help": ("where the figure comes from: measured, benchmark (published results), catalog, profile, estimate or unknown",
                    "asal angka: diukur, tolok ukur (hasil yang dipublikasikan), katalog, profil, perkiraan, atau tidak diketahui"),
    "tco_at": ("At your volume:", "Pada volume Anda:"),
    "requests_month": ("requests a month", "permintaan per bulan"),
    "tokens_in_out": ("input / output tokens per request", "token masukan / keluaran per permintaan"),
    "components": ("What it is made of", "Komponennya"),
    "component.api": ("API calls", "Panggilan API"),
    "component.amortisation": ("hardware (amortised)", "perangkat keras (diamortisasi)"),
    "component.power": ("electricity", "listrik"),
    "component.gpu_rent": ("GPU rent", "sewa GPU"),
    "component.operations": ("operations (people)", "operasional (tenaga)"),
    "chart.load": ("Throughput against latency under load", "Throughput terhadap latensi di bawah beban"),
    "load_note": ("Stored `whichai load` sweeps: each point is one concurrency (its label); higher and further left is better; "
                  "the diamond marks saturation.",
                  "Sapuan `whichai load` yang tersimpan: tiap titik satu tingkat konkurensi (labelnya); makin tinggi dan makin kiri makin baik; "
                  "belah ketupat menandai titik jenuh."),
    "server": ("Server", "Server"),
    "load_max": ("Max output tokens/s", "Maks. token keluaran/detik"),
    "load_saturation": ("Saturation", "Titik jenuh"),
    "load_slo": ("At the latency target", "Pada target latensi"),
    "load_slo_unmet": ("no concurrency meets it", "tidak ada konkurensi yang memenuhinya"),
    "load_concurrency": ("Concurrency", "Konkurensi"),
    # dashboard
    "dash.runs": ("Runs", "Daftar proses"),
    "dash.catalog": ("Catalog", "Katalog"),
    "dash.profile": ("Profile and recommendation", "Profil dan rekomendasi"),
    "dash.no_runs": ("No runs yet. Run `whichai run` first.", "Belum ada proses. Jalankan `whichai run` terlebih dahulu."),
    "dash.open_report": ("Download the HTML report", "Unduh laporan HTML"),
    "dash.search": ("Search", "Cari"),
    "dash.all": ("all", "semua"),
    "dash.apply": ("Recommend", "Rekomendasikan"),
    "dash.base_profile": ("Start from", "Mulai dari"),
    "dash.use_run": ("Measurements from run", "Pengukuran dari proses"),
    "dash.none": ("none", "tidak ada"),
    "dash.results": ("results", "hasil"),
    "dash.price": ("Price (USD / M tokens, in/out)", "Harga (USD / juta token, masuk/keluar)"),
    "dash.params": ("Parameters (B)", "Parameter (M)"),
    "dash.weights": ("Weights on the criteria", "Bobot kriteria"),
    "dash.catalog_missing": ("The catalog is not available.", "Katalog tidak tersedia."),
    "dash.shown": ("shown", "ditampilkan"),
    "dash.save_as": ("Save as", "Simpan sebagai"),
    "dash.save": ("Save profile", "Simpan profil"),
    "dash.saved": ("Saved as a YAML profile", "Disimpan sebagai profil YAML"),
    "dash.yaml": ("Download YAML", "Unduh YAML"),
    "form.custom": ("as below", "seperti di bawah"),
    "form.none": ("none", "tidak ada"),
    "form.true": ("yes", "ya"),
    "form.false": ("no", "tidak"),
    "form.": ("(not set)", "(tidak diisi)"),
    "form.this-machine": ("this machine", "mesin ini"),
}


def t(key: str, lang: str = "en") -> str:
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "id" else pair[0]


def check_lang(lang: str) -> str:
    from whichai.errors import InputError

    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r}. Fix: pass --lang en or --lang id.")
    return lang
