"""Costs per task: a task is ``requests_per_task`` requests; a share s of tasks is accepted.

A failed task is either retried until it succeeds (1 / s attempts per accepted task on average) or
escalated to a person at a cost e: cost per accepted task = c / s (retry) or c + (1 - s) e (escalate),
c being the cost of one attempt (the monthly cost over the tasks attempted in the month).
"""

from __future__ import annotations


def tasks_per_month(requests_per_month: float, requests_per_task: float) -> float:
    return requests_per_month / requests_per_task


def cost_per_accepted_task(
    cost_per_task: float, success_rate: float, on_failure: str, escalation_cost: float | None = None
) -> float | None:
    """None where no task is ever accepted (a success rate of 0 with retries)."""
    if on_failure == "escalate":
        return cost_per_task + (1 - success_rate) * float(escalation_cost)
    return cost_per_task / success_rate if success_rate > 0 else None
