"""Renderers of results into files (charts); no computation."""
