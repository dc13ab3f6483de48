"""From uploaded files to clean staging records: which file is which, a profiling pass, then clean batches.

Runs in a worker thread (it is CPU work); the job feeds each batch to the loader in the event loop.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from services.customer.imports.cleaning import (
    DateEvidence,
    DateFormat,
    DateOrder,
    Rejected,
    detect_date_format,
    normalise_email,
    parse_bool,
    parse_channel,
    parse_currency,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_gender,
    parse_int,
    parse_money,
    trim,
)
from services.customer.imports.loader import RoleLoader
from services.customer.imports.presets import ColumnSpec, FileSpec, Kind, Preset, header_key
from services.customer.imports.profile import ColumnProfile
from services.customer.imports.reader import FileLayout, FileProblem, read_layout, rows

T = TypeVar("T")

MAX_REJECTIONS_LISTED = 1000
PROFILE_CHUNK = 4096


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass(frozen=True)
class PlannedFile:
    name: str
    path: Path
    role: str
    layout: FileLayout
    fields: dict[str, int]  # field -> column index
    unmapped: list[tuple[int, str]]  # kept as custom attributes

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "role": self.role,
            "size": self.path.stat().st_size,
            "encoding": self.layout.encoding,
            "bom": self.layout.bom,
            "delimiter": self.layout.delimiter,
            "header": self.layout.header,
        }

    @classmethod
    def from_description(cls, preset: Preset, data: dict[str, Any], mapping: dict[str, str]) -> "PlannedFile":
        layout = FileLayout(data["encoding"], data["bom"], data["delimiter"], list(data["header"]))
        spec = preset.spec(data["role"])
        fields, unmapped, _ = match_columns(spec, layout.header, mapping)
        return cls(data["name"], Path(data["path"]), data["role"], layout, fields, unmapped)


# Each simple kind of column: how its raw text is cleaned, and the name its changes are counted under.
_CLEANERS: dict[Kind, tuple[Callable[[str], tuple[Any, bool]], str]] = {
    Kind.TEXT: (trim, "trimmed"),
    Kind.EMAIL: (normalise_email, "email_normalised"),
    Kind.MONEY: (parse_money, "money_parsed"),
    Kind.DECIMAL: (parse_decimal, "trimmed"),
    Kind.INT: (parse_int, "trimmed"),
    Kind.CURRENCY: (parse_currency, "currency_normalised"),
    Kind.BOOL: (parse_bool, "boolean_normalised"),
    Kind.CHANNEL: (parse_channel, "trimmed"),
    Kind.GENDER: (parse_gender, "gender_normalised"),
}


class PlanProblem(ValueError):
    """Files that cannot make an import: each entry names the file and what is wrong."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message, _ in problems))
        self.problems = problems


def match_columns(
    spec: FileSpec, header: Sequence[str], mapping: dict[str, str]
) -> tuple[dict[str, int], list[tuple[int, str]], list[str]]:
    """Column index of each field, the unmapped columns, and the required columns that are missing."""
    renamed = {header_key(source): header_key(target) for source, target in mapping.items()}
    wanted: dict[str, ColumnSpec] = {}
    for column in spec.columns:
        wanted[header_key(column.header)] = column
        wanted.setdefault(header_key(column.field), column)
    fields: dict[str, int] = {}
    unmapped: list[tuple[int, str]] = []
    for index, name in enumerate(header):
        key = renamed.get(header_key(name), header_key(name))
        found = wanted.get(key)
        if found is None or found.field in fields:
            unmapped.append((index, name))
        else:
            fields[found.field] = index
    missing = [column.header for column in spec.columns if column.required and column.field not in fields]
    return fields, unmapped, missing


