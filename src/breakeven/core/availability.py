"""Expected lost service from failures, for pricing redundancy.

Each of the n serving replicas is down a share q of the time, independently of the others (an
estimate: shared power, network or software faults take several down at once). A replica that is down
loses its share 1/n of the traffic, so without redundancy the expected share of traffic lost is q.
With s standby replicas the first s failures among the n + s are covered: the expected share lost is
E[max(0, F - s)] / n with F ~ Binomial(n + s, q). With failover to an API that is up a share A of the
time, traffic is lost only while both are down: q (1 - A), and the API carries the expected share q.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import binom


def lost_share(replicas: int, q: float, standby: int = 0) -> float:
    """Expected share of the traffic lost with ``standby`` standby replicas (0: no redundancy)."""
    if replicas <= 0:
        return 0.0
    s, total = int(standby), int(replicas) + int(standby)
    covered = np.arange(s + 1)
    # E[max(0, F - s)] = E[F] - s + sum_{k <= s} (s - k) P(F = k)
    excess = total * q - s + float(((s - covered) * binom.pmf(covered, total, q)).sum())
    return max(0.0, excess) / replicas


def lost_share_with_failover(q: float, api_availability: float) -> float:
    """Expected share of the traffic lost when an API takes over while replicas are down."""
    return q * (1 - api_availability)
