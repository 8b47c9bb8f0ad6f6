"""LoRA fine-tuning of an open model on the user's own examples (issue 18).

``examples``: which cases train and which are held out to score, and the text each one teaches.
``train``: the LoRA training loop (torch, transformers, peft; imported lazily), resumable from its checkpoint.
``export``: the LoRA merged into the base and written as a GGUF file that llama.cpp loads.
``lineage``: where a tune lives (the user data dir) and what it came from.
"""