def detect_role(preset: Preset, header: Sequence[str], mapping: dict[str, str]) -> str:
    """The role of a file, from its header alone (its name says nothing: ``orders_2019.csv`` is a sales file).

    Each role matches some of the header's columns. A role whose matched columns are only part of
    another role's is not the file's (a sales file's ``StoreKey`` does not make it a stores file,
    nor does a bills file missing a column make it a customers file for its ``customer_ref``).
    Of the roles left, the one whose required columns are all there is the file's. Raises
    ``FileProblem`` naming the roles the file could be when none of them fits, or two do.
    """
    if len(preset.files) == 1:
        return preset.files[0].role
    matched: dict[str, set[int]] = {}
    missing: dict[str, list[str]] = {}
    for spec in preset.files:
        fields, _, lacking = match_columns(spec, header, mapping)
        if fields:
            matched[spec.role], missing[spec.role] = set(fields.values()), lacking
    candidates = [
        role
        for role, columns in matched.items()
        if not any(columns < others for other, others in matched.items() if other != role)
    ]
    fitting = [role for role in candidates if not missing[role]]
    if len(fitting) == 1:
        return fitting[0]
    if fitting:
        raise FileProblem(
            f"its header fits {len(fitting)} of the {preset.name} files: {' and '.join(fitting)}; "
            "leave out or rename (mapping) the columns of the ones it is not",
            "ambiguous_file",
        )
    if len(candidates) == 1:
        role = candidates[0]
        raise FileProblem(f"misses required column(s) {', '.join(missing[role])} of the {role} file", "missing_columns")
    if candidates:
        could = " or ".join(f"the {role} file (it misses {', '.join(missing[role])})" for role in candidates)
        raise FileProblem(f"fits none of the {preset.name} files: it could be {could}", "missing_columns")
    roles = ", ".join(spec.role for spec in preset.files)
    raise FileProblem(f"is none of the {preset.name} files ({roles})", "unknown_file")


def plan_files(
    preset: Preset, uploads: Sequence[tuple[str, Path]], mapping: dict[str, str]
) -> tuple[list[PlannedFile], list[dict[str, str]]]:
    """Give each uploaded file its role and read its layout; refuse the whole upload if one is unusable."""
    planned: list[PlannedFile] = []
    skipped: list[dict[str, str]] = []
    problems: list[tuple[str, str, str]] = []
    if not uploads:
        raise PlanProblem([("file", "no file was uploaded", "missing")])
    for name, path in uploads:
        if header_key(Path(name).stem) in preset.ignored:
            skipped.append({"name": name, "reason": f"not part of the {preset.name} data; skipped"})
            continue
        try:
            layout = read_layout(path)
        except FileProblem as exc:
            problems.append((name, str(exc), exc.code))
            continue
        try:
            role = detect_role(preset, layout.header, mapping)
        except FileProblem as exc:
            problems.append((name, str(exc), exc.code))
            continue
        spec = preset.spec(role)
        fields, unmapped, missing = match_columns(spec, layout.header, mapping)
        if missing:
            problems.append(
                (name, f"misses required column(s) {', '.join(missing)} of the {role} file", "missing_columns")
            )
            continue
        planned.append(PlannedFile(name, path, role, layout, fields, unmapped))
    if problems:
        raise PlanProblem(problems)
    order = [spec.role for spec in preset.files]
    planned.sort(key=lambda item: order.index(item.role))
    return planned, skipped


@dataclass
class Inspection:
    rows: int
    profiles: list[ColumnProfile]
    date_formats: dict[str, DateFormat]


