"""The structure of a delimited text file (CSV/TSV), found before pandas reads it: where each record
starts (its line number in the file), how many fields it has, which lines are blank, and where a double
quote opens a text that swallows whole rows.

pandas' reader, given ``usecols``, neither checks the number of fields of a row (a decimal comma such as
``10,5`` shifts the values of that row into the wrong columns without a word) nor tells which line a row
came from (blank lines are skipped, quoted texts may span lines). This scan answers both in one pass
over the bytes, vectorised with numpy, block by block, so that its cost is linear in the size of the file
(about a tenth of a second per 100 MB) and its memory bounded by the block size.

The rules are those of pandas' C tokenizer (``quotechar='"'``, ``doublequote=True``, no escape character,
``skip_blank_lines=True``): a record ends at ``\\n``, ``\\r\\n`` or a lone ``\\r`` outside quotes; a double
quote opens a quoted field only at the start of a field, and inside one ``""`` is a quote and ``"``
followed by anything else closes it; a line of nothing but spaces and tabs (other than the delimiter) is
blank and skipped. ``tests/test_intake_faults.py`` checks the scan against pandas on random files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

_BLOCK = 1 << 22  # bytes per block
_MAX_QUOTED_LINES = 10_000  # a quoted text spanning more lines than this is a stray quote
QUOTE, LF, CR, SPACE, TAB = 34, 10, 13, 32, 9


class QuoteNeverCloses(Exception):
    """A double quote at the start of a field opens a text that does not close (line: where it opens)."""

    def __init__(self, line: int, lines: int | None = None):
        super().__init__(line)
        self.line = line
        self.lines = lines  # None: it runs to the end of the file; else: the number of lines it spans


@dataclass
class Records:
    """Every non-blank record of the file, in order (the first is the header or a title line)."""

    lines: np.ndarray  # the 1-based line on which each record starts
    fields: np.ndarray  # its number of fields
    trailing_delimiter: np.ndarray  # bool: its last field is empty because the line ends with the delimiter
    blank_lines: np.ndarray  # 1-based lines skipped as blank
    n_lines: int  # physical lines in the file
    lf_ends: int = 0  # records ended by \n or \r\n
    cr_ends: int = 0  # records ended by a lone \r (old Mac files)
    first_cr_line: int | None = None  # the first line ended by a lone \r
    # quoted texts that run over several lines: (first line, last line, the text)
    multiline: list[tuple[int, int, bytes]] = field(default_factory=list)


def _terminators(a: np.ndarray) -> np.ndarray:
    """Positions of record terminators: each ``\\n``, and each ``\\r`` not followed by ``\\n``."""
    lf = np.flatnonzero(a == LF)
    cr = np.flatnonzero(a == CR)
    if len(cr):
        after = cr + 1
        lone = cr[(after >= len(a)) | (a[np.minimum(after, len(a) - 1)] != LF)]
        if len(lone):
            return np.sort(np.concatenate([lf, lone]))
    return lf


def _quoted_spans(a: np.ndarray, delimiter: int, quotes: np.ndarray) -> tuple[np.ndarray, np.ndarray, int | None]:
    """The quoted fields of a block that starts at the start of a record: (opening quote positions,
    closing quote positions, position of a quote that never closes or None).

    The common case, well-formed quoting, is settled with numpy: every quote toggles; each opening quote
    must stand at the start of a field and each closing quote be followed by a delimiter, a line end,
    another quote ("" inside a quoted field) or the end. Otherwise (a stray quote) the quotes are walked
    one by one as pandas' tokenizer reads them."""
    n = len(a)
    if len(quotes) % 2 == 0 and len(quotes):
        opening, closing = quotes[0::2], quotes[1::2]
        before = a[np.maximum(opening - 1, 0)]
        starts_field = ((opening == 0) | (before == delimiter) | (before == LF) | (before == CR)
                        | np.r_[False, closing[:-1] == opening[1:] - 1])  # "" closes and reopens: one quote
        after = a[np.minimum(closing + 1, n - 1)]
        ends_field = ((closing + 1 >= n) | (after == delimiter) | (after == LF) | (after == CR) | (after == QUOTE))
        if starts_field.all() and ends_field.all():
            return opening, closing, None
    opened, closed = [], []
    q = quotes.tolist()
    i, k = 0, len(q)
    while i < k:
        pos = q[i]
        if pos == 0 or a[pos - 1] in (delimiter, LF, CR):
            j = i + 1
            while j < k and j + 1 < k and q[j + 1] == q[j] + 1:
                j += 2  # "" inside a quoted field
            if j >= k:
                return np.array(opened, dtype=np.int64), np.array(closed, dtype=np.int64), pos
            opened.append(pos)
            closed.append(q[j])
            i = j + 1
        else:
            i += 1  # a quote inside an unquoted field is a character like any other
    return np.array(opened, dtype=np.int64), np.array(closed, dtype=np.int64), None


