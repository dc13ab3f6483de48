"""Small typed pieces shared by every service's routes."""

from typing import Annotated

from fastapi import Path

MAX_ID = 2**63 - 1

IdPath = Annotated[int, Path(ge=0, le=MAX_ID, description="Numeric id.")]