def inspect(planned: PlannedFile, spec: FileSpec, default_order: DateOrder) -> Inspection:
    """The profiling pass: row count, column profiles and each date column's format."""
    header = planned.layout.header
    profiles = [ColumnProfile(name) for name in header]
    kinds = {column.field: column.kind for column in spec.columns}
    dated = [
        (field_name, index, DateEvidence())
        for field_name, index in planned.fields.items()
        if kinds[field_name] in (Kind.DATE, Kind.DATETIME)
    ]
    count = 0
    width = len(header)
    padding = [""] * width
    # Column by column, a chunk of rows at a time: the per-value work runs in tight loops.
    for chunk in chunked((cells for _, cells in rows(planned.path, planned.layout)), PROFILE_CHUNK):
        count += len(chunk)
        aligned = (cells if len(cells) == width else (cells + padding)[:width] for cells in chunk)
        columns = list(zip(*aligned, strict=True))
        for profile, values in zip(profiles, columns, strict=True):
            profile.add_many(values)
        for _, index, evidence in dated:
            evidence.add_many(columns[index])
    formats: dict[str, DateFormat] = {}
    for field_name, index, evidence in dated:
        try:
            formats[field_name] = detect_date_format(evidence, default=default_order)
        except Rejected as exc:
            raise FileProblem(f"column {header[index]!r} {exc}", "date_format") from None
    for profile in profiles:
        profile.prepare_outliers()
    return Inspection(count, profiles, formats)


@dataclass
class CleaningTally:
    """Changes per column, counted for the report: ``{"Unit Price USD": {"money_parsed": 2517}}``."""

    columns: dict[str, dict[str, int]] = field(default_factory=dict)

    def note(self, column: str, change: str) -> None:
        counts = self.columns.setdefault(column, {})
        counts[change] = counts.get(change, 0) + 1

    def absorb(self, other: "CleaningTally") -> None:
        for column, changes in other.columns.items():
            counts = self.columns.setdefault(column, {})
            for change, count in changes.items():
                counts[change] = counts.get(change, 0) + count


class RowRejected(ValueError):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


class RowCleaner:
    """Turns one row's cells into typed field values, counting every change it makes.

    A bad value in a required or strict column rejects the row; in another column it is left empty
    and listed in ``emptied`` (header, reason) for the row just cleaned, to be reported if the row
    is taken.
    """

    def __init__(self, planned: PlannedFile, spec: FileSpec, formats: dict[str, DateFormat], zone: tzinfo) -> None:
        header = planned.layout.header
        by_field = {column.field: column for column in spec.columns}
        self.width = len(header)
        self.columns = [
            (by_field[name], index, header[index])
            for name, index in sorted(planned.fields.items(), key=lambda item: item[1])
        ]
        self.headers = {column.field: name for column, _, name in self.columns}
        self.lenient = {column.field for column, _, _ in self.columns if not (column.required or column.strict)}
        self.unmapped = planned.unmapped
        self.formats = formats
        self.zone = zone
        self.tally = CleaningTally()
        self.emptied: list[tuple[str, str]] = []

    def clean(self, cells: list[str]) -> dict[str, Any]:
        self.emptied = []
        if len(cells) > self.width:
            raise RowRejected("", f"the row has {len(cells)} cells but the header names {self.width} columns")
        values: dict[str, Any] = {}
        for column, index, header in self.columns:
            raw = cells[index] if index < len(cells) else ""
            try:
                value = self._value(column, header, raw)
            except Rejected as exc:
                if column.field not in self.lenient:
                    raise RowRejected(header, str(exc)) from None
                self.emptied.append((header, str(exc)))
                value = None
            if value is None and column.required:
                raise RowRejected(header, "missing value")
            values[column.field] = value
        if self.unmapped:
            extra = {}
            for index, name in self.unmapped:
                if index < len(cells):
                    text, _ = trim(cells[index])
                    if text is not None:
                        extra[name] = text
            values["attributes"] = extra
        return values

    def prepare(self, loader: RoleLoader, row: int, values: dict[str, Any]) -> tuple[Any, ...] | str:
        """The loader's staging record of a cleaned row; a value it refuses in a lenient column is emptied."""
        while True:
            try:
                return loader.prepare(row, values)
            except Rejected as exc:
                field_name = exc.field
                if field_name not in self.lenient or values.get(field_name) is None:
                    column = self.headers.get(field_name, "") if field_name else ""
                    raise RowRejected(column, str(exc)) from None
                self.emptied.append((self.headers[field_name], str(exc)))
                values[field_name] = None

    def _value(self, column: ColumnSpec, header: str, raw: str) -> Any:
        kind = column.kind
        tally = self.tally
        cleaner = _CLEANERS.get(kind)
        if cleaner is not None:
            parse, change = cleaner
            value, changed = parse(raw)
            if changed and value is not None:
                tally.note(header, change)
            return value
        order = self.formats[column.field].order
        if kind is Kind.DATE:
            day = parse_date(raw, order)
            if day is not None:
                tally.note(header, "date_parsed")
            return day
        stamp, localised = parse_datetime(raw, order, self.zone)
        if stamp is not None:
            tally.note(header, "datetime_parsed")
            if localised:
                tally.note(header, "naive_time_in_business_zone")
        return stamp


