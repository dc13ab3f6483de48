"""Reading an uploaded CSV as a stream: its encoding, delimiter and header, then its rows in order.

Nothing here holds a whole file: encoding detection decodes it in chunks, and rows are produced one
at a time from a text stream, so memory stays the same whatever the size of the file.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20
SNIFF_BYTES = 64 * 1024
DELIMITERS = ",;\t|"

csv.field_size_limit(1 << 24)


class FileProblem(ValueError):
    """A file that cannot be imported at all (nothing of it is written); the message says why."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FileLayout:
    encoding: str  # the Python codec: utf-8, utf-8-sig or cp1252
    bom: bool
    delimiter: str
    header: list[str]

    @property
    def encoding_name(self) -> str:
        return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}[self.encoding]


def _utf8_or_cp1252(path: Path) -> str:
    """UTF-8 if every byte decodes as UTF-8, else Windows-1252 if every byte is defined there."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    utf8_ok, offset = True, 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            if b"\x00" in chunk:
                raise FileProblem(
                    "the file holds NUL bytes: it is binary or UTF-16/32, not a CSV text file", "encoding"
                )
            if utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            try:
                cp1252.decode(chunk)
            except UnicodeDecodeError as exc:
                if not utf8_ok:
                    raise FileProblem(
                        f"the file is neither UTF-8 nor Windows-1252 (byte 0x{chunk[exc.start]:02x} "
                        f"at offset {offset + exc.start})",
                        "encoding",
                    ) from None
            offset += len(chunk)
        if utf8_ok:
            try:
                utf8.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                pass
    return "cp1252"


def detect_encoding(path: Path) -> tuple[str, bool]:
    """The codec that reads the whole file, and whether it starts with a UTF-8 byte-order mark."""
    with path.open("rb") as stream:
        head = stream.read(4)
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise FileProblem("the file is UTF-32; save it as UTF-8 or Windows-1252", "encoding")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem("the file is UTF-16; save it as UTF-8 or Windows-1252", "encoding")
    if head.startswith(codecs.BOM_UTF8):
        encoding = _utf8_or_cp1252(path)
        if encoding != "utf-8":
            raise FileProblem("the file starts with a UTF-8 byte-order mark but is not valid UTF-8", "encoding")
        return "utf-8-sig", True
    return _utf8_or_cp1252(path), False


def sniff_delimiter(sample: str) -> str:
    """The delimiter of the header line: the candidate it holds most often (a comma if none)."""
    first_line = sample.splitlines()[0] if sample else ""
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: first_line.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(path.open("rb", buffering=CHUNK), encoding=encoding, newline="")


def read_layout(path: Path, *, encoding: str | None = None, bom: bool = False) -> FileLayout:
    """Encoding (detected unless given), delimiter and header of a file; refuses an unusable header."""
    if path.stat().st_size == 0:
        raise FileProblem("the file is empty", "empty")
    if encoding is None:
        encoding, bom = detect_encoding(path)
    with open_text(path, encoding) as text:
        sample = text.read(SNIFF_BYTES)
    if not sample.strip():
        raise FileProblem("the file is empty", "empty")
    delimiter = sniff_delimiter(sample)
    with open_text(path, encoding) as text:
        header = next(csv.reader(text, delimiter=delimiter), [])
    header = [name.strip() for name in header]
    if not any(header):
        raise FileProblem("the first line, the header, is empty", "header")
    blank = [str(i + 1) for i, name in enumerate(header) if not name]
    if blank:
        raise FileProblem(f"the header has no name for column(s) {', '.join(blank)}", "header")
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        key = name.casefold()
        if key in seen:
            raise FileProblem(
                f"the header names column {name!r} twice (columns {seen[key] + 1} and {index + 1})", "duplicate_header"
            )
        seen[key] = index
    return FileLayout(encoding=encoding, bom=bom, delimiter=delimiter, header=header)


def rows(path: Path, layout: FileLayout) -> Iterator[tuple[int, list[str]]]:
    """(line number of the row's start, cells) for every data row; blank lines are skipped."""
    with open_text(path, layout.encoding) as text:
        reader = csv.reader(text, delimiter=layout.delimiter)
        next(reader, None)
        line = 2
        for cells in reader:
            if cells and any(cells):
                yield line, cells
            line = reader.line_num + 1
