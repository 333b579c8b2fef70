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
import importlib.util
import json
import os
import pickle
import sys


def main():
    src = sys.argv[1]
    path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(__file__), "..", "..", "src", "test", "resources", "codec", "pickle-pendulum3.jsonl")
    sys.path.insert(0, src)
    import pendulum  # the real one, before generate.py looks: it then builds its catalogue from the real classes

    spec = importlib.util.spec_from_file_location("xcomdb_golden", os.path.join(os.path.dirname(__file__), "generate.py"))
    golden = importlib.util.module_from_spec(spec)
    sys.modules["xcomdb_golden"] = golden  # its dataclasses look their module up
    spec.loader.exec_module(golden)
    assert golden.REAL_PENDULUM and golden.DateTime is pendulum.DateTime, "generate.py did not pick up " + src
    values = golden.pendulum3_values()
    same = differ = 0
    for line in open(path):
        row = json.loads(line)
        name = row["id"].split("/")[0]
        stored = base64.b64decode(row["pickle"])
        real = pickle.dumps(values[name], protocol=row["protocol"])
        try:
            loaded = pickle.loads(stored)
            value_ok = loaded == values[name] and repr(loaded) == repr(values[name])
        except Exception as e:  # a vector the real classes cannot load is a difference too
            loaded, value_ok = e, False
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
