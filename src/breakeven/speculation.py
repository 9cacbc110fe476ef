"""Speculative decoding as a user asks for it (``predict --speculative``, a scenario candidate's
``speculative`` block, the Python API), turned into the core's ``Speculation`` with the catalog's
defaults for what was left out (speculation.yaml: draft tokens, acceptance range, EAGLE-3's draft
vocabulary)."""

from __future__ import annotations

from pydantic import Field, ValidationError

from breakeven import catalog, limits
from breakeven.amounts import Distribution, Share, as_distribution, point
from breakeven.catalog.schema import Model, SpeculationKind, SpeculationMethod, Strict
from breakeven.catalog.store import lookup
from breakeven.core.build import speculation_for
from breakeven.core.deployment import Speculation
from breakeven.errors import InputError

DraftTokens = Field(
    None,
    ge=1,
    le=int(limits.DRAFT_TOKENS.high),
    description=f"Draft tokens per step (k), {limits.DRAFT_TOKENS.allowed(1)}; default: the method's "
    "(breakeven catalog show mtp)",
)


class SpeculativeOption(Strict):
    """Speculative decoding on a deployment: how tokens are drafted, how many per step, and how often
    each is accepted."""

    method: SpeculationKind = Field(
        description="mtp: the model's own MTP layers; eagle: an EAGLE-3 head; draft_model: a smaller model of "
        "the same vocabulary; ngram: lookup in the text so far"
    )
    draft_tokens: int | None = DraftTokens
    acceptance: Share | None = Field(
        None,
        description="Per-position acceptance rate (the chance a draft token is accepted when all before it were): "
        "a share, a [low, high] range or a distribution; default: the method's published range (est)",
    )
    draft_model: str | None = Field(
        None, max_length=limits.NAME_CHARS, description="Model catalog id of the draft (method draft_model only)"
    )


def option(value: SpeculativeOption | dict | None, field: str = "speculative") -> SpeculativeOption | None:
    """A validated option from an option or a mapping; bad input is an InputError naming the field."""
    if value is None or isinstance(value, SpeculativeOption):
        return value
    try:
        return SpeculativeOption.model_validate(value)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in (field, *err["loc"]))
        raise InputError(where, err.get("input"), err["msg"].removeprefix("Value error, ")) from None


def method_of(opt: SpeculativeOption) -> SpeculationMethod:
    return catalog.speculation_method(opt.method)


def draft_tokens_of(opt: SpeculativeOption) -> int:
    return opt.draft_tokens or method_of(opt).draft_tokens


def acceptance_of(opt: SpeculativeOption) -> float | tuple[float, float] | Distribution:
    """The acceptance asked for, else the method's published range."""
    return opt.acceptance if opt.acceptance is not None else tuple(method_of(opt).acceptance)


def acceptance_ends(opt: SpeculativeOption) -> tuple[float, float] | None:
    """Low and high of an uncertain acceptance (None for a single number)."""
    dist = as_distribution(acceptance_of(opt))
    return None if dist is None else (dist.low, dist.high)


def _draft_model(key: str) -> Model:
    """A catalog model by id or alias (never a file: a draft model is named, as in the catalog)."""
    try:
        return lookup("models", key)  # type: ignore[return-value]
    except InputError as exc:
        raise exc.about("speculative.draft_model") from None


def speculation(model: Model, precision: str, opt: SpeculativeOption, acceptance: float | None = None) -> Speculation:
    """The core's Speculation for ``model`` served at ``precision``: the option's draft tokens and
    ``acceptance`` (default: the point estimate of the option's, or of the method's range)."""
    draft = _draft_model(opt.draft_model) if opt.draft_model is not None else None
    rate = point(acceptance_of(opt)) if acceptance is None else acceptance
    return speculation_for(
        model, precision, opt.method, draft_tokens_of(opt), rate, draft, method_of(opt).draft_vocab_size
    )
