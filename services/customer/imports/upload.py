"""Receiving a multipart upload as a stream: file parts go straight to disk, under a size limit.

The body is parsed chunk by chunk as it arrives (python-multipart's push parser), so an upload of
any size takes the memory of one chunk; past the limit the upload stops and its files are deleted.
"""

import logging
import re
import uuid
from dataclasses import dataclass, field
from io import BufferedWriter
from pathlib import Path
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from services.kit.errors import BadRequest, Problem

log = logging.getLogger("patron.customer.imports")

MAX_FIELD_BYTES = 64 * 1024
# A stored file's name keeps at most this many characters (the end, with its extension, kept): a
# file system refuses names past 255 bytes, and a refusal would name the storage folder.
MAX_NAME_CHARACTERS = 100
# The name a job reports (the client's own, without folders) is shortened the same way.
MAX_ORIGINAL_CHARACTERS = 200


class PayloadTooLarge(Problem):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(Problem):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


@dataclass
class Upload:
    directory: Path
    fields: dict[str, str] = field(default_factory=dict)
    files: list[tuple[str, Path]] = field(default_factory=list)


def shortened(name: str, limit: int) -> str:
    """``name`` cut to ``limit`` characters, its start and its extension kept: ``long…name.csv``."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        return name[: limit - 1] + "…"
    return stem[: limit - len(extension) - 2] + "…." + extension


def _safe_name(filename: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(filename.replace("\\", "/")).name).strip("._") or "upload.csv"
    base = shortened(base, MAX_NAME_CHARACTERS).replace("…", "_")
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{n}-{base}"
    taken.add(name)
    return name


async def receive_upload(request: Request, *, directory: Path, max_bytes: int) -> Upload:
    """Store every file part of a ``multipart/form-data`` body under a new folder of ``directory``."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or b"boundary" not in params:
        raise UnsupportedMediaType("send the files as multipart/form-data")
    limit_text = f"the upload is larger than the limit of {max_bytes} bytes"
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(limit_text, limit=max_bytes)
    upload = Upload(directory / uuid.uuid4().hex)
    upload.directory.mkdir(parents=True)
    taken: set[str] = set()
    state: dict[str, Any] = {"headers": {}, "field": b"", "header": b"", "value": b""}
    current: dict[str, Any] = {}

    def on_part_begin() -> None:
        state["headers"] = {}
        state["header"] = state["value"] = b""

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["header"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["value"] += data[start:end]

    def on_header_end() -> None:
        state["headers"][state["header"].decode("latin-1").lower()] = state["value"]
        state["header"] = state["value"] = b""

    def on_headers_finished() -> None:
        _, disposition = parse_options_header(state["headers"].get("content-disposition", b""))
        name = disposition.get(b"name", b"").decode("utf-8", "replace")
        filename = disposition.get(b"filename")
        current.clear()
        current["name"] = name
        if filename is not None:
            original = filename.decode("utf-8", "replace")
            path = upload.directory / _safe_name(original, taken)
            current["file"] = path.open("wb")
            current["path"] = path
            given = Path(original.replace("\\", "/")).name or path.name
            current["original"] = shortened(given, MAX_ORIGINAL_CHARACTERS)
        else:
            current["value"] = b""

    def on_part_data(data: bytes, start: int, end: int) -> None:
        stream: BufferedWriter | None = current.get("file")
        if stream is not None:
            stream.write(data[start:end])
            return
        current["value"] += data[start:end]
        if len(current["value"]) > MAX_FIELD_BYTES:
            raise BadRequest(f"form field {current['name']!r} is longer than {MAX_FIELD_BYTES} bytes")

    def on_part_end() -> None:
        stream: BufferedWriter | None = current.get("file")
        if stream is not None:
            stream.close()
            upload.files.append((current["original"], current["path"]))
        elif "value" in current:
            upload.fields[current["name"]] = current["value"].decode("utf-8", "replace")
        current.clear()

    parser = MultipartParser(
        params[b"boundary"],
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > max_bytes:
                raise PayloadTooLarge(limit_text, limit=max_bytes)
            parser.write(chunk)
        parser.finalize()
    except Problem:
        _discard(upload, current)
        raise
    except Exception as exc:
        _discard(upload, current)
        # The reason's kind only: an operating system's message names the storage path.
        log.info("multipart body refused", extra={"error": repr(exc)})
        raise BadRequest(f"the multipart body cannot be read ({type(exc).__name__})") from None
    return upload


def _discard(upload: Upload, current: dict[str, Any]) -> None:
    import shutil

    stream = current.get("file")
    if stream is not None:
        stream.close()
    shutil.rmtree(upload.directory, ignore_errors=True)
