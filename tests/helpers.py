"""Small helpers shared by the tests (imported as ``from helpers import ...``)."""

from pathlib import Path


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (which must occur exactly once) in a file; return the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"test set-up: {old!r} occurs {text.count(old)} times"
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line
