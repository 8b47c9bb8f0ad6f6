"""Every text decide shows, in English and Bahasa Indonesia.

``t(key, lang, **params)`` formats one text; a missing Indonesian text falls back to English (a
test checks there are none). ``default_lang()`` reads the locale: LC_ALL, LC_MESSAGES or LANG
starting with ``id`` gives Indonesian.
"""

from __future__ import annotations

import os

from whichai.catalog.age import STALE_NOTE
from whichai.decide.reason_texts import MODEL_TEXTS

LANGS = ("en", "id")

TEXTS: dict[str, tuple[str, str]] = {
    # verdicts, modes, origins ---------------------------------------------------------------
    "verdict.open-source": ("open source", "open source"),
    "verdict.open-weights": ("open weights", "open weights (bobot terbuka)"),
    "verdict.closed": ("closed source", "closed source"),
    "verdict.hybrid": ("hybrid", "hibrida"),
    "verdict.none": ("no model meets your constraints", "tidak ada model yang memenuhi batasan Anda"),
    "openness.unknown": ("unknown openness", "keterbukaan tidak diketahui"),
    "mode.api": ("via API", "lewat API"),
    "mode.owned": ("self-hosted on your hardware", "di-host sendiri di perangkat keras Anda"),
    "mode.rented": ("self-hosted on rented GPUs", "di-host sendiri di GPU sewaan"),
    "mode_short.api": ("API", "API"),
    "mode_short.owned": ("own hardware", "perangkat sendiri"),
    "mode_short.rented": ("rented GPU", "GPU sewaan"),
    "origin.catalog": ("catalog", "katalog"),
    "origin.benchmark": ("benchmark", "tolok ukur"),
    "origin.measured": ("measured", "diukur"),
    "origin.profile": ("profile", "profil"),
    "origin.estimate": ("estimate", "perkiraan"),
    "origin.unknown": ("unknown", "tidak diketahui"),
    # exclusion reasons -------------------------------------------------------------------------
    "reason.api_only_data_stays": (
        "API-only (weights not downloadable), and your data may not leave your premises",
        "hanya lewat API (bobot tidak dapat diunduh), sedangkan data Anda tidak boleh keluar dari lokasi Anda",
    ),
    "reason.api_only_offline": (
        "API-only (weights not downloadable), and your {deployment} deployment cannot call an API",
        "hanya lewat API (bobot tidak dapat diunduh), sedangkan penerapan {deployment} tidak dapat memanggil API",
    ),
    "reason.api_only_no_zero_retention": (
        "API-only, and no zero-retention option is on record, which your data requires",
        "hanya lewat API, dan tidak tercatat opsi tanpa-penyimpanan (zero retention) yang dibutuhkan data Anda",
    ),
    "reason.api_offline": (
        "its API cannot be used from your {deployment} deployment",
        "API-nya tidak dapat dipakai dari penerapan {deployment}",
    ),
    "reason.api_data_stays": ("its API would take your data off your premises", "API-nya akan membawa data Anda keluar dari lokasi Anda"),
    "reason.no_zero_retention": ("its API has no zero-retention option on record", "API-nya tidak tercatat memiliki opsi tanpa-penyimpanan"),
    "reason.no_price": ("no API price on record", "harga API tidak tercatat"),
    "reason.not_available": ("neither downloadable weights nor an API on record", "tidak tercatat bobot yang dapat diunduh maupun API"),
    "reason.no_hardware": ("you have no hardware of your own to run it on", "Anda tidak punya perangkat keras sendiri untuk menjalankannya"),
    "reason.does_not_fit": (
        "needs about {need} GB of memory; your hardware offers {have} GB",
        "butuh sekitar {need} GB memori; perangkat keras Anda menyediakan {have} GB",
    ),
    "reason.size_unknown": (
        "parameter count unknown, so whether it fits cannot be checked",
        "jumlah parameter tidak diketahui, jadi kecocokan dengan perangkat keras tidak dapat diperiksa",
    ),
    "reason.too_many_gpus": ("needs {n} × {gpu} to hold it (more than 8)", "butuh {n} × {gpu} untuk memuatnya (lebih dari 8)"),
    "reason.rent_offline": ("renting GPUs is not possible in your {deployment} deployment", "menyewa GPU tidak mungkin pada penerapan {deployment}"),
    "reason.rent_data_stays": ("a rented GPU would take your data off your premises", "GPU sewaan akan membawa data Anda keluar dari lokasi Anda"),
    "reason.capacity": (
        "your hardware cannot serve {requests} requests a month: it needs {hours} h, and may run at most {limit} h a month "
        "(hardware.hours_per_month)",
        "perangkat keras Anda tidak sanggup melayani {requests} permintaan per bulan: butuh {hours} jam, padahal hanya boleh "
        "berjalan paling lama {limit} jam per bulan (hardware.hours_per_month)",
    ),
    "reason.licence_commercial": ("its licence ({license}) does not allow commercial use", "lisensinya ({license}) tidak mengizinkan penggunaan komersial"),
    "reason.licence_restricted": (
        "its licence ({license}) restricts use, and your profile does not accept use restrictions",
        "lisensinya ({license}) membatasi penggunaan, dan profil Anda tidak menerima pembatasan itu",
    ),
    "reason.below_quality": (
        "pass rate {rate} measured on your task is below your minimum {min}",
        "tingkat lulus {rate} yang diukur pada tugas Anda di bawah minimum {min}",
    ),
    "reason.openness_below": ("it is {openness}; you require at least {required}", "model ini {openness}; Anda mensyaratkan minimal {required}"),
    "reason.openness_unknown": ("its openness is unknown; you require at least {required}", "keterbukaannya tidak diketahui; Anda mensyaratkan minimal {required}"),
    "reason.over_budget": ("costs {cost}/month, over your budget of {budget}", "biayanya {cost}/bulan, melebihi anggaran Anda {budget}"),
    "reason.no_sla": ("no SLA is offered; you require one", "tidak ada SLA; Anda membutuhkannya"),
    "reason.sla_unknown": (
        "no SLA on record (unknown counts as not met); you require one",
        "SLA tidak tercatat (tidak diketahui dianggap tidak terpenuhi); Anda membutuhkannya",
    ),
    "reason.no_customisation": (
        "cannot be fine-tuned on your data (no downloadable weights, no fine-tuning API on record)",
        "tidak dapat di-fine-tune dengan data Anda (bobot tidak dapat diunduh, API fine-tuning tidak tercatat)",
    ),
    # notes -----------------------------------------------------------------------------------------
    "note.not_in_catalog": (
        "measured but not in the catalog: its catalog criteria are unknown (0.5)",
        "diukur tetapi tidak ada di katalog: kriteria katalognya tidak diketahui (0,5)",
    ),
    "note.quality_unmeasured": (
        "not measured on your task, so your minimum quality {min} is not checked",
        "belum diukur pada tugas Anda, jadi kualitas minimum {min} tidak diperiksa",
    ),
    "note.quality_uncertain": (
        "pass rate {rate} meets your minimum {min}, but over {cases} cases the 95% interval reaches down to {low}: measure more cases to be sure",
        "tingkat lulus {rate} memenuhi minimum {min}, tetapi atas {cases} kasus interval 95% turun sampai {low}: ukur lebih banyak kasus untuk memastikan",
    ),
    "note.measured_as": ("measured as {model}", "diukur sebagai {model}"),
    "note.serves": (
        "a deployment of {model} measured on its own (another measurement of the same weights is ranked separately)",
        "penerapan {model} yang diukur tersendiri (pengukuran lain atas bobot yang sama diperingkat terpisah)",
    ),
    "note.does_not_fit": ("does not fit your own hardware ({need} GB > {have} GB)", "tidak muat di perangkat keras Anda ({need} GB > {have} GB)"),
    "note.size_unknown": ("size unknown: not checked against your hardware", "ukuran tidak diketahui: tidak diperiksa terhadap perangkat keras Anda"),
    # why a criterion scored what it did ------------------------------------------------------------
    "why.accessibility": ("what you can get at", "yang dapat Anda akses"),
    "why.customization_weights": ("weights can be fine-tuned", "bobot dapat di-fine-tune"),
    "why.customization_api": ("fine-tuning through the vendor's API", "fine-tuning lewat API vendor"),
    "why.customization_none": ("no fine-tuning", "tidak ada fine-tuning"),
    "why.customization_tuned": (
        "tuning ({tuned}) raised the pass rate on {task} from {before} to {after} on {cases} held-out cases (McNemar p = {p})",
        "tuning ({tuned}) menaikkan tingkat lulus pada {task} dari {before} menjadi {after} pada {cases} kasus uji (McNemar p = {p})",
    ),
    "why.customization_tuned_flat": (
        "tuning ({tuned}) did not measurably raise the pass rate on {task}: {before} to {after} on {cases} held-out cases (McNemar p = {p})",
        "tuning ({tuned}) tidak menaikkan tingkat lulus pada {task} secara terukur: {before} menjadi {after} pada {cases} kasus uji (McNemar p = {p})",
    ),
    "why.openness": ("from its openness class", "dari kelas keterbukaannya"),
    "why.deprecation": ("a deprecation is announced", "penghentian sudah diumumkan"),
    "why.support_sla": ("vendor SLA", "SLA dari vendor"),
    "why.support_vendor": ("vendor support", "dukungan vendor"),
    "why.support_community": ("community support only", "hanya dukungan komunitas"),
    "why.prior_size": ("not measured: a prior from its size", "belum diukur: perkiraan awal dari ukurannya"),
    "why.prior_price": ("not measured: a prior from its price tier", "belum diukur: perkiraan awal dari tingkat harganya"),
    "why.prior_unknown": ("not measured; size and price unknown", "belum diukur; ukuran dan harga tidak diketahui"),
    "why.measured": (
        "measured on your task: {passed} of {n} cases passed, combined with the prior {prior} counted as {k} cases: {score}",
        "diukur pada tugas Anda: {passed} dari {n} kasus lulus, digabung dengan perkiraan awal {prior} yang dihitung sebagai {k} kasus: {score}",
    ),
    "why.security_owned": ("runs on your hardware: data stays on your premises", "berjalan di perangkat keras Anda: data tetap di lokasi Anda"),
    "why.security_owned_not_api": (
        "scored for its weights run on your hardware, where data stays on your premises; its API ({api}) would send the prompts to that host",
        "dinilai untuk bobotnya yang dijalankan di perangkat keras Anda, sehingga data tetap di lokasi Anda; API-nya ({api}) akan mengirim prompt ke penyedia itu",
    ),
    "why.security_rented": ("your own rented server: data goes to the cloud host, not a model vendor", "server sewaan Anda sendiri: data ke penyedia cloud, bukan ke vendor model"),
    "why.security_host": ("the data terms of the API host, {host} (retention, training, certifications); the prompts leave your premises",
                          "ketentuan data penyedia API, {host} (retensi, pelatihan, sertifikasi); prompt keluar dari lingkungan Anda"),
    "why.security_third_party": ("a third-party host of open weights: its data terms are not in the catalog", "penyedia pihak ketiga untuk bobot terbuka: ketentuan datanya tidak ada di katalog"),
    "why.security_api": ("vendor's data handling (retention, training, certifications); the prompts leave your premises",
                         "penanganan data oleh vendor (retensi, pelatihan, sertifikasi); prompt keluar dari lingkungan Anda"),
    "why.ease_self": ("you run it yourself; team skill: {skill}", "Anda menjalankannya sendiri; keahlian tim: {skill}"),
    "why.ease_api": ("managed API: nothing to operate", "API terkelola: tidak ada yang perlu dioperasikan"),
    "why.cost": ("monthly cost at your volume", "biaya bulanan pada volume Anda"),
    "why.unknown": ("unknown: counted as neutral 0.5", "tidak diketahui: dihitung netral 0,5"),
    # weights ---------------------------------------------------------------------------------------------
    "weight.default": ("default", "bawaan"),
    "weight.given": ("set in your profile", "ditetapkan di profil Anda"),
    "weight.collaboration_default": ("default (rarely decisive)", "bawaan (jarang menentukan)"),
    "weight.performance_default": ("default (quality matters to everyone)", "bawaan (kualitas penting bagi semua)"),
    "weight.performance_bar": ("you set a quality or latency target", "Anda menetapkan target kualitas atau latensi"),
    "weight.security_public": ("your data is public", "data Anda publik"),
    "weight.security_internal": ("your data is internal", "data Anda internal"),
    "weight.security_confidential": ("your data is confidential", "data Anda rahasia"),
    "weight.security_regulated": ("your data is regulated", "data Anda diatur regulasi"),
    "weight.support_none": ("you need no vendor support", "Anda tidak butuh dukungan vendor"),
    "weight.support_helpful": ("vendor support would help", "dukungan vendor akan membantu"),
    "weight.support_sla-required": ("you require an SLA", "Anda membutuhkan SLA"),
    "weight.ease_none": ("your team has no ML operations skill", "tim Anda tidak punya keahlian operasi ML"),
    "weight.ease_some": ("your team has some ML operations skill", "tim Anda punya sedikit keahlian operasi ML"),
    "weight.ease_strong": ("your team runs models well", "tim Anda mahir menjalankan model"),
    "weight.custom_none": ("you do not need to fine-tune", "Anda tidak perlu fine-tune"),
    "weight.custom_nice": ("fine-tuning would be nice", "fine-tuning akan bermanfaat"),
    "weight.custom_must": ("you must fine-tune on your data", "Anda wajib fine-tune dengan data sendiri"),
    "weight.transparency_closed": ("no openness required", "tidak ada syarat keterbukaan"),
    "weight.transparency_open-weights": ("you require open weights", "Anda mensyaratkan bobot terbuka"),
    "weight.transparency_open-source": ("you must audit the training data and code", "Anda wajib mengaudit data dan kode pelatihan"),
    "weight.cost_budget": ("you set a budget", "Anda menetapkan anggaran"),
    "weight.cost_volume": ("your volume is high (over a billion tokens a month)", "volume Anda tinggi (lebih dari satu miliar token per bulan)"),
    # explanation ----------------------------------------------------------------------------------------
    "ex.verdict": ("Verdict: {verdict}.", "Putusan: {verdict}."),
    "ex.top": (
        "Top model: {name} ({model}), weighted score {score} of 1, {mode}.",
        "Model teratas: {name} ({model}), skor tertimbang {score} dari 1, {mode}.",
    ),
    "ex.next": ("Next: {items}.", "Berikutnya: {items}."),
    "ex.none": (
        "None of the {n} models meets your hard constraints; the reasons are listed under 'excluded'.",
        "Tak satu pun dari {n} model memenuhi batasan wajib Anda; alasannya tercantum di bagian 'dikecualikan'.",
    ),
    "ex.why": (
        "Why: against the best {alt_verdict} model, {alt_name} (score {alt_score}), the criteria that decided it:",
        "Mengapa: dibandingkan model {alt_verdict} terbaik, {alt_name} (skor {alt_score}), kriteria yang menentukan:",
    ),
    "ex.why_runner": (
        "Why: no {other} model meets your constraints; against the runner-up, {alt_name} (score {alt_score}), the criteria that decided it:",
        "Mengapa: tidak ada model {other} yang memenuhi batasan Anda; dibandingkan peringkat kedua, {alt_name} (skor {alt_score}), kriteria yang menentukan:",
    ),
    "ex.why_alone": ("Why: it is the only model that meets your constraints.", "Mengapa: hanya model ini yang memenuhi batasan Anda."),
    "ex.criterion": (
        "- {label} (weight {weight}): {a} vs {b}. {a_name}: {a_ev}. {b_name}: {b_ev}.",
        "- {label} (bobot {weight}): {a} vs {b}. {a_name}: {a_ev}. {b_name}: {b_ev}.",
    ),
    "ex.against": ("Where {alt_name} was stronger: {items}.", "Keunggulan {alt_name}: {items}."),
    "ex.cost_head": (
        "Monthly cost at {requests} requests ({tin} input + {tout} output tokens each) [profile]:",
        "Biaya bulanan pada {requests} permintaan ({tin} token masukan + {tout} token keluaran per permintaan) [profil]:",
    ),
    "ex.cost_item": ("- {name}: {usd}/month, {mode} ({parts}).", "- {name}: {usd}/bulan, {mode} ({parts})."),
    "ex.break_even_above": (
        "Break-even: self-hosting {self_name} costs less than {api_name}'s API above {requests} requests a month [estimate]; you are at {current}.",
        "Titik impas: meng-host sendiri {self_name} lebih murah daripada API {api_name} di atas {requests} permintaan per bulan [perkiraan]; Anda di {current}.",
    ),
    "ex.break_even_always": (
        "Break-even: self-hosting {self_name} costs less than {api_name}'s API at any volume [estimate].",
        "Titik impas: meng-host sendiri {self_name} lebih murah daripada API {api_name} pada volume berapa pun [perkiraan].",
    ),
    "ex.break_even_never": (
        "Break-even: self-hosting {self_name} never costs less than {api_name}'s API within its capacity [estimate].",
        "Titik impas: meng-host sendiri {self_name} tidak pernah lebih murah daripada API {api_name} dalam kapasitasnya [perkiraan].",
    ),
    "ex.excluded": ("Excluded: {n} of {total} models. Most common reasons:", "Dikecualikan: {n} dari {total} model. Alasan paling umum:"),
    "ex.excluded_item": ("- {count} × {reason}", "- {count} × {reason}"),
    "ex.excluded_example": ("- {count} × like {name}: {reason}", "- {count} × seperti {name}: {reason}"),
    "ex.wwc_head": ("What would change the verdict:", "Yang akan mengubah putusan:"),
    "ex.wwc_head_winner": (
        "No single change tried flips the verdict; these change the top model:",
        "Tidak ada satu perubahan yang diuji yang membalik putusan; perubahan berikut mengganti model teratas:",
    ),
    "ex.wwc_head_none": (
        "No single change tried gives another verdict or top model; these would leave no model at all:",
        "Tidak ada satu perubahan yang diuji yang memberi putusan atau model teratas lain; perubahan berikut tidak menyisakan model sama sekali:",
    ),
    "ex.wwc_none": ("No single change tried alters the answer.", "Tidak ada satu perubahan yang diuji yang mengubah jawaban."),
    "ex.hybrid": (
        "Hybrid plan: the {share} of requests with sensitive data go to {sens_name} ({sens_mode}); the rest to {rest_name} ({rest_mode}). Together {usd}/month.",
        "Rencana hibrida: {share} permintaan berdata sensitif ke {sens_name} ({sens_mode}); sisanya ke {rest_name} ({rest_mode}). Total {usd}/bulan.",
    ),
    "ex.no_measurements": (
        "Note: nothing was measured on your task yet; performance is a prior from size or price [estimate], not a measurement. "
        "Run `whichai run` and pass --run to use measurements.",
        "Catatan: belum ada pengukuran pada tugas Anda; kinerja adalah perkiraan awal dari ukuran atau harga [perkiraan], bukan hasil ukur. "
        "Jalankan `whichai run` lalu berikan --run untuk memakai hasil ukur.",
    ),
    "ex.unmeasured": (
        "Note: {n} of the ranked models were not measured on your task; their performance is a prior from size or price [estimate].",
        "Catatan: {n} model di peringkat belum diukur pada tugas Anda; kinerjanya perkiraan awal dari ukuran atau harga [perkiraan].",
    ),
    "ex.defaulted": (
        "Decided by defaults nobody set: the cost {mode} rests on {fields}; set them in your profile (see `whichai profile show`).",
        "Diputuskan oleh nilai bawaan yang tidak diatur siapa pun: biaya {mode} bergantung pada {fields}; atur di profil Anda (lihat `whichai profile show`).",
    ),
    "ex.top_unknown": (
        "Note: {model} has unknown openness; the verdict follows the best model whose openness is known.",
        "Catatan: keterbukaan {model} tidak diketahui; putusan mengikuti model terbaik yang keterbukaannya diketahui.",
    ),
    "ex.verdict_provisional": ("Verdict (provisional): {verdict}.", "Putusan (sementara): {verdict}."),
    "ex.why_none": (
        "Why: against the best {alt_verdict} model, {alt_name} (score {alt_score}), no single criterion stands out; the lead is the sum of small differences.",
        "Mengapa: dibandingkan model {alt_verdict} terbaik, {alt_name} (skor {alt_score}), tidak ada satu kriteria yang menonjol; keunggulannya jumlah dari selisih kecil.",
    ),
    "ex.why_runner_none": (
        "Why: no {other} model meets your constraints; against the runner-up, {alt_name} (score {alt_score}), no single criterion stands out.",
        "Mengapa: tidak ada model {other} yang memenuhi batasan Anda; dibandingkan peringkat kedua, {alt_name} (skor {alt_score}), tidak ada satu kriteria yang menonjol.",
    ),
    "ex.other_closed": ("closed source", "closed source"),
    "ex.other_open": ("open", "terbuka"),
    "ex.lifecycle_deprecated": (
        "Lifecycle: {name} is deprecated{shutdown} [catalog]; plan for a successor.",
        "Siklus hidup: {name} sudah usang (deprecated){shutdown} [katalog]; siapkan penggantinya.",
    ),
    "ex.lifecycle_retired": (
        "Lifecycle: {name} is retired{shutdown} [catalog]; it can no longer be called.",
        "Siklus hidup: {name} sudah dihentikan{shutdown} [katalog]; tidak dapat dipanggil lagi.",
    ),
    "ex.shutdown": ("; shutdown on {date}", "; dimatikan pada {date}"),
    "ex.shutdown_unknown": ("; no shutdown date announced, so it may stop at short notice", "; belum ada tanggal penghentian, jadi dapat berhenti sewaktu-waktu"),
    "ex.run_partial": (
        "Run {run} is partial ({status}): {scored} of {calls} case × model results scored ({answered} answered, {errors} failed); "
        "the measurements use the scored cases only. Run the same command again to finish it.",
        "Run {run} belum lengkap ({status}): {scored} dari {calls} hasil kasus × model dinilai ({answered} terjawab, {errors} gagal); "
        "hasil ukur hanya memakai kasus yang dinilai. Jalankan perintah yang sama lagi untuk menyelesaikannya.",
    ),
    "ex.run_finished": ("finished, with calls that failed or were not scored", "selesai, dengan panggilan yang gagal atau tidak dinilai"),
    "ex.run_complete": (
        "Run {run}: {answered} of {calls} calls answered on {cases} cases.",
        "Run {run}: {answered} dari {calls} panggilan terjawab pada {cases} kasus.",
    ),
    "ex.catalog_age": (
        "Catalog facts as of {oldest} to {newest} ({days} days old).",
        "Fakta katalog per {oldest} sampai {newest} (berumur {days} hari).",
    ),
    "ex.catalog_stale": (STALE_NOTE["en"], STALE_NOTE["id"]),  # over catalog.age.STALE_DAYS days: `whichai catalog update`
    # evidence (issue 11) -----------------------------------------------------------------------------------
    "ev.measured": (
        "Measured: the top model ({top}) and the best model of the other side ({other}) were both measured on your task.",
        "Terukur: model teratas ({top}) dan model terbaik dari sisi lain ({other}) sama-sama diukur pada tugas Anda.",
    ),
    "ev.measured_alone": (
        "Measured: the top model ({top}) was measured on your task, and no model of the other side meets your constraints.",
        "Terukur: model teratas ({top}) diukur pada tugas Anda, dan tidak ada model dari sisi lain yang memenuhi batasan Anda.",
    ),
    "ev.partial": (
        "Provisional: {measured} of {ranked} ranked models were measured on your task; not yet measured: {missing}.",
        "Sementara: {measured} dari {ranked} model di peringkat diukur pada tugas Anda; belum diukur: {missing}.",
    ),
    "ev.prior": (
        "Provisional: no model in the ranking was measured on your task; the verdict rests on catalog facts and priors from size or price.",
        "Sementara: belum ada model di peringkat yang diukur pada tugas Anda; putusan bertumpu pada fakta katalog dan perkiraan awal dari ukuran atau harga.",
    ),
    "ev.none": ("No model meets your constraints, so there is nothing to measure.", "Tidak ada model yang memenuhi batasan Anda, jadi tidak ada yang perlu diukur."),
    "ev.missing_top": ("the top model ({model})", "model teratas ({model})"),
    "ev.missing_other": ("the best model of the other side ({model})", "model terbaik dari sisi lain ({model})"),
    "ev.and": (" and ", " dan "),
    "ev.next": ("Measure next: {models} ({how}).", "Ukur berikutnya: {models} ({how})."),
    "ev.first": ("first {steps}, then {command}", "jalankan dulu {steps}, lalu {command}"),
    "ev.no_way": (
        "no way to run {models} from here is known: the catalog names no API, GGUF file or weights you may use",
        "belum diketahui cara menjalankan {models} dari sini: katalog tidak menyebut API, berkas GGUF, atau bobot yang boleh Anda pakai",
    ),
    "ev.your_profile": ("YOUR_PROFILE.yaml", "PROFIL_ANDA.yaml"),
    "why.catalog_reason": ("{reason}", "menurut katalog: {reason}"),
    "ui.provisional": ("provisional", "sementara"),
    "ui.measure_next": ("Measure next", "Ukur berikutnya"),
    "ui.evidence": ("Evidence", "Bukti"),
    "ui.origin": ("Origin", "Asal"),
    # what would change ------------------------------------------------------------------------------------
    "wwc.weight_up": (
        "If {label} mattered more (weight {from_} → {to}), the verdict would be {verdict} ({winner}).",
        "Jika {label} lebih penting (bobot {from_} → {to}), putusannya menjadi {verdict} ({winner}).",
    ),
    "wwc.weight_down": (
        "If {label} mattered less (weight {from_} → {to}), the verdict would be {verdict} ({winner}).",
        "Jika {label} kurang penting (bobot {from_} → {to}), putusannya menjadi {verdict} ({winner}).",
    ),
    "wwc.volume": (
        "If your volume were {factor} ({requests} requests a month), the verdict would be {verdict} ({winner}).",
        "Jika volume Anda {factor} ({requests} permintaan per bulan), putusannya menjadi {verdict} ({winner}).",
    ),
    "wwc.api_prices": (
        "If API prices were {factor}, the verdict would be {verdict} ({winner}).",
        "Jika harga API {factor}, putusannya menjadi {verdict} ({winner}).",
    ),
    "wwc.gpu_price": (
        "If GPU rent were {factor}, the verdict would be {verdict} ({winner}).",
        "Jika sewa GPU {factor}, putusannya menjadi {verdict} ({winner}).",
    ),
    "wwc.times_up": ("{f}× higher", "{f}× lebih tinggi"),
    "wwc.times_down": ("{f}× lower", "{f}× lebih rendah"),
    "wwc.profile": ("If {change}, the verdict would be {verdict} ({winner}).", "Jika {change}, putusannya menjadi {verdict} ({winner})."),
    "wwc.winner_weight_up": ("If {label} mattered more (weight {from_} → {to}), {winner} would rank first.", "Jika {label} lebih penting (bobot {from_} → {to}), {winner} menjadi peringkat pertama."),
    "wwc.winner_weight_down": ("If {label} mattered less (weight {from_} → {to}), {winner} would rank first.", "Jika {label} kurang penting (bobot {from_} → {to}), {winner} menjadi peringkat pertama."),
    "wwc.winner_volume": ("If your volume were {factor}, {winner} would rank first.", "Jika volume Anda {factor}, {winner} menjadi peringkat pertama."),
    "wwc.winner_api_prices": ("If API prices were {factor}, {winner} would rank first.", "Jika harga API {factor}, {winner} menjadi peringkat pertama."),
    "wwc.winner_gpu_price": ("If GPU rent were {factor}, {winner} would rank first.", "Jika sewa GPU {factor}, {winner} menjadi peringkat pertama."),
    "wwc.winner_profile": ("If {change}, {winner} would rank first.", "Jika {change}, {winner} menjadi peringkat pertama."),
    "wwc.nothing_left": ("no model would remain", "tidak ada model yang tersisa"),
    "change.data_anywhere": ("your data could go to any vendor", "data Anda boleh dikirim ke vendor mana pun"),
    "change.data_zero_retention": ("your data could go to a vendor with zero retention", "data Anda boleh dikirim ke vendor tanpa penyimpanan data"),
    "change.deployment_cloud": ("you could use the cloud", "Anda boleh memakai cloud"),
    "change.team_strong": ("your team could run models well", "tim Anda mahir menjalankan model"),
    "change.team_none": ("you had no one to run models", "tidak ada yang dapat menjalankan model"),
    "change.no_sla": ("you did not need an SLA", "Anda tidak membutuhkan SLA"),
    "change.sla_required": ("you required an SLA", "Anda membutuhkan SLA"),
    "change.no_min_openness": ("openness were not required", "keterbukaan tidak disyaratkan"),
    "change.min_open_source": ("you had to audit the training data (open source required)", "Anda wajib mengaudit data pelatihan (wajib open source)"),
    "change.no_budget": ("there were no budget limit", "tidak ada batas anggaran"),
    "change.customise_must": ("you had to fine-tune on your own data", "Anda wajib fine-tune dengan data sendiri"),
    "change.customise_relaxed": ("you did not have to fine-tune", "Anda tidak wajib fine-tune"),
    "change.data_stays": ("your data had to stay on your premises", "data Anda wajib tetap di lokasi Anda"),
    # cost components and exclusion groups ------------------------------------------------------------
    "cost.api": ("API", "API"),
    "cost.amortisation": ("hardware amortised", "amortisasi perangkat keras"),
    "cost.power": ("power", "listrik"),
    "cost.gpu_rent": ("GPU rent", "sewa GPU"),
    "cost.operations": ("operations", "operasional"),
    "group.api_only_data_stays": ("API-only while your data must stay on your premises", "hanya lewat API padahal data Anda wajib tetap di lokasi"),
    "group.api_only_offline": ("API-only while your deployment cannot call an API", "hanya lewat API padahal penerapan Anda tidak dapat memanggil API"),
    "group.api_only_no_zero_retention": ("API-only without a zero-retention option on record", "hanya lewat API tanpa opsi tanpa-penyimpanan yang tercatat"),
    "group.api_offline": ("API not usable from your deployment", "API tidak dapat dipakai dari penerapan Anda"),
    "group.api_data_stays": ("API would take data off your premises", "API akan membawa data keluar dari lokasi Anda"),
    "group.no_zero_retention": ("no zero-retention option on record", "tidak tercatat opsi tanpa-penyimpanan"),
    "group.no_price": ("no API price on record", "harga API tidak tercatat"),
    "group.not_available": ("neither weights nor an API on record", "tidak tercatat bobot maupun API"),
    "group.no_hardware": ("no hardware of your own to run it", "tidak ada perangkat keras sendiri untuk menjalankannya"),
    "group.does_not_fit": ("does not fit your hardware", "tidak muat di perangkat keras Anda"),
    "group.size_unknown": ("size unknown, fit not checkable", "ukuran tidak diketahui, kecocokan tidak dapat diperiksa"),
    "group.too_many_gpus": ("needs more than 8 rented GPUs", "butuh lebih dari 8 GPU sewaan"),
    "group.rent_offline": ("renting GPUs not possible in your deployment", "menyewa GPU tidak mungkin pada penerapan Anda"),
    "group.rent_data_stays": ("a rented GPU would take data off your premises", "GPU sewaan akan membawa data keluar dari lokasi Anda"),
    "group.capacity": ("your hardware cannot serve your volume", "perangkat keras Anda tidak sanggup melayani volume Anda"),
    "group.licence_commercial": ("licence forbids commercial use", "lisensi melarang penggunaan komersial"),
    "group.licence_restricted": ("licence restricts use", "lisensi membatasi penggunaan"),
    "group.below_quality": ("below your quality bar measured on your task", "di bawah batas kualitas yang diukur pada tugas Anda"),
    "group.openness_below": ("openness below what you require", "keterbukaan di bawah syarat Anda"),
    "group.openness_unknown": ("openness unknown", "keterbukaan tidak diketahui"),
    "group.over_budget": ("over your budget", "melebihi anggaran Anda"),
    "group.no_sla": ("no SLA offered", "tidak ada SLA"),
    "group.sla_unknown": ("no SLA on record", "SLA tidak tercatat"),
    "group.retired": ("retired: can no longer be called", "sudah dihentikan: tidak dapat dipanggil lagi"),
    "group.offers_retired": (
        "every API offer retired and no downloadable weights",
        "semua penawaran API sudah dihentikan dan bobot tidak dapat diunduh",
    ),
    "group.no_customisation": ("cannot be fine-tuned on your data", "tidak dapat di-fine-tune dengan data Anda"),
    # sensitivity lines -----------------------------------------------------------------------------------
    "sens.weight": (
        "{label} (weight {w}): {winner} stays first for weights from {lo} to {hi}.",
        "{label} (bobot {w}): {winner} tetap teratas untuk bobot dari {lo} sampai {hi}.",
    ),
    "sens.param": (
        "{param}: {winner} stays first from {lo} to {hi} the current value.",
        "{param}: {winner} tetap teratas dari {lo} sampai {hi} nilai sekarang.",
    ),
    "sens.param.volume": ("Volume", "Volume"),
    "sens.param.api_prices": ("API prices", "Harga API"),
    "sens.param.gpu_price": ("GPU rent", "Sewa GPU"),
    "sens.times": ("×{f}", "×{f}"),
    "sens.any_lower": ("any lower value (tried ÷1024)", "nilai lebih rendah mana pun (diuji ÷1024)"),
    "sens.any_higher": ("any higher value (tried ×1024)", "nilai lebih tinggi mana pun (diuji ×1024)"),
    # terminal rendering ---------------------------------------------------------------------------------
    "ui.title": ("Recommendation for profile '{profile}'", "Rekomendasi untuk profil '{profile}'"),
    "ui.rank": ("#", "#"),
    "ui.model": ("Model", "Model"),
    "ui.openness": ("Openness", "Keterbukaan"),
    "ui.score": ("Score", "Skor"),
    "ui.mode": ("Deployment", "Penerapan"),
    "ui.monthly": ("USD/month", "USD/bulan"),
    "ui.measured": ("Measured", "Diukur"),
    "ui.ranking": ("Ranking (top {n} of {total} eligible)", "Peringkat ({n} teratas dari {total} yang memenuhi syarat)"),
    "ui.weights": ("Weights", "Bobot"),
    "ui.criterion": ("Criterion", "Kriteria"),
    "ui.weight": ("Weight", "Bobot"),
    "ui.why_weight": ("Why", "Alasan"),
    "ui.excluded": ("Excluded: {n} models", "Dikecualikan: {n} model"),
    "ui.explanation": ("Explanation", "Penjelasan"),
    "ui.yes": ("yes", "ya"),
    "ui.no": ("no", "tidak"),
    # questionnaire ----------------------------------------------------------------------------------------
    "q.intro": (
        "A few questions about your needs and resources. Press Enter to accept the default in brackets.",
        "Beberapa pertanyaan tentang kebutuhan dan sumber daya Anda. Tekan Enter untuk menerima nilai bawaan dalam kurung.",
    ),
    "q.name": ("Profile name", "Nama profil"),
    "q.use_case": ("What will the model do (use case)?", "Untuk apa model dipakai (kasus penggunaan)?"),
    "q.requests": ("Requests per month", "Jumlah permintaan per bulan"),
    "q.tokens_in": ("Input tokens per request (about 0.75 words per token)", "Token masukan per permintaan (sekitar 0,75 kata per token)"),
    "q.tokens_out": ("Output tokens per request", "Token keluaran per permintaan"),
    "q.budget": ("Monthly budget in USD (0 = none)", "Anggaran bulanan dalam USD (0 = tanpa batas)"),
    "q.sensitivity": ("How sensitive is the data? public / internal / confidential / regulated", "Seberapa sensitif datanya? public / internal / confidential / regulated"),
    "q.data_may_go": (
        "Where may the data go? nowhere (stays on premises) / zero-retention-vendor / anywhere",
        "Ke mana data boleh dikirim? nowhere (tetap di lokasi) / zero-retention-vendor / anywhere",
    ),
    "q.sensitive_share": (
        "Share of requests that carry that sensitive data, 0 to 1 (1 = all)",
        "Porsi permintaan yang membawa data sensitif itu, 0 sampai 1 (1 = semua)",
    ),
    "q.deployment": ("Where must the model run? cloud / on-premises / air-gapped / edge", "Di mana model harus berjalan? cloud / on-premises / air-gapped / edge"),
    "q.ram": ("RAM of your own machine in GB (0 = no machine of your own)", "RAM mesin Anda sendiri dalam GB (0 = tidak punya mesin sendiri)"),
    "q.gpu_memory": ("GPU memory of that machine in GB (0 = no GPU)", "Memori GPU mesin itu dalam GB (0 = tanpa GPU)"),
    "q.gpu_name": ("GPU model (e.g. RTX 4090, A100, L4)", "Model GPU (mis. RTX 4090, A100, L4)"),
    "q.rent_price": ("Price per hour of a GPU you could rent, USD (0 = cannot rent)", "Harga sewa GPU per jam, USD (0 = tidak bisa menyewa)"),
    "q.skill": ("Your team's skill at running models: none / some / strong", "Keahlian tim Anda menjalankan model: none / some / strong"),
    "q.support": ("Vendor support: none / helpful / sla-required", "Dukungan vendor: none / helpful / sla-required"),
    "q.customise": ("Fine-tune on your own data: none / nice / must", "Fine-tune dengan data sendiri: none / nice / must"),
    "q.openness": (
        "Minimum openness (audit, research, regulation): closed (no requirement) / open-weights / open-source",
        "Keterbukaan minimum (audit, riset, regulasi): closed (tanpa syarat) / open-weights / open-source",
    ),
    "q.languages": ("Languages, comma-separated ISO codes (e.g. en,id)", "Bahasa, kode ISO dipisah koma (mis. en,id)"),
    "q.latency": ("Latency target in seconds (0 = none)", "Target latensi dalam detik (0 = tidak ada)"),
    "q.quality": ("Minimum pass rate on your task, 0 to 1 (0 = none)", "Tingkat lulus minimum pada tugas Anda, 0 sampai 1 (0 = tidak ada)"),
    "q.invalid": ("Not valid: {problem}. Try again.", "Tidak valid: {problem}. Coba lagi."),
    "q.choose": ("choose one of: {choices}", "pilih salah satu: {choices}"),
    "q.number": ("enter a number", "masukkan angka"),
    "q.saved": ("Profile written to {path}. Use it: whichai recommend --profile {path}", "Profil ditulis ke {path}. Pakai: whichai recommend --profile {path}"),
    "q.number_range": ("enter a number from {low} to {high}", "masukkan angka dari {low} sampai {high}"),
    "q.bad_answer": ("answer {raw} to “{question}”: {problem}. Fix: answer again with a valid value.",
                     "jawaban {raw} untuk “{question}”: {problem}. Perbaikan (Fix:): jawab lagi dengan nilai yang valid."),
    "q.availability": (
        "When must the service answer? always_on (customers at any hour: a rented GPU is billed all month) / business_hours / batch",
        "Kapan layanan harus menjawab? always_on (pelanggan kapan saja: GPU sewaan ditagih sebulan penuh) / business_hours / batch",
    ),
    "q.defaults": ("Left to their defaults (each can change the verdict; set them in the profile file):",
                   "Dibiarkan memakai nilai bawaan (masing-masing dapat mengubah putusan; atur di berkas profil):"),
    "q.no_defaults": ("Every field that can change the verdict is set.", "Semua isian yang dapat mengubah putusan sudah diatur."),
    "q.rent_default": ("the smallest cloud GPU that holds the model (L4 24 GB $0.8/h, L40S 48 GB $1.5/h, H100 80 GB $2.5/h; estimates)",
                       "GPU cloud terkecil yang memuat model (L4 24 GB $0,8/jam, L40S 48 GB $1,5/jam, H100 80 GB $2,5/jam; perkiraan)"),
    "q.eof": ("The answers ended early; the remaining questions keep their defaults.", "Jawaban berakhir lebih awal; pertanyaan sisanya memakai nilai bawaan."),
}

