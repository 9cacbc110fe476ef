"""breakeven: self-host an open-weights LLM or pay per token, and at what volume the answer flips.

from breakeven import size, predict, catalog
size("llama-3.1-70b", "h100-sxm", context=32768).min_gpus
predict("llama-3.1-8b", "h100-sxm", gpus=1, input_tokens=2000, output_tokens=500, concurrency=32)
ingest_logs(["spend_logs.csv"], tz="Europe/Berlin").tokens_per_month
"""

from breakeven import catalog
from breakeven.api import deployment, predict, size
from breakeven.errors import InputError, UnknownIdError

__all__ = ["InputError", "UnknownIdError", "catalog", "deployment", "ingest_logs", "predict", "size"]


def __getattr__(name: str):
    """``ingest_logs`` is imported on first use: it brings the query engine (Ibis, DuckDB) with it."""
    if name == "ingest_logs":
        from breakeven.ingest.usage.run import ingest_logs

        return ingest_logs
    raise AttributeError(f"module 'breakeven' has no attribute {name!r}")


__version__ = "0.1.0"
