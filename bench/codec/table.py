#!/usr/bin/env python3
"""Prints the codec benchmark table from the rounds of bench/codec.sh.

Usage:  python3 bench/codec/table.py JMH_JSON PYTHON_JSON MANIFEST_JSON
JMH_JSON: {case: [JMH result of each round]}; PYTHON_JSON: {case: [python_decode.py result of each round]}.
Per case: the medians of the rounds' Java and Python values/s, and the median, lowest and highest of the rounds'
Java/Python ratios (each round's Python and Java were measured back to back).
"""
import json
import statistics
import sys


def rate(v):
    return f"{v:,.1f}" if v < 100 else f"{v:,.0f}"


def ratio(r):
    return f"{r:.2f}x" if r < 1 else f"{r:.1f}x"


def size(n):
    return f"{n / 1e6:.2f} MB" if n >= 100_000 else f"{n} B"


def main():
    jmh_path, py_path, manifest_path = sys.argv[1:4]
    with open(jmh_path, encoding="utf-8") as f:
        jmh = json.load(f)
    with open(py_path, encoding="utf-8") as f:
        py = json.load(f)
    with open(manifest_path, encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    rows = [("case", "size", "Java MB/s", "Java values/s", "Python MB/s", "Python values/s", "Java/Python",
             "lowest-highest")]
    rounds = 0
    for c in cases:
        name, n = c["case"], c["bytes"]
        if name not in jmh or name not in py:
            continue
        for r in jmh[name]:
            assert r["primaryMetric"]["scoreUnit"] == "ops/s", r["primaryMetric"]["scoreUnit"]
        java = [r["primaryMetric"]["score"] for r in jmh[name]]
        python = [p["values_per_s"] for p in py[name]]
        ratios = [j / p for j, p in zip(java, python)]
        rounds = max(rounds, len(ratios))
        jv, pv = statistics.median(java), statistics.median(python)
        rows.append((name, size(n), f"{jv * n / 1e6:,.1f}", rate(jv), f"{pv * n / 1e6:,.1f}", rate(pv),
                     ratio(statistics.median(ratios)), f"{ratio(min(ratios))}-{ratio(max(ratios))}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for k, r in enumerate(rows):
        cells = [r[0].ljust(widths[0]), r[1].rjust(widths[1])] + [x.rjust(w) for x, w in zip(r[2:], widths[2:])]
        print("| " + " | ".join(cells) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 1) + (":" if i > 0 else "-") for i, w in enumerate(widths)) + "|")
    print(f"\nmedians of {rounds} rounds; Java/Python: the median of the rounds' ratios")


if __name__ == "__main__":
    main()
