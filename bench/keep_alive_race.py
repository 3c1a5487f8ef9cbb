"""Requests left with no answer when the server closes an idle connection as the client reuses it
(issue 15): uvicorn's own keep-alive (5 s) against ``serve``'s (``MICROCAREER_KEEP_ALIVE_SECONDS``).

httpx keeps an idle connection for 5 s (``keepalive_expiry``), as long as uvicorn's default keeps it:
a client that sends its next request just before its 5 s are up can meet the server's close on the
way, and that request gets no answer (``ReadError``/``RemoteProtocolError``: nothing to retry safely
for a POST). A loaded machine widens the window (the client decides to reuse, then waits for a CPU).
This sends, on ``--connections`` connections at once, a request, waits an idle time drawn from
``--idle-from``..``--idle-to`` seconds, then sends the next on the same connection; per keep-alive
setting (servers alternated, each a fresh database), how many requests got no answer.

Run: ``python -m bench.keep_alive_race [--connections 32] [--rounds 6] [--repeats 2]``; JSON in
bench/results/keep-alive-race-<date>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench import report_file
from bench.bench_marketplace import database, server_process
from microcareer.config import Settings

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"


async def probe(
    base: str, connections: int, rounds: int, idle: tuple[float, float], seed: int
) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    draw = random.Random(seed)
    waits = [[draw.uniform(*idle) for _ in range(rounds)] for _ in range(connections)]

    async def one(pauses: list[float]) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)  # keepalive_expiry: 5 s
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
            for pause in [0.0, *pauses]:
                await asyncio.sleep(pause)
                try:
                    response = await http.get("/api/v1/health")
                    outcomes[str(response.status_code)] += 1
                except httpx.TransportError as error:
                    outcomes[f"no answer: {type(error).__name__}"] += 1

    await asyncio.gather(*(one(w) for w in waits))
    return outcomes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=6, help="idle waits per connection")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--idle-from", type=float, default=4.9)
    parser.add_argument("--idle-to", type=float, default=5.05)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    settings = {"uvicorn default": 5, "serve": Settings().keep_alive_seconds}
    runs: list[dict[str, Any]] = []
    for repeat in range(args.repeats):
        order = list(settings.items()) if repeat % 2 == 0 else list(reversed(settings.items()))
        for name, seconds in order:
            with (
                database("sqlite") as url,
                server_process(
                    url, Path(os.devnull), uvicorn_options=["--timeout-keep-alive", str(seconds)]
                ) as (base, _),
            ):
                idle = (args.idle_from, args.idle_to)
                outcomes = asyncio.run(probe(base, args.connections, args.rounds, idle, repeat))
            requests = sum(outcomes.values())
            lost = sum(n for k, n in outcomes.items() if k.startswith("no answer"))
            runs.append(
                {
                    "keep_alive": name,
                    "seconds": seconds,
                    "repeat": repeat,
                    "requests": requests,
                    "no_answer": lost,
                    "outcomes": dict(outcomes),
                    "load_average_1m": os.getloadavg()[0],
                }
            )
            print(runs[-1])
    totals = {
        name: {
            "requests": sum(r["requests"] for r in runs if r["keep_alive"] == name),
            "no_answer": sum(r["no_answer"] for r in runs if r["keep_alive"] == name),
        }
        for name in settings
    }
    report = {
        **report_file.header(
            "keep-alive-race", "bench.keep_alive_race", sys.argv[1:] if argv is None else argv
        ),
        "settings": vars(args) | {"out": str(args.out) if args.out else None},
        "runs": runs,
        "totals": totals,
    }
    print(json.dumps(totals))
    target = args.out or RESULTS / f"keep-alive-race-{dt.date.today().isoformat()}.json"
    report_file.write(report, target, indent=1)


if __name__ == "__main__":
    main()
