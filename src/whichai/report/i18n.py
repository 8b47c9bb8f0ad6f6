"""Labels of the report and the dashboard, in English and Bahasa Indonesia.

Criterion names come from :mod:`whichai.criteria`; everything else a person reads in the report is
here, keyed by a short id. ``t(key, lang)`` falls back to English, then to the key itself.
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
    "no_recommendation": (
        "No recommendation: the decision module is not available for this run.",
        "Tidak ada rekomendasi: modul keputusan tidak tersedia untuk proses ini.",
    ),
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
    "no_break_even": ("No break-even in this range", "Tidak ada titik impas dalam rentang ini"),
    "tco_none": (
        "No cost-of-ownership figures: the decision module gave none for this run.",
        "Tidak ada angka biaya kepemilikan: modul keputusan tidak memberikannya untuk proses ini.",
    ),
    "monthly_cost": ("Monthly cost", "Biaya bulanan"),
    "mode": ("Runs as", "Dijalankan sebagai"),
    "mode.api": ("API", "API"),
    "mode.owned": ("own hardware", "perangkat sendiri"),
    "mode.rented": ("rented GPUs", "GPU sewaan"),
    "mode.None": ("self-hosted", "hosting mandiri"),
    "be.none": ("No break-even: no model here can be both bought as an API and self-hosted.",
                "Tidak ada titik impas: tidak ada model yang bisa dibeli sebagai API sekaligus di-hosting sendiri."),
    "be.above": ("Break-even: self-hosting {hosted} ({mode}) costs less than the API of {api} above {at} requests a month (your volume: {volume}).",
                 "Titik impas: hosting mandiri {hosted} ({mode}) lebih murah daripada API {api} di atas {at} permintaan per bulan (volume Anda: {volume})."),
    "be.always": ("Self-hosting {hosted} ({mode}) costs less than the API of {api} at every volume.",
                  "Hosting mandiri {hosted} ({mode}) lebih murah daripada API {api} pada setiap volume."),
    "be.never": ("Self-hosting {hosted} ({mode}) never costs less than the API of {api} within what the hardware can serve.",
                 "Hosting mandiri {hosted} ({mode}) tidak pernah lebih murah daripada API {api} dalam kapasitas perangkatnya."),
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
    "origin.measured": ("measured on this run", "diukur pada proses ini"),
    "origin.catalog": ("from the catalog", "dari katalog"),
    "filter_failed": ("Show only cases where models disagree", "Tampilkan hanya kasus yang hasilnya berbeda"),
    "local_cost_note": (
        "Local models have no API cost; their self-hosting cost is in the cost-of-ownership chart.",
        "Model lokal tidak memiliki biaya API; biaya hosting mandiri ada di grafik biaya kepemilikan.",
    ),
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
    "dash.profile_missing": ("The decision module is not available.", "Modul keputusan tidak tersedia."),
    "dash.shown": ("shown", "ditampilkan"),
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
