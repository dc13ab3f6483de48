"""What `patron import` prints when an import has ended."""

from patron.importing import summary
from tests.imports.conftest import run_import
from tests.imports.test_imports import GE_STORES


async def test_the_command_line_summary_names_the_files_skipped(importer) -> None:
    dictionary = b"Table,Field,Description\nSales,Order Number,The order\n"
    job = await run_import(importer, "global-electronics", [("Data_Dictionary.csv", dictionary), ("s.csv", GE_STORES)])

    assert job["state"] == "done", job["error"]
    lines = summary(job)
    assert "  skipped file Data_Dictionary.csv: not part of the global-electronics data; skipped" in lines
    assert "  s.csv: stores, UTF-8, delimiter ','" in lines
