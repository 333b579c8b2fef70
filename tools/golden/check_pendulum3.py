#!/usr/bin/env python3
"""Checks pickle-pendulum3.jsonl against a real pendulum 3, when one can be imported.

Usage:  python3 tools/golden/check_pendulum3.py PENDULUM_SRC [JSONL]

pendulum 3 (what Airflow 2.10 pins) has no Debian package and PyPI is out of reach here, so generate.py writes the
pendulum 3 family with stand-in classes. This script imports the real library from PENDULUM_SRC (the `src` folder of
a pendulum 3.0.0 checkout; its pure-Python fallback needs only python-dateutil), pickles the same values at the same
protocols and compares the bytes with each vector. It also unpickles every vector with the real classes and compares
the value. Exit 0 when every vector matches; nothing here is part of `mvn verify`.
"""
import base64
import json
import os
import pickle
import sys


def main():
    src = sys.argv[1]
    path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(__file__), "..", "..", "src", "test", "resources", "codec", "pickle-pendulum3.jsonl")
    sys.path.insert(0, src)
    import pendulum
    from pendulum import DateTime, FixedTimezone, Timezone

    values = {  # the catalogue of generate.py's pendulum3_values(), with the real classes
        "pendulum3_utc": DateTime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=Timezone("UTC")),
        "pendulum3_berlin": DateTime(2024, 5, 6, 7, 8, 9, tzinfo=Timezone("Europe/Berlin")),
        "pendulum3_berlin_winter": DateTime(2024, 1, 6, 7, 8, 9, tzinfo=Timezone("Europe/Berlin")),
        "pendulum3_fixed": DateTime(2024, 5, 6, 7, 8, 9, tzinfo=FixedTimezone(-3600 * 3)),
        "pendulum3_fixed_named": DateTime(2024, 5, 6, 7, 8, 9, tzinfo=FixedTimezone(19800, "IST")),
        "pendulum3_fixed_utc": DateTime(2024, 5, 6, 7, 8, 9, tzinfo=FixedTimezone(0, "UTC")),
        "pendulum3_naive": DateTime(2024, 5, 6, 7, 8, 9),
        "pendulum3_in_dict": {"start": DateTime(2024, 5, 6, tzinfo=Timezone("UTC")),
                              "end": DateTime(2024, 5, 7, tzinfo=Timezone("UTC"))},
    }
    same = differ = 0
    for line in open(path):
        row = json.loads(line)
        name = row["id"].split("/")[0]
        stored = base64.b64decode(row["pickle"])
        real = pickle.dumps(values[name], protocol=row["protocol"])
        loaded = pickle.loads(stored)
        value_ok = loaded == values[name] and repr(loaded) == repr(values[name])
        if real == stored and value_ok:
            same += 1
        else:
            differ += 1
            print(f"{row['id']}: bytes {'equal' if real == stored else 'differ'}, value "
                  f"{'equal' if value_ok else 'differs: ' + repr(loaded)}", file=sys.stderr)
    print(f"pendulum {pendulum.__version__} from {os.path.dirname(pendulum.__file__)}: {same} vectors identical, "
          f"{differ} different")
    sys.exit(1 if differ or not same else 0)


if __name__ == "__main__":
    main()
