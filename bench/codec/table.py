#!/usr/bin/env python3
"""Prints the codec benchmark table from JMH's JSON result and python_decode.py's output (bench/codec.sh).

Usage:  python3 bench/codec/table.py JMH_JSON PYTHON_JSON MANIFEST_JSON
"""
import json
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
        jmh = {r["params"]["input"]: r["primaryMetric"] for r in json.load(f)}
    with open(py_path, encoding="utf-8") as f:
        py = json.load(f)
    with open(manifest_path, encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    rows = [("case", "size", "Java MB/s", "Java values/s", "Python MB/s", "Python values/s", "Java/Python")]
    for c in cases:
        name, n = c["case"], c["bytes"]
        j = jmh.get(name)
        p = py.get(name)
        if j is None or p is None:
            continue
        assert j["scoreUnit"] == "ops/s", j["scoreUnit"]
        jv = j["score"]
        err = j.get("scoreError")
        jv_text = rate(jv) + (f" ± {err / jv:.0%}" if isinstance(err, (int, float)) and err == err else "")
        rows.append((name, size(n), f"{jv * n / 1e6:,.1f}", jv_text, f"{p['mb_per_s']:,.1f}",
                     rate(p["values_per_s"]), ratio(jv / p["values_per_s"])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for k, r in enumerate(rows):
        cells = [r[0].ljust(widths[0]), r[1].rjust(widths[1])] + [x.rjust(w) for x, w in zip(r[2:], widths[2:])]
        print("| " + " | ".join(cells) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 1) + (":" if i > 0 else "-") for i, w in enumerate(widths)) + "|")


if __name__ == "__main__":
    main()
