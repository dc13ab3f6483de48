"""Instructions per bill in the customer service, counted with callgrind, for one or more checkouts.

    python bench/purchases/instructions.py [--checkouts REF1,REF2] [--bills 10,60]

Wall-clock ratios on a shared 2-core machine move by 20 % from one round to the next; callgrind's
instruction counts repeat exactly for the same code and inputs. For each ref: a detached worktree,
a scratch database migrated by that checkout with 30 products in stock, then two runs of this file
under ``valgrind --tool=callgrind`` posting the two numbers of 3-line bills in-process (through
ASGI, with a signed admin principal, no gateway). The difference of the two totals divided by the
difference of the bills is the cost of one bill, start-up and set-up cancelled out.
"""

import argparse
import asyncio
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import asyncpg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
SECRET = "bench-instructions-secret-0123456789abcdef"


async def post_bills(bills: int, url: str) -> None:
    """Run in the checkout's code (its root first on sys.path): ``bills`` purchases of 3 lines."""
    import httpx2

    from services.customer.app import create_app
    from services.customer.settings import CustomerSettings
    from services.kit.principal import Principal, PrincipalKind, principal_headers

    settings = CustomerSettings(
        database_url=url, environment="test", internal_secret=SECRET, events_relay=False, log_level="WARNING"
    )
    app = create_app(settings)
    admin = Principal(kind=PrincipalKind.STAFF, subject="staff:1", roles=["admin"])
    headers = principal_headers(admin, secret=SECRET, ttl_seconds=3600)
    transport = httpx2.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as client,
    ):
        for i in range(bills):
            lines = [{"product_id": first + i % 10, "quantity": 1} for first in (1, 11, 21)]
            answer = await client.post("/api/v1/purchases", json={"lines": lines})
            if answer.status_code != 201:
                raise RuntimeError(answer.text)


async def admin(statement: str) -> None:
    connection = await asyncpg.connect(SERVER)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def stock_products(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(
            "INSERT INTO customer.product (sku, name, unit_cost, unit_price, stock_quantity, track_stock, status)"
            " SELECT 'B-' || g, 'Product ' || g, 1, 10, 1000000, true, 'active' FROM generate_series(1, 30) AS g"
        )
    finally:
        await connection.close()


def count(checkout: Path, bills: int, url: str) -> int:
    """Instructions callgrind counts for one process posting ``bills`` bills with ``checkout``'s code."""
    with tempfile.TemporaryDirectory() as scratch:
        run = subprocess.run(
            [
                shutil.which("valgrind") or "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={scratch}/callgrind.out",
                sys.executable,
                __file__,
                "--post",
                str(bills),
                url,
            ],
            env={"PYTHONPATH": str(checkout)},
            capture_output=True,
            text=True,
            check=False,
        )
    if run.returncode != 0:
        raise RuntimeError(f"posting bills under callgrind failed:\n{run.stderr[-3000:]}")
    return int(re.findall(r"Collected : (\d+)", run.stderr)[-1])


def measure(ref: str, low: int, high: int, workdir: Path) -> float:
    checkout = workdir / ref.replace("/", "_")
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(checkout), ref], cwd=ROOT, check=True, capture_output=True
    )
    name = f"patron_bench_instr_{secrets.token_hex(4)}"
    url = SERVER.rsplit("/", 1)[0] + "/" + name
    try:
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
        migrate = "from services.kit.migrations import upgrade; import sys; upgrade('services.customer', sys.argv[1])"
        # From inside the checkout: ``python -c`` puts the current directory first on sys.path.
        environment = {"PYTHONPATH": str(checkout)}
        subprocess.run([sys.executable, "-c", migrate, url], cwd=checkout, env=environment, check=True)
        asyncio.run(stock_products(url))
        return (count(checkout, high, url) - count(checkout, low, url)) / (high - low)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT, check=False)


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--post":
        asyncio.run(post_bills(int(sys.argv[2]), sys.argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkouts", default="HEAD~1,HEAD", help="git refs, comma-separated; the first is the base")
    parser.add_argument("--bills", default="10,60", help="the two numbers of bills posted (fewer,more)")
    args = parser.parse_args()
    low, high = (int(n) for n in args.bills.split(","))
    refs = [ref for ref in args.checkouts.split(",") if ref]
    with tempfile.TemporaryDirectory(prefix="patron-bench-instr-") as workdir:
        per_bill = {ref: measure(ref, low, high, Path(workdir)) for ref in refs}
    base = per_bill[refs[0]]
    for ref, instructions in per_bill.items():
        print(f"{ref:>12}: {instructions / 1e6:6.3f} million instructions per bill ({instructions / base - 1:+.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
