"""Small helpers shared by the tests (imported as ``from helpers import ...``)."""

from pathlib import Path


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (which must occur exactly once) in a file; return the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"test set-up: {old!r} occurs {text.count(old)} times"
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def texts(doc, footer: bool = True) -> list[str]:
    """Every string a reader sees in a report document, in order, as plain text."""
    from study.report.document import Figure, Paragraph, Table, plain

    out = []
    for b in doc.front:
        out += [b.lead, b.text, *b.items]
    for s in doc.sections:
        out.append(s.title)
        for b in s.blocks:
            if isinstance(b, Paragraph):
                out += [b.lead, b.text, *b.items]
            elif isinstance(b, Table):
                out += [b.title, *b.notes, *[c.text for row in [*b.head, *b.body] for c in row]]
                out += [b.reading or "", b.formula or ""]
            elif isinstance(b, Figure):
                out += [b.title, *b.notes]
    if footer:
        out.append(getattr(doc, "footer", "") or "")
    return [plain(x) for x in out if x]
