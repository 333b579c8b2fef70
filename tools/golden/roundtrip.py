#!/usr/bin/env python3
"""Reads what xcomdb's Java encoder wrote and decodes it with CPython (used by PythonRoundTripTest).

stdin: JSON lines {"id", "kind": "airflow2"|"airflow30"|"airflow3"|"pickle"|"float", ...}
  airflow2/airflow3: "data" (the stored text) and "canonical" (xcomdb's canonical view of the value)
  pickle:            "data" (base64) and "canonical"
  float:             "bits" (IEEE-754 bits as a signed 64-bit int) and "repr" (xcomdb's Python repr)
stdout: one JSON line per input line: {"id", "ok": bool, "detail"}
Decoding uses the same Airflow serde re-implementation as generate.py; pickles go through
pickle.loads with generate.py's inert find_class (xcomdb wrote them, but the test stays inert anyway).
"""
import base64
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402

os.environ["TZ"] = "UTC"
__import__("time").tzset()

SERDE = {"airflow2": generate.AirflowSerde("2.10"), "airflow30": generate.AirflowSerde("3.0"),
         "airflow3": generate.AirflowSerde("3.1")}

for line in sys.stdin:
    row = json.loads(line)
    try:
        if row["kind"] == "float":
            value = struct.unpack("<d", struct.pack("<q", row["bits"]))[0]
            got = repr(value)
            ok = got == row["repr"]
            detail = got
        else:
            if row["kind"] == "pickle":
                value = generate.inert_loads(base64.b64decode(row["data"]))
            else:
                errors = []  # values Airflow cannot read back decode to inert objects on both sides
                value = SERDE[row["kind"]].read(row["data"], errors)
            got = generate.canonical(value)
            ok = got == row["canonical"]
            detail = got
    except Exception as e:  # report, do not stop
        ok, detail = False, f"{type(e).__name__}: {e}"
    print(json.dumps({"id": row["id"], "ok": ok, "detail": detail}), flush=True)
