"""A calibration for people, as text: the fitted fields and predicted against measured per point."""

from __future__ import annotations

from rich.table import Table


def points_table(cal) -> Table:
    t = Table(title="predicted against measured (before -> after calibration)", title_justify="left")
    for col in ("point", "metric", "conc.", "in/out", "measured", "before", "err", "after", "err"):
        t.add_column(col, justify="left" if col in ("point", "metric") else "right", overflow="fold")
    for p in cal.file.points:
        t.add_row(
            p.id.rsplit("#", 1)[0],
            p.metric,
            str(p.concurrency),
            f"{p.input_tokens}/{p.output_tokens}",
            f"{p.measured:.4g}",
            f"{p.predicted_before:.4g}",
            f"{p.predicted_before / p.measured - 1:+.0%}",
            f"{p.predicted_after:.4g}",
            f"{p.predicted_after / p.measured - 1:+.0%}",
        )
    return t


def fitted_table(base, cal) -> Table:
    t = Table(
        title=f"{cal.file.profile.id}: {cal.file.fit.points} points, rms relative error (the fit's objective) "
        f"{cal.file.fit.rms_relative_error_before:.1%} -> {cal.file.fit.rms_relative_error_after:.1%}",
        title_justify="left",
    )
    for col in ("field", "bundled", "calibrated"):
        t.add_column(col)
    for f in cal.file.fit.fitted:
        t.add_row(f, f"{getattr(base, f):.4g}", f"{getattr(cal.file.profile, f):.4g}")
    return t
