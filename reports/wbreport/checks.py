"""What well-formed input is, said once for every file the report reads.

A hostile or damaged file is still JSON: a counter may be a string, null, NaN or Infinity (Python's
json accepts both), negative or a boolean (an int in Python), an env.json field an object where
text belongs, a file name an absolute path. Read as they come, these crashed deep inside a section
with a traceback, or were believed; checked here on loading, they stop the report with a
ReportError naming the file and the place in it.

A shape is str or bool (that type exactly), a Number, FILE_NAME, a dict (an object with those
fields; a field is required unless its shape is Maybe), a one-element list (a list of that shape),
Maybe (missing or null allowed) or Each (an object whose every value has that shape). Fields a
shape does not name are not checked: the report does not read them.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .errors import ReportError


@dataclass(frozen=True)
class Number:
    """A finite number of 0 or more (nothing the report reads can be negative: a rate, a time, a count);
    positive: more than 0, for a rate or time the report divides by."""

    positive: bool = False
    integer: bool = False

    def problem(self, value):
        """Why value is not such a number, or None."""
        # bool is an int in Python (isinstance(True, int) holds): true would count as 1.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"is {describe(value)}, expected a number"
        if not math.isfinite(value):
            return f"is {describe(value)}, expected a finite number"
        if self.integer and not isinstance(value, int):
            return f"is {describe(value)}, expected a whole number"
        if value < 0:
            return f"is {describe(value)}, expected a number of 0 or more"
        if self.positive and value == 0:
            return "is 0, and a benchmark that ran cannot have measured nothing"
        return None


AMOUNT = Number()
COUNT = Number(integer=True)
POSITIVE = Number(positive=True)


@dataclass(frozen=True)
class FileName:
    """A file of the results directory named in one of its documents: a plain name, so that it cannot
    lead the report to any other file on the machine (an absolute path, ../)."""

    def problem(self, value):
        if not isinstance(value, str):
            return f"is {describe(value)}, expected text"
        if value in ("", ".", "..") or "/" in value or "\0" in value:
            return f"is {describe(value)}, expected a plain file name in the results directory"
        return None


FILE_NAME = FileName()


def inside(directory, name, path, where, hint):
    """directory / name, for a name of FILE_NAME's shape; refused if that is a link leading out of directory."""
    target = Path(directory) / name
    if target.exists() and target.resolve().parent != Path(directory).resolve():
        raise ReportError(path, f"'{where}' names '{name}', a link out of the results directory", hint)
    return target


@dataclass(frozen=True)
class Maybe:
    """A field that may be missing or null (the report then says "unknown" or "not recorded")."""

    shape: object


@dataclass(frozen=True)
class Each:
    """An object of any keys whose every value has this shape (env.json's runs, packages)."""

    shape: object


def describe(value):
    """A value as it reads in the JSON, for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, str):
        return f"the text {json.dumps(value)[:60]}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _field(where, key):
    return f"{where}.{key}" if where else str(key)


def problem(value, shape, where=""):
    """(where, what is wrong) for the first part of value without its shape, or None if it has it."""
    if isinstance(shape, Maybe):
        return None if value is None else problem(value, shape.shape, where)
    if isinstance(shape, (Number, FileName)):
        wrong = shape.problem(value)
        return (where, wrong) if wrong else None
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return where, f"is {describe(value)}, expected an object"
        for key, inner in shape.items():
            if key not in value and not isinstance(inner, Maybe):
                return _field(where, key), "is missing"
            found = problem(value.get(key), inner, _field(where, key))
            if found:
                return found
        return None
    if isinstance(shape, Each):
        if not isinstance(value, dict):
            return where, f"is {describe(value)}, expected an object"
        return next((found for key, item in value.items() if (found := problem(item, shape.shape, _field(where, key)))), None)
    if isinstance(shape, list):
        if not isinstance(value, list):
            return where, f"is {describe(value)}, expected a list"
        return next((found for i, item in enumerate(value) if (found := problem(item, shape[0], f"{where}[{i}]"))), None)
    if not isinstance(value, shape):
        return where, f"is {describe(value)}, expected {'text' if shape is str else 'true or false'}"
    return None


def check(value, shape, path, hint, where="", within=None):
    """value, if it has shape; else a ReportError naming path, the place in it (where: the field's name;
    within: what the field belongs to, such as a benchmark) and what is wrong there."""
    found = problem(value, shape, where)
    if found:
        place, wrong = found
        place = f"'{place}'" if place else "the document"
        raise ReportError(path, f"{place}{f' of {within}' if within else ''} {wrong}", hint)
    return value
