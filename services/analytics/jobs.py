"""The analytics service's background job tables: leases of its periodic jobs and its one-off runs."""

from services.analytics.base import Table
from services.kit.jobs import job_tables

jobs = job_tables(Table.metadata)
