"""YAML from users, read safely: every file or body a user hands breakeven goes through ``load``.

PyYAML's ``safe_load`` refuses arbitrary objects but not documents built to exhaust the machine:
aliases and merge keys that expand exponentially (a 700-byte "billion laughs" takes minutes and
gigabytes), nesting deep enough to overflow the stack, integers of thousands of digits, and
repeated keys, which it silently resolves to the last one. ``load`` first walks the document's
events (libyaml's iterative parser: no recursion, nothing built) and refuses, with the line and a
one-line reason:

- nesting deeper than ``limits.YAML_DEPTH``;
- more than ``limits.YAML_NODES`` values once every alias and merge key is expanded;
- a value longer than ``limits.YAML_SCALAR_CHARS``, or a number longer than ``limits.YAML_NUMBER_CHARS``;
- a key repeated in one mapping.

Only then is the document built (libyaml's safe loader where PyYAML has it). Syntax errors come
back the same way, as ``YamlError`` with the line.

    from breakeven import safe_yaml
    data = safe_yaml.load(text, "scenario.yaml")          # or raises YamlError
    data, lines = safe_yaml.load_with_lines(text, "runs.yaml", depth=2)
    lines[("points", 3)]                                  # line of the 4th point
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from breakeven import limits
from breakeven.errors import InputError

_EXPONENT_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$")
"""Floats in exponent form as YAML 1.2 and JSON write them (1e9, 6.17e9): PyYAML's YAML 1.1 rules
read them as strings."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser and safe constructor where PyYAML was built with it (10x faster), else Python's;
    exponent-form numbers are floats."""


class _Resolver(yaml.resolver.Resolver):
    """The tags ``_Loader`` gives plain scalars (for checks made before the document is built)."""


for _cls in (_Loader, _Resolver):
    _cls.add_implicit_resolver("tag:yaml.org,2002:float", _EXPONENT_FLOAT, list("-+0123456789."))

_LOADER = _Loader
_RESOLVER = _Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")

Path = tuple[object, ...]
"""Where a value sits: mapping keys and list indices from the root, e.g. ("points", 3)."""


class YamlError(InputError):
    """A document that is not YAML or is refused by the limits; ``line`` counts from 1 (0: unknown)."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(source, f"line {line}" if line else "the document", reason)
        self.source, self.line, self.reason = source, line, reason
        self.args = (f"{source}, line {line}: {reason}" if line else f"{source}: {reason}",)

    def __str__(self) -> str:
        return self.args[0]

    @property
    def where(self) -> str:
        """'line 12' (or 'document' when the parser gave no position)."""
        return f"line {self.line}" if self.line else "document"


@dataclass
class _Collection:
    """A mapping or list being walked: its expanded size so far and the keys it has seen."""

    is_mapping: bool
    anchor: str | None
    path: Path
    size: int = 1
    children: int = 0
    keys: dict[object, int] = field(default_factory=dict)
    last_key: object = None
    """The key whose value comes next (a mapping's path element)."""

    @property
    def expects_key(self) -> bool:
        return self.is_mapping and self.children % 2 == 0


def _key_of(event: yaml.ScalarEvent) -> object:
    """A scalar key as the constructor will build it (so 'yes' and 'true' are the same key)."""
    tag = event.tag if event.tag not in (None, "!") else _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == "tag:yaml.org,2002:str":
        return event.value
    try:
        return (tag, _CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, event.value)))
    except (yaml.YAMLError, ValueError, TypeError):
        return (tag, event.value)


