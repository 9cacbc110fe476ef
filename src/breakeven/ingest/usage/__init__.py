"""Usage logs -> a measured workload: readers for LiteLLM, OpenAI usage and costs, Langfuse,
Helicone, OpenRouter and mapped generic tables, one aggregation in Ibis (DuckDB for files, the
database itself for a database URL), and the report (``ingest_logs``)."""

from breakeven.ingest.usage import helicone, langfuse, litellm, openai_costs, openai_usage, openrouter
from breakeven.ingest.usage.formats import UsageFormat

READERS: dict[str, UsageFormat] = {
    m.FORMAT.name: m.FORMAT for m in (litellm, openai_usage, openai_costs, langfuse, helicone, openrouter)
}
"""Format name -> reader; ``generic`` (with a column mapping) comes on top."""
