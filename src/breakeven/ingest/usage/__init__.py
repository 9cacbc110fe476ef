"""Usage logs -> a measured workload: readers for LiteLLM, OpenAI usage and costs, Langfuse,
Helicone, OpenRouter and mapped generic tables (``registry``), one aggregation in Ibis (DuckDB for
files, the database itself for a database URL), and the report (``run.ingest_logs``)."""
