"""PCG-Bench and PCI-Bench: build a manifest, run it resumably (local pool or Ray), report Table 1."""

from .build import build_suite, load_histories
from .manifest import BenchManifest, load_manifest, save_manifest
from .report import write_report
from .runner import run_bench

__all__ = ["BenchManifest", "build_suite", "load_histories", "load_manifest", "run_bench", "save_manifest",
           "write_report"]
