#!/usr/bin/env python3
"""Writes btc-price.jsonl, the bundled sample input of `./btc pipeline`.

A seeded random walk for two symbols on the 100 ms grid for 20 minutes, in arrival order: most
records arrive in time order, some a few seconds out of order, and a handful are late (more than
10 s), duplicated (same price or another) or invalid, so every output of the pipeline has content.
Rerunning it gives the same file byte for byte.
"""
import json
import random
from datetime import datetime, timedelta, timezone

rng = random.Random(20261124)
start = datetime(2026, 11, 24, 10, 0, 0, tzinfo=timezone.utc)
symbols = {"BTCUSDT": (97_000.00, 0.01), "ETHUSDT": (3_500.00, 0.01)}
ticks = 20 * 60 * 10


def stamp(ms):
    t = start + timedelta(milliseconds=ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def line(symbol, price, ms):
    return json.dumps({"symbol": symbol, "price": price, "timestamp": stamp(ms)})


events = []  # (arrival ms, sequence, text)
seq = 0
for symbol, (price, tick) in symbols.items():
    steps = 0
    for i in range(ticks):
        ms = i * 100
        # Flat stretches: the price often stays where it is, as real quotes do.
        if rng.random() < 0.6:
            steps += rng.choice((-3, -2, -1, 1, 2, 3))
        value = round(price + steps * tick, 2)
        delay = 30 + rng.randint(0, 120)
        if rng.random() < 0.01:
            delay += rng.randint(1_000, 8_000)  # out of order, within the allowed lateness
        if rng.random() < 0.0008:
            delay += rng.randint(11_000, 15_000)  # too late
        events.append((ms + delay, seq, line(symbol, value, ms)))
        seq += 1
        if rng.random() < 0.001:
            other = value if rng.random() < 0.5 else round(value + tick, 2)
            events.append((ms + delay + 200, seq, line(symbol, other, ms)))  # duplicate
            seq += 1

bad = [
    '{"symbol": "BTCUSDT", "price": "abc", "timestamp": "2026-11-24T10:05:00.000Z"}',
    '{"symbol": "BTCUSDT", "price": -1, "timestamp": "2026-11-24T10:05:00.100Z"}',
    '{"symbol": "BTCUSDT", "price": 0, "timestamp": "2026-11-24T10:05:00.200Z"}',
    '{"symbol": "BTCUSDT", "timestamp": "2026-11-24T10:05:00.300Z"}',
    '{"symbol": "BTCUSDT", "price": 97000.5, "timestamp": "yesterday"}',
    '{"symbol": 42, "price": 97000.5, "timestamp": "2026-11-24T10:05:00.400Z"}',
    '{"symbol": "BTCUSDT", "price": 97000.5, "timestamp": "2026-11-24T10:05:00.500Z"',
    'not json at all',
]
for k, text in enumerate(bad):
    events.append((300_000 + k * 7_000, seq, text))
    seq += 1

events.sort()
with open("btc-price.jsonl", "w", encoding="utf-8", newline="\n") as out:
    for _, _, text in events:
        out.write(text + "\n")
