"""A lean HTTP/1.1 load generator: N keep-alive connections, each posting 3-line purchases back to back.

Run by ``run.py`` in its own process so its CPU is measured apart from the services'. Raw asyncio
streams on uvloop, a hand-written request and a minimal response reader (Content-Length or
chunked): no client library sits between the bench and the socket. Prints one JSON object.

    python bench/purchases/load.py --url http://127.0.0.1:8001 --concurrency 32 --duration 20 \
        --first-product 1 --products 3000 [--header 'X-Patron-Principal: ...'] [--encrypt KID:KEY]

With ``--encrypt`` every body is sealed as an AES-256-GCM envelope (docs/encryption.md) under the
client key, with Python's ``cryptography`` as a mobile client would, and every reply is opened and
checked against its request (a reply that does not open counts as an error).
"""

import argparse
import asyncio
import base64
import json
import os
import random
import resource
import time
from urllib.parse import urlsplit

try:
    import uvloop
except ImportError:  # pragma: no cover - uvicorn[standard] brings it
    uvloop = None  # type: ignore[assignment]

PATH = "/api/v1/purchases"
MEDIA_TYPE = "application/vnd.patron.encrypted+json"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class Sealer:
    """A client's key: seals request bodies and opens their replies (AES-256-GCM, cryptography)."""

    def __init__(self, spec: str) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self.kid, _, key = spec.partition(":")
        self.aead = AESGCM(base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)))

    def seal(self, body: bytes) -> tuple[bytes, str]:
        ts, nonce = int(time.time()), os.urandom(12)
        associated = f"patron-gcm-v1\nPOST\n{PATH}\n{ts}\n{self.kid}".encode()
        ct = self.aead.encrypt(nonce, body, associated)
        envelope = {"kid": self.kid, "nonce": b64url(nonce), "ts": ts, "ct": b64url(ct)}
        return json.dumps(envelope, separators=(",", ":")).encode(), b64url(nonce)

    def open(self, status: int, request_nonce: str, body: bytes) -> bytes:
        envelope = json.loads(body)
        associated = f"patron-gcm-v1-reply\n{status}\n{request_nonce}\n{envelope['ts']}\n{self.kid}".encode()
        ct = base64.urlsafe_b64decode(envelope["ct"] + "=" * (-len(envelope["ct"]) % 4))
        nonce = base64.urlsafe_b64decode(envelope["nonce"] + "=" * (-len(envelope["nonce"]) % 4))
        plaintext: bytes = self.aead.decrypt(nonce, ct, associated)
        return plaintext


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.measuring = False
        self.sample_error: str | None = None


def body_for(rng: random.Random, first: int, products: int, customers: tuple[int, int] | None = None) -> bytes:
    """Three distinct products, one from each third of the range (as purchase.sql picks them); a guest
    sale, or with ``customers`` (first id, count) a bill of one of those customers picked at random."""
    third = products // 3
    ids = [first + k * third + rng.randrange(third) for k in range(3)]
    lines = ",".join(f'{{"product_id":{pid},"quantity":{rng.randint(1, 3)}}}' for pid in ids)
    customer = f'"customer_id":{customers[0] + rng.randrange(customers[1])},' if customers else ""
    return f'{{"store_id":0,{customer}"lines":[{lines}]}}'.encode()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body, and whether the server keeps the connection open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    chunked = False
    keep_alive = True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection" and b"close" in value.lower():
            keep_alive = False
    if chunked:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")  # no trailers are sent
                break
            parts.append(await reader.readexactly(size + 2))
        body = b"".join(p[:-2] for p in parts)
    else:
        body = await reader.readexactly(length or 0)
    return status, body, keep_alive


async def worker(
    index: int, host: str, port: int, extra: bytes, args: argparse.Namespace, stats: Stats, stop: asyncio.Event
) -> None:
    rng = random.Random(index * 7919 + int(time.time()))
    reader, writer = await asyncio.open_connection(host, port)
    sealer = Sealer(args.encrypt) if args.encrypt else None
    content_type = MEDIA_TYPE if sealer else "application/json"
    prefix = f"POST {PATH} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: {content_type}\r\n".encode() + extra
    try:
        while not stop.is_set():
            body = body_for(rng, args.first_product, args.products, args.customers)
            if sealer is not None:
                body, nonce = sealer.seal(body)
            request = prefix + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
            started = time.perf_counter()
            writer.write(request)
            status, payload, keep_alive = await read_response(reader)
            if sealer is not None and status == 201:
                try:
                    sealer.open(status, nonce, payload)
                except Exception:
                    status = 0  # a reply that does not open as the reply to this request
            elapsed = time.perf_counter() - started
            if status == 201:
                if stats.measuring:
                    stats.latencies.append(elapsed)
            else:
                key = str(status)
                stats.errors[key] = stats.errors.get(key, 0) + 1
                stats.sample_error = stats.sample_error or payload[:500].decode("utf-8", "replace")
            if not keep_alive:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


async def main(args: argparse.Namespace) -> dict[str, object]:
    url = urlsplit(args.url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    extra = b"".join(h.encode() + b"\r\n" for h in args.header)
    stats = Stats()
    stop = asyncio.Event()
    tasks = [asyncio.create_task(worker(i, host, port, extra, args, stats, stop)) for i in range(args.concurrency)]
    await asyncio.sleep(args.warmup)
    stats.measuring = True
    stats.errors.clear()
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    await asyncio.sleep(args.duration)
    stats.measuring = False
    wall = time.perf_counter() - started
    usage1 = resource.getrusage(resource.RUSAGE_SELF)
    count = len(stats.latencies)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    return {
        "count": count,
        "wall": wall,
        "latencies": stats.latencies,
        "errors": stats.errors,
        "sample_error": stats.sample_error,
        "cpu_seconds": cpu,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--first-product", type=int, required=True)
    parser.add_argument("--products", type=int, required=True)
    parser.add_argument("--header", action="append", default=[], help="'Name: value', repeatable")
    parser.add_argument("--encrypt", help="KID:KEY (base64url): seal bodies and open replies under this client key")
    parser.add_argument(
        "--customers", help="FIRST:COUNT: each bill is one of these customers' (picked at random); else guest sales"
    )
    arguments = parser.parse_args()
    if arguments.customers:
        first_customer, count = arguments.customers.split(":")
        arguments.customers = (int(first_customer), int(count))
    runner = uvloop.run if uvloop is not None else asyncio.run
    print(json.dumps(runner(main(arguments))))
