"""What the star schema holds and as of when."""

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from services.analytics.reporting.replies import as_of
from services.kit.db import SessionDep

router = APIRouter(prefix="/analytics", tags=["analytics"])


@router.get("/status")
async def status(session: SessionDep) -> dict[str, Any]:
    """The newest event the reports include (`as_of`), when it was applied, and what the star schema holds."""
    row = (
        await session.execute(
            text("""SELECT (SELECT max(applied_at) FROM analytics.feed_state),
                           (SELECT coalesce(sum(events), 0) FROM analytics.feed_state),
                           (SELECT count(*) FROM analytics.customer), (SELECT count(*) FROM analytics.product),
                           (SELECT count(*) FROM analytics.store),
                           (SELECT coalesce(sum(lines), 0) FROM analytics.feed_state)""")
        )
    ).one()
    return {
        "as_of": await as_of(session),
        "applied_at": row[0],
        "events": int(row[1]),
        "customers": int(row[2]),
        "products": int(row[3]),
        "stores": int(row[4]),
        "sale_lines": int(row[5]),
    }
