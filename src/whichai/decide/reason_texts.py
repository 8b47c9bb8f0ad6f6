"""Texts, in English and Bahasa Indonesia, of the reason codes the decide model adds.

These are the codes :mod:`whichai.decide.criteria_scores` gives a criterion score (``why.*``),
the exclusions :mod:`whichai.decide.constraints` adds (``reason.*``) and the questions of
``whichai profile new`` (``q.*``) and ``whichai tco`` (``tco.*``). :mod:`whichai.decide.i18n` is the
one lookup (``t``); it merges this table into its own. No imports: a leaf module.
"""

from __future__ import annotations

MODEL_TEXTS: dict[str, tuple[str, str]] = {
    # criterion reasons -------------------------------------------------------------------------
    "why.cost_none": ("no way to run it under this profile: cost unknown", "tidak ada cara menjalankannya pada profil ini: biaya tidak diketahui"),
    "why.customization_weights_code": (
        "weights and training code are open: fine-tune or retrain it",
        "bobot dan kode pelatihan terbuka: dapat di-fine-tune atau dilatih ulang",
    ),
    "why.transparency_audit": (
        "{open} of {rated} audited openness dimensions are open",
        "{open} dari {rated} dimensi keterbukaan yang diaudit terbuka",
    ),
    "why.collab_closed": ("closed: no modification or redistribution", "tertutup: tidak boleh dimodifikasi atau didistribusikan ulang"),
    "why.collab_open_licence": (
        "licence {license} allows modification and redistribution",
        "lisensi {license} mengizinkan modifikasi dan distribusi ulang",
    ),
    "why.collab_restricted": ("licence {license} allows sharing with restrictions", "lisensi {license} mengizinkan berbagi dengan batasan"),
    "why.updates_open": (
        "you choose when to upgrade; published weights stay available (released {release})",
        "Anda yang menentukan kapan meningkatkan versi; bobot yang dipublikasikan tetap tersedia (rilis {release})",
    ),
    "why.updates_closed": (
        "the vendor ships updates and retires models on its own schedule (released {release})",
        "vendor merilis pembaruan dan menghentikan model sesuai jadwalnya sendiri (rilis {release})",
    ),
    "why.updates_shutdown": (
        "shuts down on {date}, within your {horizon}-month horizon",
        "dimatikan pada {date}, dalam cakrawala {horizon} bulan Anda",
    ),
    "why.updates_deprecated_undated": (
        "deprecated with no shutdown date announced: it may stop being served at short notice",
        "sudah usang tanpa tanggal penghentian yang diumumkan: layanannya dapat berhenti sewaktu-waktu",
    ),
    "why.updates_deprecated": (
        "deprecated; shutdown on {date}, after your {horizon}-month horizon",
        "sudah usang; dimatikan pada {date}, setelah cakrawala {horizon} bulan Anda",
    ),
    "why.prior_benchmark": (
        "not measured on your task: a prior of {prior} (± {se}) for a {task} task from published benchmarks ({benchmarks})",
        "belum diukur pada tugas Anda: perkiraan awal {prior} (± {se}) untuk tugas {task} dari tolok ukur yang dipublikasikan ({benchmarks})",
    ),
    "why.prior_line_price": (
        "not measured and no benchmark covers it: estimated at {prior} (± {se}) for a {task} task as at least {reference}, the strongest "
        "benchmarked model of its line released before it at the same or a lower price ({benchmarks})",
        "belum diukur dan tidak ada tolok ukur untuknya: diperkirakan {prior} (± {se}) untuk tugas {task}, setidaknya setara {reference}, "
        "model terkuat dari lininya yang sudah diuji tolok ukur, dirilis sebelumnya dengan harga yang sama atau lebih rendah ({benchmarks})",
    ),
    "why.prior_line_size": (
        "not measured and no benchmark covers it: estimated at {prior} (± {se}) for a {task} task as at least {reference}, the strongest "
        "benchmarked model of its line released before it at the same or a lower size ({benchmarks})",
        "belum diukur dan tidak ada tolok ukur untuknya: diperkirakan {prior} (± {se}) untuk tugas {task}, setidaknya setara {reference}, "
        "model terkuat dari lininya yang sudah diuji tolok ukur, dirilis sebelumnya dengan ukuran yang sama atau lebih rendah ({benchmarks})",
    ),
    "why.prior_size_fit": (
        "not measured: a prior from its size, scaled for your {task} task ({fit}) and languages ({langs})",
        "belum diukur: perkiraan awal dari ukurannya, disesuaikan untuk tugas {task} Anda ({fit}) dan bahasa ({langs})",
    ),
    "why.prior_price_fit": (
        "not measured: a prior from its price tier, scaled for your {task} task ({fit}) and languages ({langs})",
        "belum diukur: perkiraan awal dari tingkat harganya, disesuaikan untuk tugas {task} Anda ({fit}) dan bahasa ({langs})",
    ),
    "ex.tied": (
        "{a} and {b} are indistinguishable without measuring: their performance priors, {pa} ± {sa} and {pb} ± {sb}, lie within the "
        "benchmarks' own noise, so the order between them comes from the other criteria, not from quality; at equal quality {cheaper} "
        "is the cheaper ({usd_a} vs {usd_b}/month). The one measurement that separates them: whichai run --models {ids} --profile {profile}.",
        "{a} dan {b} tidak dapat dibedakan tanpa pengukuran: perkiraan awal kinerjanya, {pa} ± {sa} dan {pb} ± {sb}, berada dalam derau "
        "tolok ukur itu sendiri, jadi urutan keduanya berasal dari kriteria lain, bukan dari kualitas; pada kualitas yang sama {cheaper} "
        "lebih murah ({usd_a} vs {usd_b}/bulan). Satu pengukuran yang memisahkan keduanya: whichai run --models {ids} --profile {profile}.",
    ),
    "note.operations_decide": (
        "Operations cost decides this: without its {ops}/month of operations ({hours} h × ${rate}/h, {origin}), self-hosting "
        "{name} would rank first. Set ops_hours_per_month and ops_hourly_rate_usd in your profile to what running it really takes.",
        "Biaya operasional yang menentukan: tanpa biaya operasional {ops}/bulan ({hours} jam × ${rate}/jam, {origin}), "
        "meng-host sendiri {name} akan berada di peringkat pertama. Atur ops_hours_per_month dan ops_hourly_rate_usd di profil Anda "
        "sesuai kebutuhan sebenarnya.",
    ),
    # exclusions ----------------------------------------------------------------------------------
    "reason.retired": ("retired on {date}: it can no longer be called", "dihentikan pada {date}: tidak dapat dipanggil lagi"),
    "reason.retired_undated": ("retired: it can no longer be called", "sudah dihentikan: tidak dapat dipanggil lagi"),
    "reason.mode_not_allowed": (
        "no '{mode}' mode: its weights, its API or your profile's resources do not allow one",
        "tidak ada mode '{mode}': bobotnya, API-nya, atau sumber daya profil Anda tidak memungkinkannya",
    ),
    "reason.offers_retired": (
        "every API offer of it is retired; its weights are not downloadable",
        "semua penawaran API-nya sudah dihentikan; bobotnya tidak dapat diunduh",
    ),
    # questionnaire -------------------------------------------------------------------------------
    "q.ram_this": (
        "RAM in GB of the machine you would run models on (this = this machine: {ram} GB, {cores} CPU cores; 0 = no machine of your own)",
        "RAM dalam GB mesin tempat Anda akan menjalankan model (this = mesin ini: {ram} GB, {cores} inti CPU; 0 = tidak punya mesin sendiri)",
    ),
    "q.ops_hours": (
        "Hours a month your team spends running a self-hosted model (empty = the rule in docs/method.md: "
        "16 h for a 70 B model with some skill, fewer for small models on a machine you have)",
        "Jam per bulan yang dipakai tim Anda untuk menjalankan model sendiri (kosong = aturan di docs/method.md: "
        "16 jam untuk model 70 B dengan sedikit keahlian, lebih sedikit untuk model kecil di mesin milik Anda)",
    ),
    "q.ops_rate": ("Hourly cost of that time in USD", "Biaya per jam waktu tersebut dalam USD"),
    "q.horizon": (
        "Planning horizon in months (a model shutting down within it loses on updates)",
        "Cakrawala perencanaan dalam bulan (model yang dimatikan dalam rentang ini kalah pada pembaruan)",
    ),
}

