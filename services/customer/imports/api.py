"""HTTP routes for imports: upload files as a job, follow its progress, read its report."""

import asyncio
import json
from typing import Any

from fastapi import APIRouter, BackgroundTasks, FastAPI, Request, Response, status

from services.customer.imports import service
from services.customer.imports.cleaning import DateOrder
from services.customer.imports.pipeline import PlanProblem, plan_files
from services.customer.imports.presets import PRESETS
from services.customer.imports.schemas import (
    ImportJobPublic,
    ImportJobsPublic,
    ImportPresetPublic,
    ImportPresetsPublic,
    ImportState,
)
from services.customer.imports.upload import receive_upload
from services.kit.api import IdPath
from services.kit.db import SessionDep
from services.kit.errors import FieldError, InvalidInput
from services.kit.jobs import Scheduler
from services.kit.money import validate_currency
from services.kit.pagination import PageDep
from services.kit.principal import CurrentPrincipal


def import_settings(app: FastAPI) -> service.ImportSettings:
    return service.ImportSettings.of(app.state.settings)


router = APIRouter(prefix="/imports", tags=["imports"])

_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["preset", "file"],
                    "properties": {
                        "preset": {"type": "string", "enum": sorted(PRESETS)},
                        "file": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "minItems": 1,
                            "description": "One or more CSV files (UTF-8 with or without BOM, or Windows-1252).",
                        },
                        "currency": {"type": "string", "description": "Currency of amounts (minimal layout)."},
                        "date_order": {"type": "string", "enum": [order.value for order in DateOrder]},
                        "mapping": {
                            "type": "string",
                            "description": (
                                'JSON object renaming file columns to preset columns: {"Client": "client_id"}'
                            ),
                        },
                    },
                }
            }
        },
    }
}


def _options(fields: dict[str, str]) -> tuple[str, dict[str, Any]]:
    errors: list[FieldError] = []
    preset = fields.get("preset", "").strip()
    if preset not in PRESETS:
        errors.append(FieldError("body.preset", f"must be one of {', '.join(sorted(PRESETS))}", "unknown"))
    options: dict[str, Any] = {}
    if fields.get("currency"):
        try:
            options["currency"] = validate_currency(fields["currency"])
        except ValueError as exc:
            errors.append(FieldError("body.currency", str(exc), "currency"))
    if fields.get("date_order"):
        try:
            options["date_order"] = DateOrder(fields["date_order"].strip()).value
        except ValueError:
            allowed = ", ".join(order.value for order in DateOrder)
            errors.append(FieldError("body.date_order", f"must be one of {allowed}", "enum"))
    if fields.get("mapping"):
        try:
            mapping = json.loads(fields["mapping"])
            if not isinstance(mapping, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
            ):
                raise ValueError
            options["mapping"] = mapping
        except ValueError:
            errors.append(FieldError("body.mapping", "must be a JSON object of column names", "json"))
    if errors:
        raise InvalidInput("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)
    return preset, options


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ImportJobPublic,
    openapi_extra=_UPLOAD_BODY,
    responses={413: {"description": "The upload is larger than the configured limit."}},
)
async def create_import(
    request: Request,
    response: Response,
    background: BackgroundTasks,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> ImportJobPublic:
    """Upload files as an import job (multipart, streamed to storage); the job runs in the background."""
    settings = import_settings(request.app)
    upload = await receive_upload(request, directory=settings.directory, max_bytes=settings.max_bytes)
    try:
        preset, options = _options(upload.fields)
        planned, skipped = await asyncio.to_thread(
            plan_files, PRESETS[preset], upload.files, options.get("mapping") or {}
        )
    except PlanProblem as exc:
        service.discard_upload(upload.directory)
        errors = [FieldError(f"file.{name}", message, code) for name, message, code in exc.problems]
        raise InvalidInput(str(exc), errors=errors) from None
    except BaseException:
        service.discard_upload(upload.directory)
        raise
    if not planned:
        service.discard_upload(upload.directory)
        raise InvalidInput.field("file", f"none of the uploaded files is part of the {preset} data", "missing")
    job = await service.create_job(
        session, preset=preset, planned=planned, skipped=skipped, options=options, created_by=principal.subject
    )
    scheduler: Scheduler | None = getattr(request.app.state, "scheduler", None)
    if scheduler is not None:
        background.add_task(scheduler.wake)  # after the response, so after the job and its run are committed
    response.headers["Location"] = f"/api/v1/imports/{job.id}"
    return service.to_public(job)


@router.get("", response_model=ImportJobsPublic)
async def list_imports(session: SessionDep, page: PageDep, state: ImportState | None = None) -> ImportJobsPublic:
    jobs, next_cursor = await service.list_jobs(session, state=state, page=page)
    return ImportJobsPublic(items=[await service.publication(session, job) for job in jobs], next_cursor=next_cursor)


@router.get("/presets", response_model=ImportPresetsPublic)
async def list_import_presets() -> ImportPresetsPublic:
    return ImportPresetsPublic(
        items=[
            ImportPresetPublic(
                name=preset.name,
                description=preset.description,
                files={
                    spec.role: [column.header + ("*" if column.required else "") for column in spec.columns]
                    for spec in preset.files
                },
            )
            for preset in PRESETS.values()
        ]
    )


@router.get("/{import_id}", response_model=ImportJobPublic)
async def read_import(session: SessionDep, import_id: IdPath) -> ImportJobPublic:
    return await service.publication(session, await service.get_job_or_raise(session, job_id=import_id))
