"""Renders the page from the model (jinja2, Debian's python3-jinja2) and writes it without ever
leaving a half-written file: a temporary file in the same directory, renamed into place."""

import os
import tempfile
from pathlib import Path

import jinja2

from . import provenance, throughput

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def si(value):
    """12345678 -> '12.3M': three significant figures with an SI suffix."""
    for factor, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:.3g}{suffix}"
    return f"{value:.3g}"


def page(results):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["si"] = si
    preset = results.env.get("preset") or {}
    return env.get_template("report.html.j2").render(
        title=results.directory.name,
        warnings=provenance.warnings(results),
        provenance=provenance.rows(results),
        repetitions=preset.get("repetitions", "?"),
        tables=throughput.tables(results),
        files=results.files,
    )


def write_atomically(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".partial-", suffix=".html", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
