"""breakeven: self-host an open-weights LLM or pay per token, and at what volume the answer flips.

from breakeven import size, predict, catalog
size("llama-3.1-70b", "h100-sxm", context=32768).min_gpus
predict("llama-3.1-8b", "h100-sxm", gpus=1, input_tokens=2000, output_tokens=500, concurrency=32)
"""

from breakeven import catalog
from breakeven.api import deployment, predict, size
from breakeven.errors import InputError, UnknownIdError

__all__ = ["InputError", "UnknownIdError", "catalog", "deployment", "predict", "size"]
__version__ = "0.1.0"
