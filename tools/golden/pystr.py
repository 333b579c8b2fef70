#!/usr/bin/env python3
"""CPython's str() and repr() of every value type in the golden catalogue, for io.xcomdb.codec.internal.PyStr.

Usage:  python3 tools/golden/pystr.py [OUT_FILE]      (default: src/test/resources/codec/pystr.jsonl)

Each line: {"id", "pickle": base64 of pickle.dumps(v, 4) | "raw": Airflow 3.1 JSON column text, "str", "repr"}
and, for rows not made by this interpreter (CPython 3.11, numpy 2), "python": which one made them. The values
are generate.py's catalogues (the same objects its golden vectors are made of) plus the cases below that the
catalogue lacks (Decimals as templates print them, str/bytes escapes, non-str dict keys, negative offsets).
pendulum rows come from Debian's /usr/bin/python3 with the real pendulum 2 (apt-get install python3-pendulum
python3-numpy): generate.py's pendulum 3 stand-ins would print as plain datetimes, which pendulum does not.

A default object repr holds a memory address (<dags.example.Plain object at 0x7f...>); it is written as 0x?
so that a rerun gives the same file. Nothing else is changed: the strings are CPython's.
"""
from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import math
import os
import pickle
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as g  # noqa: E402  (the catalogues and the Airflow serde re-implementation)

D = decimal.Decimal


def extra_values():
    """Cases the catalogue lacks: what the issue names, and the edges of Python's repr rules."""
    return {
        # Decimals: str is the spec's to-scientific-string, repr wraps it in Decimal('...')
        "decimal_100": D("100"), "decimal_2_50": D("2.50"), "decimal_in_list": [D("2.50")],
        "decimal_neg0": D("-0"), "decimal_neg0_00": D("-0.00"), "decimal_0E_3": D("0E+3"),
        "decimal_nan": D("NaN"), "decimal_neg_nan": D("-NaN"), "decimal_snan": D("sNaN"),
        "decimal_inf": D("Infinity"), "decimal_neg_inf": D("-Infinity"),
        "decimal_0_000001": D("0.000001"), "decimal_0_0000001": D("0.0000001"), "decimal_1E_7": D("1E-7"),
        "decimal_1_23E_5": D("1.23E+5"), "decimal_12300E_2": D("12300E-2"), "decimal_neg_1_5": D("-1.5"),
        "decimal_in_tuple_and_dict": ({"d": D("3.14")}, D("-0")),
        # str quoting and escapes
        "str_single_quote": "it's", "str_both_quotes": "both ' \"", "str_double_quote": 'say "hi"',
        "str_backslash": "a\\b", "str_controls": "\x00\x07\x08\x0b\x0c\x1b\x7f\x80\x9f",
        "str_nbsp_and_spaces": "a\xa0b\u2003c\u3000d", "str_format_chars": "zw\u200bsp\u200ej\ufeff",
        "str_private_use": "\ue000\U000f0000", "str_lone_surrogate": "x\ud800y\udfff",
        "str_combining": "e\u0301 \u00ad", "str_astral": "\U0001f600\U0001d11e",
        "str_nel": "\x85", "list_of_quotes": ["'", '"', "'\""],
        # bytes
        "bytes_empty": b"", "bytes_x": b"x", "bytes_escapes": b"\x00\t\n\r\\\x7f\x80\xff A",
        "bytes_single_quote": b"it's", "bytes_both_quotes": b"'\"", "bytearray": bytearray(b"ab'"),
        "bytearray_empty": bytearray(), "bytes_in_list": [b"a", bytearray(b"b")],
        # floats inside containers, tuples of one, nested sets
        "floats_in_list": [0.1, -0.0, 1e16, 1e-05, math.nan, math.inf, -math.inf, 1e22, 5e-324],
        "tuple_of_tuple_1": ((1,),), "frozenset_in_set": {frozenset({1})},
        "frozenset_strs": frozenset({"a"}),
        # dicts with keys that are not str
        "dict_int_keys": {1: "a", -2: "b"}, "dict_none_bool_keys": {None: 1, True: 2, False: 3},
        "dict_float_key": {2.5: "x", -0.0: "y"}, "dict_tuple_key": {(1, "a"): [1]},
        "dict_decimal_key": {D("1.10"): 1}, "dict_date_key": {dt.date(2024, 1, 31): 1},
        "dict_frozenset_key": {frozenset({2}): None}, "dict_bytes_key": {b"k": 1},
        "dict_nested_mixed": {"a": {1: [(2,), {3}]}},
        # datetimes the catalogue lacks
        "datetime_neg_offset": dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3))),
        "datetime_offset_seconds": dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(seconds=3723))),
        "datetime_us_only": dt.datetime(2024, 6, 1, 0, 0, 0, 5),
        "datetime_ny_no_fold": dt.datetime(2024, 11, 3, 1, 30, tzinfo=g.NY),
        "datetime_in_list": [dt.datetime(2024, 1, 2, tzinfo=g.UTC), dt.date(2024, 1, 2)],
        "date_year_5": dt.date(5, 6, 7),
        "timedelta_days_only": dt.timedelta(days=2), "timedelta_neg_days_secs": dt.timedelta(days=-3, seconds=5),
        "timedelta_secs_only": dt.timedelta(seconds=59), "timedelta_us_only": dt.timedelta(microseconds=7),
        "timedelta_in_list": [dt.timedelta(hours=1)],
    }


