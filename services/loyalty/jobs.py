"""The loyalty service's background job tables: leases of its periodic jobs and its one-off runs."""

from services.kit.jobs import job_tables
from services.loyalty.base import Table

jobs = job_tables(Table.metadata)
