"""The usage-log formats by name (``--format``); ``generic`` with a column mapping comes on top."""

from breakeven.ingest.usage import helicone, langfuse, litellm, openai_costs, openai_usage, openrouter
from breakeven.ingest.usage.formats import UsageFormat

READERS: dict[str, UsageFormat] = {
    m.FORMAT.name: m.FORMAT for m in (litellm, openai_usage, openai_costs, langfuse, helicone, openrouter)
}
"""Format name -> reader, in auto-detection order."""
