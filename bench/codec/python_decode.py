#!/usr/bin/env python3
"""CPython side of the codec benchmark (bench/codec.sh): decode throughput on the inputs of make_inputs.py.

Usage:  python3 bench/codec/python_decode.py [--inputs DIR] [--round-seconds S] [CASE ...]
        (defaults: target/bench-inputs, 0.4 s, every case of the manifest)

Per case, what Airflow does to read the stored value:
  json3    serde.deserialize(json.loads(text))                       (3.x JSON column; text as the driver returns it)
  json2    serde.deserialize(json.loads(raw.decode("UTF-8")))        (2.x XComDecoder; same result as its object hook)
  pickle4  pickle.loads(raw)
with the serde decoder of tools/golden/generate.py (Airflow's, re-implemented; Airflow is not installable here).
Timing as timeit: a loop count calibrated to >= SECONDS_PER_ROUND, 5 rounds, the best round kept, GC off during
rounds. Prints one JSON object: {case: {"bytes", "values_per_s", "mb_per_s", "loops", "rounds_s"}}, MB = 10^6 bytes.
"""
import argparse
import json
import os
import pickle
import sys
import time
import timeit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_inputs import load_golden  # noqa: E402


def main():
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap = argparse.ArgumentParser()
    ap.add_argument("--inputs", default=os.path.join(root, "target", "bench-inputs"))
    ap.add_argument("--round-seconds", type=float, default=0.4)
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    inputs, round_s = args.inputs, args.round_seconds
    os.environ["TZ"] = "UTC"
    time.tzset()
    g = load_golden()
    serde2, serde3 = g.AirflowSerde("2.10"), g.AirflowSerde("3.1")
    with open(os.path.join(inputs, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    results = {}
    for c in manifest["cases"]:
        if args.cases and c["case"] not in args.cases:
            continue
        with open(os.path.join(inputs, c["file"]), "rb") as f:
            raw = f.read()
        if c["form"] == "json3":
            text = raw.decode("utf-8")  # the JSON column arrives as text
            fn = lambda: serde3.deserialize(json.loads(text), [])  # noqa: E731
        elif c["form"] == "json2":
            fn = lambda: serde2.deserialize(json.loads(raw.decode("UTF-8")), [])  # noqa: E731
        else:
            fn = lambda: pickle.loads(raw)  # noqa: E731
        with open(os.path.join(inputs, c["case"] + ".canonical.json"), encoding="utf-8") as f:
            if g.canonical(fn()) != f.read():
                raise SystemExit(f"{c['case']}: decoded value differs from the generated one")
        timer = timeit.Timer(fn)
        loops = 1
        while True:  # timeit.autorange, up to round_s instead of 0.2 s
            t = timer.timeit(loops)
            if t >= round_s:
                break
            loops = max(loops * 2, int(loops * round_s / max(t, 1e-9) * 1.1))
        rounds = timer.repeat(repeat=5, number=loops)
        best = min(rounds) / loops
        results[c["case"]] = {"bytes": len(raw), "values_per_s": 1 / best, "mb_per_s": len(raw) / best / 1e6,
                              "loops": loops, "rounds_s": [round(r, 3) for r in rounds]}
        print(f"python {c['case']}: {1 / best:,.1f} values/s", file=sys.stderr)
    json.dump(results, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
