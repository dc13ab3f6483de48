"""The command line's side of imports: upload files through the gateway and follow the job."""

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import httpx2


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the CSV files in it."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file()))
        else:
            files.append(path)
    return files


class _Counting:
    """A binary file that reports how many bytes have been read from it (for the upload bar)."""

    def __init__(self, stream: IO[bytes], advance: Callable[[int], None]) -> None:
        self._stream = stream
        self._advance = advance

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._advance(len(data))
        return data

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.read(64 * 1024):
            yield chunk

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()


class ImportFailed(RuntimeError):
    pass


def problem(response: httpx2.Response) -> str:
    """A problem reply as a person reads it (title, status, detail, the fields at fault)."""
    return _problem(response)


def _problem(response: httpx2.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: {response.text[:500]}"
    lines = [f"{body.get('title', 'error')} ({response.status_code}): {body.get('detail', '')}"]
    lines += [f"  {e.get('field')}: {e.get('message')}" for e in body.get("errors", [])]
    if response.status_code == 401:
        lines.append("  run `patron sign-in` again (or check PATRON_ACCESS_TOKEN)")
    return "\n".join(lines)


def upload(
    client: httpx2.Client,
    files: list[Path],
    *,
    preset: str,
    fields: dict[str, str],
    on_bytes: Callable[[int], None],
) -> dict[str, Any]:
    opened = [path.open("rb") for path in files]
    try:
        parts = [
            ("file", (path.name, _Counting(stream, on_bytes), "text/csv"))
            for path, stream in zip(files, opened, strict=True)
        ]
        response = client.post("/api/v1/imports", data={"preset": preset, **fields}, files=parts)  # type: ignore[arg-type]
    finally:
        for stream in opened:
            stream.close()
    if response.status_code != 202:
        raise ImportFailed(_problem(response))
    job: dict[str, Any] = response.json()
    return job


def follow(
    client: httpx2.Client, job_id: int, *, on_progress: Callable[[dict[str, Any]], None], poll: float = 0.5
) -> dict[str, Any]:
    """Poll the job until it is done or failed, reporting its progress each time."""
    while True:
        response = client.get(f"/api/v1/imports/{job_id}")
        if response.status_code != 200:
            raise ImportFailed(_problem(response))
        job: dict[str, Any] = response.json()
        on_progress(job)
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(poll)


def summary(job: dict[str, Any]) -> list[str]:
    """A few lines a person reads after an import."""
    report = job.get("report") or {}
    rows = report.get("rows", {})
    lines = [
        f"import {job['id']} ({job['preset']}): {job['state']}" + (f" - {job['error']}" if job.get("error") else ""),
        f"  progress: {job['progress']['rows_done']} of {job['progress']['rows_total']} rows",
        f"  rows read {rows.get('read', 0)}, accepted {rows.get('accepted', 0)}, "
        f"skipped {rows.get('skipped', 0)}, rejected {rows.get('rejected', 0)}",
    ]
    counts = (
        ("created", "created"),
        ("updated", "updated"),
        ("already present", "already_present"),
        ("merged", "merged"),
    )
    for label, key in counts:
        if report.get(key):
            lines.append(f"  {label}: " + ", ".join(f"{k} {v}" for k, v in sorted(report[key].items())))
    events = report.get("events")
    if isinstance(events, dict):
        waiting = f"not all published yet ({events.get('unsent')} events wait in the outbox)"
        published = {True: "all published", False: waiting, None: "publishing"}
        lines.append(f"  events announced: {events.get('announced', 0)}, {published[events.get('published')]}")
    for file in report.get("files", []):
        lines.append(f"  {file['name']}: {file['role']}, {file['encoding']}, delimiter {file['delimiter']!r}")
    for skipped in report.get("skipped_files", []):
        lines.append(f"  skipped file {skipped['name']}: {skipped['reason']}")
    for warning in report.get("warnings", []):
        lines.append(f"  warning: {warning}")
    rejected = report.get("rejected", {})
    for row in rejected.get("rows", [])[:10]:
        lines.append(f"  rejected {row['file']} row {row['row']} {row['column']}: {row['reason']}")
    if rejected.get("count", 0) > 10:
        lines.append(f"  ... {rejected['count'] - 10} more rejected rows (see `patron imports show {job['id']}`)")
    emptied = report.get("emptied", {})
    for value in emptied.get("values", [])[:10]:
        lines.append(f"  emptied {value['file']} row {value['row']} {value['column']}: {value['reason']}")
    if emptied.get("count", 0) > 10:
        lines.append(f"  ... {emptied['count'] - 10} more emptied values (see `patron imports show {job['id']}`)")
    return lines
