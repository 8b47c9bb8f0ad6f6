"""Labels of the profile form's fields and sections, in English and Bahasa Indonesia.

Keyed by the field's path with list rows as ``*`` (``hardware.gpus.*.memory_gb``). A test checks that
every field of the Profile model has a label here, so a new profile field cannot reach the form
without one.
"""

from __future__ import annotations

from whichai.criteria import CRITERIA

SECTIONS: dict[str, tuple[str, str]] = {
    "about": ("About this profile", "Tentang profil ini"),
    "volume": ("Volume and budget", "Volume dan anggaran"),
    "data": ("Data, licences and languages", "Data, lisensi, dan bahasa"),
    "operations": ("Team, operations and support", "Tim, operasional, dan dukungan"),
    "quality": ("Quality and speed", "Kualitas dan kecepatan"),
    "hardware": ("Hardware you own", "Perangkat keras milik Anda"),
    "rent": ("GPUs you can rent", "GPU yang dapat disewa"),
    "capacity": ("Measured capacity (tokens/s of a model on your hardware)", "Kapasitas terukur (token/dtk model pada perangkat Anda)"),
    "prices": ("API prices you pay (replace the catalog's)", "Harga API yang Anda bayar (menggantikan harga katalog)"),
    "weights": ("Weights on the ten criteria (empty: derived from the answers above)",
                "Bobot sepuluh kriteria (kosong: diturunkan dari jawaban di atas)"),
}

SECTION_OF: dict[str, str] = {
    "name": "about", "description": "about", "use_case": "about", "task": "about",
    "volume": "volume", "budget_usd_per_month": "volume", "cost_reference_usd": "volume", "horizon_months": "volume",
    "task_kind": "about", "prices": "prices",
    "data_sensitivity": "data", "data_may_go": "data", "sensitive_share": "data", "deployment": "data",
    "commercial": "data", "accept_use_restrictions": "data", "min_openness": "data", "languages": "data",
    "team_skill": "operations", "ops_hourly_rate_usd": "operations", "ops_hours_per_month": "operations",
    "support": "operations", "customise": "operations",
    "min_quality": "quality", "latency_target_s": "quality",
    "hardware": "hardware", "rent": "rent", "availability": "rent", "capacity": "capacity", "weights": "weights",
}

