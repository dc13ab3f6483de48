"""A lean HTTP/1.1 load generator: N keep-alive connections, each posting 3-line purchases back to back.

Run by ``run.py`` in its own process so its CPU is measured apart from the services'. Raw asyncio
streams on uvloop, a hand-written request and a minimal response reader (Content-Length or
chunked): no client library sits between the bench and the socket. Prints one JSON object.

    python bench/purchases/load.py --url http://127.0.0.1:8001 --concurrency 32 --duration 20 \
        --first-product 1 --products 3000 [--header 'X-Patron-Principal: ...'] [--encrypt KID:KEY]
        [--customers FIRST:COUNT] [--rewards FILE --rewards-offset K] [--points N]

With ``--encrypt`` every body is sealed as an AES-256-GCM envelope (docs/encryption.md) under the
client key, with Python's ``cryptography`` as a mobile client would, and every reply is opened and
checked against its request (a reply that does not open counts as an error).

With ``--rewards`` every bill redeems a reward: ``FILE`` holds one JSON object a line (``customer_id``,
``token``, ``product_id``, the product in the first third of the range), and worker ``i`` of ``N``
takes lines ``K + i``, ``K + i + N``, ``K + i + 2N``, ... so no token is sent twice; the bill is that
reward's customer's and its first line is the reward's product. A worker out of lines stops. The
reply says the next unused line (``rewards_next``: pass it as the next run's ``K``). With ``--points``
every bill spends that many wallet points.
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
        self.created = 0  # every 201, warm-up and the requests in flight at the end included
        self.rewards_sent = 0
        self.rewards_next = 0  # one past the highest line of the rewards file sent
        self.rewards_out = 0  # workers that ran out of tokens


def body_for(
    rng: random.Random,
    first: int,
    products: int,
    customers: tuple[int, int] | None = None,
    reward: dict[str, object] | None = None,
    points: int | None = None,
) -> bytes:
    """Three distinct products, one from each third of the range (as purchase.sql picks them); a guest
    sale, or with ``customers`` (first id, count) a bill of one of those customers picked at random.

    With ``reward`` (``customer_id``, ``token``, ``product_id`` in the first third) the bill is that
    customer's, redeems the token, and its first line is the reward's product; with ``points`` it spends
    that many wallet points.
    """
    third = products // 3
    ids = [first + k * third + rng.randrange(third) for k in range(3)]
    extra = ""
    if reward is not None:
        product = int(reward["product_id"])  # type: ignore[call-overload]
        if not first <= product < first + third:
            raise ValueError(f"reward product {product} is not in the first third of the range")
        ids[0] = product
        extra = f'"customer_id":{int(reward["customer_id"])},"reward_token":"{reward["token"]}",'  # type: ignore[call-overload]
    elif customers:
        extra = f'"customer_id":{customers[0] + rng.randrange(customers[1])},'
    if points is not None:
        extra += f'"points":{points},'
    lines = ",".join(f'{{"product_id":{pid},"quantity":{rng.randint(1, 3)}}}' for pid in ids)
    return f'{{"store_id":0,{extra}"lines":[{lines}]}}'.encode()


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
    index: int,
    host: str,
    port: int,
    extra: bytes,
    args: argparse.Namespace,
    stats: Stats,
    stop: asyncio.Event,
    rewards: list[dict[str, object]] | None = None,
) -> None:
    rng = random.Random(index * 7919 + int(time.time()))
    reader, writer = await asyncio.open_connection(host, port)
    sealer = Sealer(args.encrypt) if args.encrypt else None
    content_type = MEDIA_TYPE if sealer else "application/json"
    prefix = f"POST {PATH} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: {content_type}\r\n".encode() + extra
    line = args.rewards_offset + index  # this worker's next line of the rewards file
    try:
        while not stop.is_set():
            reward = None
            if rewards is not None:
                if line >= len(rewards):
                    stats.rewards_out += 1
                    break
                reward = rewards[line]
                stats.rewards_sent += 1
                stats.rewards_next = max(stats.rewards_next, line + 1)
                line += args.concurrency
            body = body_for(rng, args.first_product, args.products, args.customers, reward, args.points)
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
                stats.created += 1
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


def read_rewards(path: str) -> list[dict[str, object]]:
    """The rewards file, read before the load starts: one object a line."""
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


async def main(args: argparse.Namespace) -> dict[str, object]:
    url = urlsplit(args.url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    extra = b"".join(h.encode() + b"\r\n" for h in args.header)
    stats = Stats()
    stats.rewards_next = args.rewards_offset
    stop = asyncio.Event()
    rewards = read_rewards(args.rewards) if args.rewards else None
    tasks = [
        asyncio.create_task(worker(i, host, port, extra, args, stats, stop, rewards)) for i in range(args.concurrency)
    ]
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
        "created": stats.created,
        "rewards_sent": stats.rewards_sent,
        "rewards_next": stats.rewards_next,
        "rewards_out": stats.rewards_out,
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
    parser.add_argument("--rewards", help="a JSON-lines file of rewards (customer_id, token, product_id) to redeem")
    parser.add_argument("--rewards-offset", type=int, default=0, help="the first line of --rewards to use")
    parser.add_argument("--points", type=int, help="wallet points every bill spends")
    arguments = parser.parse_args()
    if arguments.customers:
        first_customer, count = arguments.customers.split(":")
        arguments.customers = (int(first_customer), int(count))
    runner = uvloop.run if uvloop is not None else asyncio.run
    print(json.dumps(runner(main(arguments))))