MODEL_TEXTS.update({
    # whichai tco ---------------------------------------------------------------------------------
    "tco.title": ("Cost of ownership at {requests} requests a month ({tokens} tokens)",
                  "Biaya kepemilikan pada {requests} permintaan per bulan ({tokens} token)"),
    "tco.col_model": ("model", "model"),
    "tco.col_mode": ("mode", "mode"),
    "tco.col_monthly": ("per month", "per bulan"),
    "tco.col_per_mtok": ("per Mtok", "per Mtok"),
    "tco.col_throughput": ("throughput", "throughput"),
    "tco.col_parts": ("made of", "terdiri dari"),
    "tco.excluded": ("{model} cannot be costed under this profile: {reasons}", "{model} tidak dapat dihitung biayanya pada profil ini: {reasons}"),
    "tco.break_even_above": ("Break-even: {a} costs less than {b} above {requests} requests ({tokens} tokens) a month [{origin}].",
                             "Titik impas: {a} lebih murah daripada {b} di atas {requests} permintaan ({tokens} token) per bulan [{origin}]."),
    "tco.break_even_always": ("Break-even: {a} costs less than {b} at every volume [{origin}].",
                              "Titik impas: {a} lebih murah daripada {b} pada setiap volume [{origin}]."),
    "tco.break_even_equal": ("Break-even: {a} and {b} cost the same at every volume [{origin}].",
                             "Titik impas: {a} dan {b} sama biayanya pada setiap volume [{origin}]."),
    "tco.break_even_never": ("Break-even: neither becomes cheaper than the other within the hardware's capacity [{origin}].",
                             "Titik impas: tidak ada yang menjadi lebih murah dalam kapasitas perangkat keras [{origin}]."),
    "tco.payback": ("Payback: the {purchase} hardware for {a} pays for itself in {months} months against {b} "
                    "({against}/month − running {running}/month) [{origin}].",
                    "Balik modal: perangkat keras {purchase} untuk {a} kembali dalam {months} bulan dibanding {b} "
                    "({against}/bulan − biaya jalan {running}/bulan) [{origin}]."),
    "tco.payback_never": ("Payback: the hardware for {a} never pays for itself against {b}: running it costs at least as much.",
                          "Balik modal: perangkat keras untuk {a} tidak pernah kembali dibanding {b}: biaya jalannya setidaknya sama."),
})