TEXTS.update(MODEL_TEXTS)  # the reason codes of the decide model (criteria_scores, constraints, questionnaire)


def default_lang() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "id" if value.lower().startswith("id") else "en"
    return "en"


def normalise_lang(lang: str | None) -> str:
    if not lang:
        return default_lang()
    lang = lang.lower()
    if lang not in LANGS:
        from whichai.errors import InputError

        raise InputError(f"unknown language {lang!r}. Fix: pass --lang en or --lang id.")
    return lang


def t(key: str, lang: str = "en", **params: object) -> str:
    en, id_ = TEXTS[key]
    text = id_ if lang == "id" and id_ else en
    return text.format(**params) if params else text


def num(value: float, lang: str = "en", digits: int = 2) -> str:
    """A number in the reader's convention (1,234.5 in English; 1.234,5 in Indonesian)."""
    text = f"{value:,.{digits}f}"
    if lang == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def usd(value: float, lang: str = "en") -> str:
    digits = 2 if abs(value) < 1000 else 0
    return "$" + num(value, lang, digits)


def count(value: float, lang: str = "en") -> str:
    return num(round(value), lang, 0)


def pct(share: float, lang: str = "en") -> str:
    return num(abs(share) * 100 if abs(share) < 5e-3 else share * 100, lang, 0) + "%"
