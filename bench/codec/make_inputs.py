#!/usr/bin/env python3
"""Inputs of the codec benchmark (bench/codec.sh), generated deterministically.

Usage:  python3 bench/codec/make_inputs.py [OUT_DIR]      (default: target/bench-inputs)

One small (~100 B) and one large (~1 MB) Python value, each written in the three stored forms:
  json3-<size>.json   json.dumps(serde.serialize(v)): the Airflow 3.x JSON column text
  json2-<size>.bin    json.dumps(v, cls=XComEncoder).encode(): Airflow 2.x BYTEA bytes (the 2.x value adds NaNs,
                      which 3.x refuses to store)
  pickle4-<size>.pkl  pickle.dumps(v, protocol=4): 2.x with enable_xcom_pickling
and next to each <case>.canonical.json, the canonical view of what Python decodes, which the Java benchmark
checks its own decode against before measuring. manifest.json lists the cases.

The serde encoder/decoder is the re-implementation of Airflow's in tools/golden/generate.py.
"""
import datetime as dt
import importlib.util
import json
import math
import os
import pickle
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def load_golden():
    """tools/golden/generate.py as a module: AirflowSerde (Airflow's serde, 2.10 and 3.1 rules), canonical()."""
    spec = importlib.util.spec_from_file_location("xcomdb_golden", os.path.join(ROOT, "tools", "golden", "generate.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules["xcomdb_golden"] = mod
    spec.loader.exec_module(mod)
    return mod


UTC = dt.timezone.utc
STATUSES = ("new", "paid", "shipped", "delivered", "returned")
CURRENCIES = ("EUR", "USD", "GBP", "CHF")
FIRST = ("Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Ken", "Frances", "John", "Radia")
LAST = ("Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Thompson", "Allen", "Backus", "Perlman")


def order(rng, i, with_nan):
    """One realistic record: ids, names, floats, a timestamp, a date, a tuple, a nested dict and list."""
    created = dt.datetime(2026, 11, 1, tzinfo=UTC) + dt.timedelta(seconds=rng.randrange(30 * 86400),
                                                                  microseconds=rng.randrange(1_000_000))
    first, last = rng.choice(FIRST), rng.choice(LAST)
    lines = [{"sku": f"SKU-{rng.randrange(100000):05d}", "qty": rng.randrange(1, 10),
              "unit_price": round(rng.uniform(0.5, 250.0), 2)} for _ in range(rng.randrange(1, 4))]
    rec = {
        "order_id": 1_000_000 + i,
        "customer": {"id": rng.randrange(10**6), "name": f"{first} {last}",
                     "email": f"{first.lower()}.{last.lower()}{rng.randrange(1000)}@example.com"},
        "status": rng.choice(STATUSES),
        "currency": rng.choice(CURRENCIES),
        "total": round(sum(l["qty"] * l["unit_price"] for l in lines), 2),
        "score": rng.random(),
        "created_at": created,
        "ship_date": (created + dt.timedelta(days=rng.randrange(1, 6))).date(),
        "geo": (round(rng.uniform(-90, 90), 6), round(rng.uniform(-180, 180), 6)),
        "lines": lines,
    }
    if with_nan:
        rec["margin"] = math.nan if i % 10 == 0 else round(rng.uniform(0.0, 0.4), 4)
    return rec


def small_value(with_nan):
    v = {"order_id": 1000042, "status": "shipped", "total": 19.99, "qty": (3, 7)}
    if with_nan:
        v["margin"] = math.nan
    return v


def large_value(serde3, with_nan, target=1_000_000):
    """A list of orders, as many as make the 3.x JSON text reach ~1 MB (same count for every form)."""
    rng = random.Random(20261121)
    one = len(serde3.write(order(random.Random(1), 0, False)))
    n = target // one
    orders = [order(rng, i, with_nan) for i in range(n)]
    return orders


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "bench-inputs")
    os.environ["TZ"] = "UTC"
    time.tzset()
    g = load_golden()
    serde2, serde3 = g.AirflowSerde("2.10"), g.AirflowSerde("3.1")
    os.makedirs(out, exist_ok=True)
    values = {}
    for size in ("small", "large"):
        for with_nan in (False, True):
            # regenerated per form from the same seed: the same values, NaNs only where 2.x can store them
            values[size, with_nan] = small_value(with_nan) if size == "small" else large_value(serde3, with_nan)
    cases = []
    for size in ("small", "large"):
        v, v_nan = values[size, False], values[size, True]
        forms = [
            ("json3", ".json", serde3.write(v).encode("ascii"), lambda raw: serde3.read(raw.decode("utf-8"), [])),
            ("json2", ".bin", serde2.write(v_nan).encode("ascii"), lambda raw: serde2.read(raw.decode("utf-8"), [])),
            ("pickle4", ".pkl", pickle.dumps(v, protocol=4), pickle.loads),
        ]
        for form, ext, raw, decode in forms:
            name = f"{form}-{size}"
            with open(os.path.join(out, name + ext), "wb") as f:
                f.write(raw)
            with open(os.path.join(out, name + ".canonical.json"), "w", encoding="utf-8") as f:
                f.write(g.canonical(decode(raw)))
            cases.append({"case": name, "form": form, "size": size, "file": name + ext, "bytes": len(raw)})
            print(f"{name + ext}: {len(raw)} bytes", file=sys.stderr)
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": cases, "orders_in_large": len(values["large", False])}, f, indent=1)


if __name__ == "__main__":
    main()
