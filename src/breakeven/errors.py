"""Errors a user can cause. Every face turns these into a clear message (CLI: exit code 2)."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: names the field, the value given and what is allowed."""

    def __init__(self, field: str, value: object, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(field, value, allowed)

    def __str__(self) -> str:
        return f"{self.field}: {self.value!r} is not allowed; {self.allowed}"

    def about(self, field: str) -> InputError:
        """The same error, naming ``field`` (the name the user wrote: a CLI option, a file's path)."""
        renamed = type(self).__new__(type(self), *self.args)
        renamed.__dict__.update(self.__dict__, field=field)
        return renamed


class UnknownIdError(InputError):
    """An id that no catalog entry has; lists close matches."""

    def __init__(self, kind: str, value: str, known: list[str], close: list[str]) -> None:
        hint = f"did you mean {', '.join(close)}?" if close else f"known ids: {', '.join(sorted(known))}"
        super().__init__(kind, value, hint)
        self.close = close

    def __str__(self) -> str:
        return f"{self.field}: unknown id {self.value!r}; {self.allowed}"
