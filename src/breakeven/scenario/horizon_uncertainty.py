"""The horizon over samples: P10/P50/P90 of each net present cost and payback month, the probability
of paying back within the horizon, and the P10-P90 band of each discounted cumulative cost."""

from __future__ import annotations

import numpy as np

from breakeven.results import HorizonResult
from breakeven.scenario.horizon import HorizonPaths, at_most, stays_from
from breakeven.scenario.uncertainty import percentiles


def with_uncertainty(result: HorizonResult, hp: HorizonPaths) -> HorizonResult:
    """``result`` (the point estimate's horizon) with the spread over ``hp``'s samples added."""
    disc, cum = hp.discounted, hp.cumulative
    candidates = [
        c.model_copy(
            update={
                "net_present_cost_percentiles": percentiles(hp.net_present_cost(c.name)),
                "discounted_cumulative_band": np.percentile(disc[c.name], [10, 90], axis=0).T.tolist(),
            }
        )
        for c in result.candidates
    ]
    paybacks = []
    for p in result.payback:
        months = stays_from(at_most(cum[p.own], cum[p.against])).astype(float)
        paybacks.append(
            p.model_copy(
                update={
                    "month_percentiles": percentiles(np.where(months > 0, months, np.nan), never_beyond=True),
                    "probability_within_horizon": float((months > 0).mean()),
                }
            )
        )
    return result.model_copy(update={"candidates": candidates, "payback": paybacks, "samples": hp.resolved.size})
