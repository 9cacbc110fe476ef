"""Renderers: every way a result is shown (text tables, JSON, Markdown, the HTML report, charts), apart
from the code that computes it. The CLI, the web API and the report all render through here.

``format`` (numbers, money, volumes as people read them) imports nothing else of the package, so any
layer may use it; the other modules import rich or Plotly and are loaded only by the faces.
"""