def scan_records(path, delimiter: str, transcode: str | None = None) -> Records:
    """Scan a delimited text file (see the module documentation).

    Parameters
    ----------
    path : Path
    delimiter : str
        One ASCII character.
    transcode : str, optional
        Decode each block from this encoding (and scan it as UTF-8): needed only where the delimiter byte
        may occur inside a multi-byte character (``|`` in GBK).

    Raises
    ------
    QuoteNeverCloses
    OSError
    """
    sep = ord(delimiter)
    lines_parts, fields_parts, trailing_parts, blank_parts = [], [], [], []
    multiline: list[tuple[int, int, bytes]] = []
    line = 1  # the line on which the next block starts
    pending = b""
    decoder = None
    ended_with_terminator = True
    lf_ends = cr_ends = 0
    first_cr_line = None
    if transcode:
        import codecs
        decoder = codecs.getincrementaldecoder(transcode)()
    with open(path, "rb") as handle:
        at_eof = False
        while not at_eof:
            data = handle.read(_BLOCK)
            if decoder is not None:
                data = decoder.decode(data, final=not data).encode("utf-8")
            at_eof = not data
            if at_eof and not pending:
                break
            if line == 1 and not pending and data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            buf = pending + data
            a = np.frombuffer(buf, dtype=np.uint8)
            terms = _terminators(a)
            if not at_eof:
                # a block ends after its last line end; a \r at the very end may be the first half of \r\n
                terms = terms[terms < len(a) - 1] if len(terms) and a[-1] == CR else terms
                if not len(terms):
                    pending = buf
                    continue
                cut = int(terms[-1]) + 1
            else:
                cut = len(a)
            a = a[:cut]
            terms = terms[terms < cut]
            quotes = np.flatnonzero(a == QUOTE) if buf.find(b'"', 0, cut) >= 0 else np.empty(0, dtype=np.int64)
            opening, closing, unclosed = _quoted_spans(a, sep, quotes)
            if unclosed is not None:
                start_line = line + int(np.searchsorted(terms, unclosed))
                if at_eof:
                    raise QuoteNeverCloses(start_line)
                spanned = len(terms) - int(np.searchsorted(terms, unclosed))
                if spanned > _MAX_QUOTED_LINES:
                    raise QuoteNeverCloses(start_line, spanned)
                pending = buf  # the quoted text goes on in the next block
                continue
            pending = buf[cut:]
            seps = np.flatnonzero(a == sep)
            if len(opening):
                # delimiters and line ends inside quoted fields do not count
                k = np.searchsorted(opening, terms, side="right") - 1
                real_terms = terms[~((k >= 0) & (terms < closing[np.maximum(k, 0)]))]
                k = np.searchsorted(opening, seps, side="right") - 1
                seps = seps[~((k >= 0) & (seps < closing[np.maximum(k, 0)]))]
                inner = np.searchsorted(terms, closing) - np.searchsorted(terms, opening)
                for o, c, m in zip(opening[inner > 0], closing[inner > 0], inner[inner > 0]):
                    first = line + int(np.searchsorted(terms, o))
                    multiline.append((first, first + int(m), bytes(a[o:c])))
            else:
                real_terms = terms
            if len(real_terms):
                lone = a[real_terms] == CR
                n_lone = int(lone.sum())
                if n_lone and first_cr_line is None:
                    first_cr_line = line + int(np.searchsorted(terms, real_terms[np.argmax(lone)]))
                cr_ends += n_lone
                lf_ends += len(real_terms) - n_lone
            ends = real_terms if (len(real_terms) and real_terms[-1] == cut - 1) else np.r_[real_terms, cut]
            starts = np.r_[0, ends[:-1] + 1]
            if at_eof and len(starts) and starts[-1] >= cut:  # no record after the last line end
                starts, ends = starts[:-1], ends[:-1]
            n_fields = np.searchsorted(seps, ends) - np.searchsorted(seps, starts) + 1
            start_lines = line + np.searchsorted(terms, starts)
            # the content of a record ends before its terminator (and before the \r of \r\n)
            content_end = ends.copy()
            has_cr = (content_end > starts) & (a[np.maximum(content_end - 1, 0)] == CR)
            content_end[has_cr] -= 1
            blank = np.zeros(len(starts), dtype=bool)
            maybe = np.flatnonzero(n_fields == 1)
            if len(maybe):
                white = bytes(b for b in (SPACE, TAB) if b != sep)
                for r in maybe:
                    s, e = int(starts[r]), int(content_end[r])
                    blank[r] = not bytes(a[s:e]).strip(white)
            last = a[np.maximum(content_end - 1, 0)]
            trailing = (content_end > starts) & (last == sep)
            keep = ~blank
            lines_parts.append(start_lines[keep])
            fields_parts.append(n_fields[keep])
            trailing_parts.append(trailing[keep])
            blank_parts.append(start_lines[blank])
            line += len(terms)
            ended_with_terminator = bool(len(terms)) and int(terms[-1]) == cut - 1
    concat = (lambda parts, dtype: np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype=dtype))
    n_lines = line - 1 + (0 if ended_with_terminator else 1)
    return Records(lines=concat(lines_parts, np.int64), fields=concat(fields_parts, np.int64),
                   trailing_delimiter=concat(trailing_parts, bool), blank_lines=concat(blank_parts, np.int64),
                   n_lines=max(n_lines, 0), multiline=multiline, lf_ends=lf_ends, cr_ends=cr_ends,
                   first_cr_line=first_cr_line)

