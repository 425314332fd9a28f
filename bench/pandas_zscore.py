#!/usr/bin/env python3
"""The pandas baseline of docs/performance.md: moving mean and sample std over the six windows,
(t - L, t], and z-scores, for a btc-price JSON Lines file. No lateness handling, no look-ahead:
only the part of the pipeline pandas users write first. Usage: pandas_zscore.py INPUT OUTPUT.csv"""
import sys

import numpy as np
import pandas as pd

frame = pd.read_json(sys.argv[1], lines=True, dtype={"symbol": str, "price": float})
frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
frame = frame.sort_values(["symbol", "timestamp"]).set_index("timestamp")
result = frame[["symbol", "price"]].copy()
for name, length in [("30s", "30s"), ("1m", "1min"), ("5m", "5min"), ("15m", "15min"), ("30m", "30min"), ("1h", "1h")]:
    rolling = frame.groupby("symbol")["price"].rolling(length, closed="right")
    mean = rolling.mean().reset_index(level=0, drop=True)
    std = rolling.std().reset_index(level=0, drop=True).fillna(0.0)
    result[f"avg_{name}"] = mean.values
    result[f"std_{name}"] = std.values
    result[f"z_{name}"] = np.where(std.values == 0, 0.0, (frame["price"].values - mean.values) / np.where(std.values == 0, 1, std.values))
result.to_csv(sys.argv[2])