def extra_numpy_values():
    np = g.np
    if np is None:
        return {}
    return {
        "np_float32_1e20": np.float32(1e20), "np_float32_1e_5": np.float32(1e-5), "np_float32_third": np.float32(1 / 3),
        "np_float16_0_1": np.float16(0.1), "np_float16_max": np.float16(65504), "np_float64_1e16": np.float64(1e16),
        "np_float64_nan": np.float64(math.nan), "np_float32_neg0": np.float32(-0.0), "np_float16_inf": np.float16(math.inf),
        "np_float32_int": np.float32(3.0), "np_int64_neg": np.int64(-(2 ** 63)), "np_in_dict": {"n": np.uint8(7)},
    }


ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def text(s):
    return ADDRESS.sub(" at 0x?>", s)


def row(name, value, stored, python=None):
    out = {"id": name, **stored, "str": text(str(value)), "repr": text(repr(value))}
    if python:
        out["python"] = python
    return out


def pickle_row(name, value, python=None):
    return row(name, value, {"pickle": base64.b64encode(pickle.dumps(value, protocol=4)).decode()}, python)


def contains_serde_obj(o):
    if isinstance(o, g.SerdeObj):
        return True
    if isinstance(o, (list, tuple, set, frozenset)):
        return any(contains_serde_obj(x) for x in o)
    if isinstance(o, dict):
        return any(contains_serde_obj(x) for x in o.values())
    return False


def main():
    os.environ["TZ"] = "UTC"
    __import__("time").tzset()
    if "--debian" in sys.argv:  # real pendulum 2: print its rows as JSON lines for the main run
        if not g.REAL_PENDULUM:
            sys.exit("Debian python3 lacks pendulum (apt-get install python3-pendulum python3-numpy)")
        import pendulum
        python = f"Debian CPython {sys.version.split()[0]}, pendulum {pendulum.__version__}"
        for name, value in g.base_values().items():
            if name.startswith("pendulum_"):
                print(json.dumps(pickle_row(name, value, python), ensure_ascii=True))
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources",
                                            "codec", "pystr.jsonl")
    values = {**g.base_values(), **g.numpy_values(for_json=False), **g.object_values(), **extra_values(),
              **extra_numpy_values()}
    # generate.py's pendulum stand-ins are plain datetimes to str()/repr(): those rows come from real pendulum
    values = {k: v for k, v in values.items() if not k.startswith("pendulum_")}
    rows = [pickle_row(name, value) for name, value in values.items()]
    serde = g.AirflowSerde("3.1")
    for name, value in g.json_object_values().items():
        try:
            raw = serde.write(value)
        except TypeError:  # 3.1 refuses it (an enum in a list); refusals.jsonl has the error
            continue
        # what Airflow reads back: a class generate.py's serde keeps inert (SerdeObj) Airflow imports and rebuilds,
        # i.e. the value itself; the rest (a namedtuple comes back a tuple) as read
        read = serde.read(raw, [])
        rows.append(row("json_" + name, value if contains_serde_obj(read) else read, {"raw": raw}))
    debian = "/usr/bin/python3"
    if os.path.exists(debian) and os.path.realpath(sys.executable) != os.path.realpath(debian):
        r = subprocess.run([debian, __file__, "--debian"], capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"Debian python3 run failed: {r.stderr.strip()}")
        rows += [json.loads(line) for line in r.stdout.splitlines()]
    with open(out, "w", encoding="ascii") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=True, separators=(",", ":")) + "\n")
    print(f"{out}: {len(rows)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