LABELS: dict[str, tuple[str, str]] = {
    "name": ("Profile name", "Nama profil"),
    "description": ("Description", "Deskripsi"),
    "use_case": ("Use case", "Kasus penggunaan"),
    "task": ("Task (built-in name or file)", "Tugas (nama bawaan atau berkas)"),
    "commercial": ("Commercial use", "Penggunaan komersial"),
    "accept_use_restrictions": ("Accept licences with use restrictions", "Terima lisensi dengan batasan penggunaan"),
    "volume.requests_per_month": ("Requests per month", "Permintaan per bulan"),
    "volume.input_tokens_per_request": ("Input tokens per request", "Token masukan per permintaan"),
    "volume.output_tokens_per_request": ("Output tokens per request", "Token keluaran per permintaan"),
    "budget_usd_per_month": ("Budget (USD / month)", "Anggaran (USD / bulan)"),
    "cost_reference_usd": ("Reference monthly cost (USD) when no budget", "Biaya bulanan acuan (USD) tanpa anggaran"),
    "horizon_months": ("Horizon (months)", "Jangka waktu (bulan)"),
    "data_sensitivity": ("Data sensitivity", "Sensitivitas data"),
    "data_may_go": ("Data may go", "Data boleh dikirim ke"),
    "sensitive_share": ("Share of requests with sensitive data (0-1)", "Porsi permintaan berisi data sensitif (0-1)"),
    "deployment": ("Deployment", "Penerapan"),
    "team_skill": ("Team skill at running models", "Keahlian tim menjalankan model"),
    "ops_hourly_rate_usd": ("Operations hourly rate (USD)", "Tarif operasional per jam (USD)"),
    "ops_hours_per_month": ("Operations hours per month (empty: from team skill)",
                            "Jam operasional per bulan (kosong: dari keahlian tim)"),
    "support": ("Vendor support", "Dukungan vendor"),
    "customise": ("Customisation (fine-tuning)", "Kustomisasi (fine-tuning)"),
    "min_openness": ("Minimum openness", "Keterbukaan minimum"),
    "languages": ("Languages (comma-separated codes)", "Bahasa (kode, dipisah koma)"),
    "min_quality": ("Minimum pass rate (0-1)", "Tingkat lulus minimum (0-1)"),
    "latency_target_s": ("Latency target (s)", "Target latensi (dtk)"),
    "hardware": ("Hardware", "Perangkat keras"),
    "hardware.cpu_cores": ("CPU cores", "Inti CPU"),
    "hardware.ram_gb": ("RAM (GB)", "RAM (GB)"),
    "hardware.purchase_usd": ("Purchase price (USD; 0 = already paid)", "Harga beli (USD; 0 = sudah dibayar)"),
    "hardware.amortisation_months": ("Amortisation (months)", "Amortisasi (bulan)"),
    "hardware.power_watts": ("Power (W; empty: estimated)", "Daya (W; kosong: diperkirakan)"),
    "hardware.electricity_usd_per_kwh": ("Electricity (USD / kWh)", "Listrik (USD / kWh)"),
    "hardware.memory_bandwidth_gbps": ("Memory bandwidth (GB/s; empty: estimated)", "Bandwidth memori (GB/dtk; kosong: diperkirakan)"),
    "hardware.hours_per_month": ("Hours a month it may run", "Jam per bulan perangkat boleh berjalan"),
    "hardware.gpus.*.name": ("GPU name", "Nama GPU"),
    "hardware.gpus.*.memory_gb": ("GPU memory (GB)", "Memori GPU (GB)"),
    "hardware.gpus.*.count": ("How many", "Jumlah"),
    "hardware.gpus.*.memory_bandwidth_gbps": ("GPU bandwidth (GB/s; empty: from the name)", "Bandwidth GPU (GB/dtk; kosong: dari nama)"),
    "rent": ("Rented GPU", "GPU sewaan"),
    "rent.gpu": ("GPU", "GPU"),
    "rent.memory_gb": ("GPU memory (GB)", "Memori GPU (GB)"),
    "rent.usd_per_hour": ("Rent (USD / hour)", "Sewa (USD / jam)"),
    "rent.memory_bandwidth_gbps": ("GPU bandwidth (GB/s; empty: from the name)", "Bandwidth GPU (GB/dtk; kosong: dari nama)"),
    "rent.always_on": ("Billed all month (always on)", "Ditagih sebulan penuh (selalu menyala)"),
    "availability": ("When it must answer (always on: rented GPUs billed all month)", "Kapan harus menjawab (selalu menyala: GPU sewaan ditagih sebulan penuh)"),
    "task_kind": ("Kind of work", "Jenis pekerjaan"),
    "hardware.name": ("Name of this hardware", "Nama perangkat ini"),
    "hardware.this_machine": ("It is this machine (RAM and cores read from it)", "Ini mesin ini (RAM dan inti dibaca darinya)"),
    "prices.*._key": ("Model id", "ID model"),
    "prices.*.input": ("Input price you pay (USD / M tokens)", "Harga masukan yang Anda bayar (USD / juta token)"),
    "prices.*.output": ("Output price you pay (USD / M tokens)", "Harga keluaran yang Anda bayar (USD / juta token)"),
    "prices.*.source": ("Source of the price", "Sumber harga"),
    "capacity.*.model": ("Model id", "ID model"),
    "capacity.*.tokens_per_s": ("Tokens/s (input + output)", "Token/dtk (masukan + keluaran)"),
    "capacity.*.hardware": ("On hardware", "Pada perangkat"),
    "capacity.*.source": ("Source of the figure", "Sumber angka"),
    **{f"weights.{c.id}": (c.en, c.id_) for c in CRITERIA},
}