MODEL_TEXTS.update({
    # cost components and throughput (tco.py), with their figures --------------------------------
    "cost.detail_api": ("${input}/${output} per Mtok in/out ({source}, {as_of})", "${input}/${output} per Mtok masuk/keluar ({source}, {as_of})"),
    "cost.detail_api_profile": ("${input}/${output} per Mtok in/out (profile: {source})",
                                "${input}/${output} per Mtok masuk/keluar (profil: {source})"),
    "cost.detail_api_measured": ("${per_request} per request, measured over {answered} answered cases",
                                 "${per_request} per permintaan, diukur pada {answered} kasus yang dijawab"),
    "cost.detail_amortisation": ("${purchase} over {months} months", "${purchase} selama {months} bulan"),
    "cost.detail_power": ("{watts} W ({watts_origin}) × {hours} h ({hours_origin}) × ${kwh}/kWh",
                          "{watts} W ({watts_origin}) × {hours} jam ({hours_origin}) × ${kwh}/kWh"),
    "cost.detail_operations": ("{hours} h ({hours_origin}) × ${rate}/h (profile); team skill: {skill}",
                               "{hours} jam ({hours_origin}) × ${rate}/jam (profil); keahlian tim: {skill}"),
    "cost.detail_rent": ("{n} × {gpu} at ${rate}/h (profile), {hours} h needed (estimate)",
                         "{n} × {gpu} seharga ${rate}/jam (profil), butuh {hours} jam (perkiraan)"),
    "cost.detail_rent_always": ("{n} × {gpu} at ${rate}/h (profile), all month", "{n} × {gpu} seharga ${rate}/jam (profil), sepanjang bulan"),
    "cost.detail_rent_default": ("{n} × {gpu} at ${rate}/h (default, not in your profile: the smallest GPU that holds the model), "
                                 "{hours} h needed (estimate), billed by the begun hour",
                                 "{n} × {gpu} seharga ${rate}/jam (bawaan, tidak ada di profil Anda: GPU terkecil yang memuat model), "
                                 "butuh {hours} jam (perkiraan), ditagih per jam yang dimulai"),
    "cost.detail_rent_always_default": ("{n} × {gpu} at ${rate}/h (default, not in your profile: the smallest GPU that holds the model), "
                                        "all month (availability: always on)",
                                        "{n} × {gpu} seharga ${rate}/jam (bawaan, tidak ada di profil Anda: GPU terkecil yang memuat model), "
                                        "sepanjang bulan (ketersediaan: selalu menyala)"),
    "cost.detail_thinking": ("; output × {factor} for the reasoning a thinking model writes (estimate)",
                             "; keluaran × {factor} untuk penalaran yang ditulis model berpikir (perkiraan)"),
    "tp.capacity": ("{tps} tokens/s (input + output) on {hardware} ({tp_origin}: {source})",
                    "{tps} token/dtk (masukan + keluaran) pada {hardware} ({tp_origin}: {source})"),
    "tp.measured_here": ("{tps} output tokens/s measured on this machine", "{tps} token keluaran/dtk diukur di mesin ini"),
    "tp.estimate_gpu": ("estimated from {bw} GB/s GPU memory bandwidth and {params} B active parameters",
                        "diperkirakan dari bandwidth memori GPU {bw} GB/dtk dan {params} B parameter aktif"),
    "tp.estimate_cpu": ("estimated from {bw} GB/s CPU memory bandwidth and {params} B active parameters",
                        "diperkirakan dari bandwidth memori CPU {bw} GB/dtk dan {params} B parameter aktif"),
    "tp.estimate_rented": ("estimated from {bw} GB/s ({bw_origin}) × {n} {gpu} and {params} B active parameters",
                           "diperkirakan dari {bw} GB/dtk ({bw_origin}) × {n} {gpu} dan {params} B parameter aktif"),
    "tp.elsewhere": ("; the throughput measured in the run was on this machine, not on the hardware your profile describes",
                     "; throughput yang diukur dalam run berasal dari mesin ini, bukan dari perangkat keras di profil Anda"),
})