class _Walk:
    """One pass over a document's events, enforcing the limits; records lines down to ``depth``."""

    def __init__(self, source: str, depth: int) -> None:
        self.source, self.record_depth = source, depth
        self.stack: list[_Collection] = []
        self.anchors: dict[str, int] = {}
        self.lines: dict[Path, int] = {}

    def fail(self, event: yaml.Event, reason: str) -> None:
        raise YamlError(self.source, event.start_mark.line + 1 if event.start_mark else 0, reason)

    def _child_path(self) -> Path | None:
        """The path of the value about to be added (None for a mapping key)."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.is_mapping:
            return None if top.expects_key else (*top.path, top.last_key)
        return (*top.path, top.children)

    def _add(self, event: yaml.Event, size: int, key: object = None) -> None:
        """Count a finished value (of ``size`` expanded values) into its parent."""
        if not self.stack:
            self._check_size(event, size)
            return
        top = self.stack[-1]
        if top.expects_key:
            if key is not None:
                if key in top.keys:
                    self.fail(event, f"key {event.value!r} repeated (first on line {top.keys[key]})")
                top.keys[key] = event.start_mark.line + 1
            top.last_key = event.value if isinstance(event, yaml.ScalarEvent) else None
        top.children += 1
        top.size += size
        self._check_size(event, top.size)

    def _check_size(self, event: yaml.Event, size: int) -> None:
        if size > limits.YAML_NODES:
            self.fail(
                event,
                f"more than {limits.YAML_NODES:,} values once aliases and merge keys are expanded "
                "(an alias or merge-key bomb?)",
            )

    def _record(self, event: yaml.Event, path: Path | None) -> None:
        if path is not None and len(path) <= self.record_depth:
            self.lines[path] = event.start_mark.line + 1

    def scalar(self, event: yaml.ScalarEvent) -> None:
        if len(event.value) > limits.YAML_SCALAR_CHARS:
            self.fail(event, f"a value of {len(event.value):,} characters; at most {limits.YAML_SCALAR_CHARS:,}")
        tag = event.tag or _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag in _NUMBER_TAGS and len(event.value) > limits.YAML_NUMBER_CHARS:
            self.fail(event, f"a number of {len(event.value):,} characters; at most {limits.YAML_NUMBER_CHARS}")
        self._record(event, self._child_path())
        if event.anchor:
            self.anchors[event.anchor] = 1
        is_key = bool(self.stack) and self.stack[-1].expects_key
        self._add(event, 1, _key_of(event) if is_key else None)

    def alias(self, event: yaml.AliasEvent) -> None:
        self._record(event, self._child_path())
        self._add(event, self.anchors.get(event.anchor, 1))

    def start(self, event: yaml.CollectionStartEvent) -> None:
        if len(self.stack) >= limits.YAML_DEPTH:
            self.fail(event, f"nested more than {limits.YAML_DEPTH} levels deep")
        path = self._child_path()
        self._record(event, path)
        if self.stack and self.stack[-1].expects_key:
            self.stack[-1].last_key = None
        self.stack.append(_Collection(isinstance(event, yaml.MappingStartEvent), event.anchor, path or ()))

    def end(self, event: yaml.CollectionEndEvent) -> None:
        done = self.stack.pop()
        if done.anchor:
            self.anchors[done.anchor] = done.size
        if self.stack and self.stack[-1].expects_key:
            self.stack[-1].children += 1  # a mapping or list as a key: no duplicate check
            self.stack[-1].size += done.size
            self._check_size(event, self.stack[-1].size)
            return
        self._add(event, done.size)

    def run(self, text: str) -> dict[Path, int]:
        handlers = {
            yaml.ScalarEvent: self.scalar,
            yaml.AliasEvent: self.alias,
            yaml.MappingStartEvent: self.start,
            yaml.SequenceStartEvent: self.start,
            yaml.MappingEndEvent: self.end,
            yaml.SequenceEndEvent: self.end,
        }
        for event in yaml.parse(text, Loader=_LOADER):
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
        return self.lines


def _syntax_error(source: str, exc: yaml.YAMLError) -> YamlError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return YamlError(source, mark.line + 1 if mark else 0, f"not valid YAML ({problem})")


def load_with_lines(text: str, source: str = "input", depth: int = 0) -> tuple[object, dict[Path, int]]:
    """The document's data, and the line of every value down to ``depth`` levels (keyed by path)."""
    try:
        lines = _Walk(source, depth).run(text)
        return yaml.load(text, Loader=_LOADER), lines
    except yaml.YAMLError as exc:
        raise _syntax_error(source, exc) from None
    except RecursionError:  # cannot happen within YAML_DEPTH; kept so that no input gives a traceback
        raise YamlError(source, 0, f"nested more than {limits.YAML_DEPTH} levels deep") from None


def load(text: str, source: str = "input") -> object:
    """The document's data (dicts, lists, str, int, float, bool, None, dates), or YamlError."""
    return load_with_lines(text, source)[0]


def lines_of(text: str, depth: int) -> dict[Path, int]:
    """The line of every value down to ``depth`` levels, for a JSON or YAML text that has already been
    parsed some other way; empty when the text is not YAML (e.g. JSON with NaN written bare)."""
    try:
        return _Walk("input", depth).run(text)
    except (yaml.YAMLError, YamlError, RecursionError):
        return {}