@dataclass
class Batch:
    records: list[tuple[Any, ...]] = field(default_factory=list)
    rejections: list[tuple[int, str, str]] = field(default_factory=list)
    emptied: list[tuple[int, str, str]] = field(default_factory=list)  # bad values of optional columns, left empty
    skipped: dict[str, int] = field(default_factory=dict)
    cleaning: CleaningTally = field(default_factory=CleaningTally)  # the changes made to this batch's rows
    rows: int = 0


def batches(
    planned: PlannedFile,
    spec: FileSpec,
    cleaner: RowCleaner,
    loader: RoleLoader,
    profiles: list[ColumnProfile],
    batch_rows: int,
) -> Iterator[Batch]:
    """Clean batches of about ``batch_rows`` rows; a group (an order's lines) never spans two batches.

    A row rejected here takes the other rows of its group with it, so no bill is loaded in part.
    Each batch carries its own cleaning counts, so a batch can be cleaned while the one before it
    is being loaded.
    """
    group_index = planned.fields.get(spec.group_field) if spec.group_field else None
    checked = [(index, profile) for index, profile in enumerate(profiles) if profile.fences is not None]
    batch = Batch()
    cleaner.tally = batch.cleaning
    group_key: str | None = None
    group_start = 0
    group_rejected_at: int | None = None
    group_rows: list[int] = []
    for row, cells in rows(planned.path, planned.layout):
        key = cells[group_index].strip() if group_index is not None and group_index < len(cells) else None
        if group_index is None or key != group_key:
            if len(batch.records) + len(batch.rejections) >= batch_rows:
                yield batch
                batch = Batch()
                cleaner.tally = batch.cleaning
            group_key, group_start, group_rejected_at, group_rows = key, len(batch.records), None, []
        batch.rows += 1
        for index, profile in checked:
            if index < len(cells):
                profile.check_outlier(cells[index], row)
        if group_rejected_at is not None:
            batch.rejections.append(
                (row, spec.columns[0].header, f"order {key} is rejected with its row {group_rejected_at}")
            )
            continue
        try:
            prepared = cleaner.prepare(loader, row, cleaner.clean(cells))
        except RowRejected as exc:
            batch.rejections.append((row, exc.column, exc.reason))
            prepared = None
            failed = True
        else:
            failed = False
        if failed:
            if key is not None:
                group_rejected_at = row
                # Take back the group's rows already accepted in this batch, and what was emptied in them.
                del batch.records[group_start:]
                taken_back = set(group_rows)
                for earlier, header, _ in batch.emptied:
                    if earlier in taken_back:
                        batch.cleaning.columns[header]["invalid_emptied"] -= 1
                batch.emptied = [entry for entry in batch.emptied if entry[0] not in taken_back]
                batch.rejections.extend(
                    (earlier, spec.columns[0].header, f"order {key} is rejected with its row {row}")
                    for earlier in group_rows
                )
            continue
        if isinstance(prepared, str):
            batch.skipped[prepared] = batch.skipped.get(prepared, 0) + 1
            continue
        assert prepared is not None
        batch.records.append(prepared)
        group_rows.append(row)
        for header, reason in cleaner.emptied:
            batch.emptied.append((row, header, reason))
            batch.cleaning.note(header, "invalid_emptied")
    if batch.rows:
        yield batch
