#!/usr/bin/env python3
"""Golden vectors for io.xcomdb.codec, made with real CPython.

Usage:  python3 tools/golden/generate.py [OUT_DIR]      (default: src/test/resources/codec)

Writes one JSON-lines file per family:
  pickle-cpython311.jsonl       pickle.dumps(v, protocol) for protocols 0/2/4/5 (pyenv CPython, numpy 2)
  pickle-pendulum3.jsonl        pendulum 3 DateTime/Timezone/FixedTimezone pickles (stand-ins, pickled as 3.0.0's source does)
  pickle-numpy1-pendulum2.jsonl the same with Debian's /usr/bin/python3 (numpy 1.x, pendulum 2), if present
  airflow2-json.jsonl           json.dumps(v, cls=XComEncoder).encode() as Airflow 2.10 writes it
  airflow3-json.jsonl           json.dumps(serde.serialize(v)) as the Airflow 3.1 JSON column holds it,
                                plus REST/core-written rows (a JSON string holding JSON text)
  airflow30-json.jsonl          the same as Airflow 3.0 writes it: serde's primitive check still comes first (a
                                numpy.float64 is a plain float), the numpy.bool_ bug is still there, no pydantic
                                serializer, and JSON-lines comms carry ints of any size
  refusals.jsonl                values Airflow refuses to write, with the exact Python error
  json-fastpaths.jsonl          CPython's verdict on the inputs of DecodeFastPathsTest: JSON numbers, shapes and serde
                                envelopes (json.loads + 3.1 serde), date.fromisoformat, zoneinfo names, allow-list matches

tools/golden/roundtrip.py is the other direction: PythonRoundTripTest feeds it what Java encoded.
tools/golden/pystr.py writes pystr.jsonl: CPython's str()/repr() of these catalogues' values (PyStrGoldenTest).

Every line holds the stored form (base64 for pickles, text for JSON) and the expected canonical view
(the tagged JSON documented in io/xcomdb/codec/package-info.java).

Airflow itself is not installable here, so `AirflowSerde` below re-implements the parts of
airflow/serialization/serde.py, serializers/{builtin,bignum,datetime,timezone,numpy}.py and
airflow/utils/json.py (XComEncoder/XComDecoder) that decide the stored bytes, written from Airflow's
source (2.10, 3.0 and 3.1). pendulum is not installed in the pyenv interpreter either: tiny stand-in classes
with pendulum's module/qualnames and the attributes Airflow's serializers read (FixedTimezone.offset,
Timezone.name, DateTime) take its place; Airflow only looks at qualname/isinstance/offset/name.
Airflow 2.10 pins numpy 1.26: its `numpy.bool_` qualname is emulated on numpy 2 (where it is numpy.bool).
"""
from __future__ import annotations

import base64
import collections
import dataclasses
import datetime as dt
import decimal
import enum
import io
import json
import math
import os
import pickle
import re
import subprocess
import sys
import types
import zoneinfo

try:
    import numpy as np
except ImportError:  # the Debian interpreter may lack it
    np = None

try:
    import pendulum  # real pendulum 2 on Debian's python3
    REAL_PENDULUM = True
except ImportError:
    REAL_PENDULUM = False

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1


# ----------------------------------------------------------------------------------------------
# pendulum stand-ins (only when pendulum is absent)
# ----------------------------------------------------------------------------------------------
if not REAL_PENDULUM:
    class Timezone(zoneinfo.ZoneInfo):  # pendulum 3's Timezone subclasses ZoneInfo
        @property
        def name(self):
            return self.key

    class FixedTimezone(dt.tzinfo):  # pendulum 3.0.0 src/pendulum/tz/timezone.py, as far as pickles see it
        def __init__(self, offset, name=None):
            sign = "-" if offset < 0 else "+"
            hour, minute = divmod(abs(int(offset / 60)), 60)
            self._name = name or f"{sign}{hour:02d}:{minute:02d}"
            self._offset = offset
            self._utcoffset = dt.timedelta(seconds=offset)

        name = property(lambda self: self._name)
        offset = property(lambda self: self._offset)

        def utcoffset(self, _):
            return self._utcoffset

        def dst(self, _):
            return dt.timedelta(0)

        def tzname(self, _):
            return self._name

        def __getinitargs__(self):  # tzinfo.__reduce__ calls it: (FixedTimezone, (offset, name), __dict__)
            return self._offset, self._name

    class DateTime(dt.datetime):  # pendulum 3.0.0 src/pendulum/datetime.py pickles with these two
        def __reduce__(self):
            return self.__reduce_ex__(2)

        def __reduce_ex__(self, protocol):
            return self.__class__, (self.year, self.month, self.day, self.hour, self.minute, self.second,
                                    self.microsecond, self.tzinfo)

    _mods = {}
    for modname in ("pendulum", "pendulum.tz", "pendulum.tz.timezone", "pendulum.datetime"):
        _mods[modname] = types.ModuleType(modname)
        sys.modules[modname] = _mods[modname]
    for cls, modname in ((Timezone, "pendulum.tz.timezone"), (FixedTimezone, "pendulum.tz.timezone"),
                         (DateTime, "pendulum.datetime")):
        cls.__module__ = modname
        setattr(_mods[modname], cls.__name__, cls)

    def parse_timezone(name):  # airflow.utils.timezone.parse_timezone under pendulum 3
        if isinstance(name, int):
            return FixedTimezone(name)
        if not name:
            raise ValueError("Invalid timezone: empty name")
        return Timezone(name)  # pendulum 3: pendulum.timezone("UTC") is Timezone("UTC")
else:
    Timezone = sys.modules["pendulum.tz.timezone"].Timezone  # pendulum.tz.timezone is also a function
    FixedTimezone = sys.modules["pendulum.tz.timezone"].FixedTimezone
    DateTime = sys.modules["pendulum.datetime"].DateTime


def qualname(o):
    cls = o if isinstance(o, type) else type(o)
    name = f"{cls.__module__}.{cls.__qualname__}"
    if np is not None and name == "numpy.bool":
        return "numpy.bool_"  # numpy 1.26 name, as Airflow's pinned numpy sees it
    return name


# ----------------------------------------------------------------------------------------------
# a DAG-file module with user classes, so pickle and serde see stable qualnames
# ----------------------------------------------------------------------------------------------
dagmod = types.ModuleType("dags.example")
sys.modules["dags.example"] = dagmod
sys.modules.setdefault("dags", types.ModuleType("dags"))


def in_dagmod(cls):
    cls.__module__ = "dags.example"
    setattr(dagmod, cls.__name__, cls)
    return cls


@in_dagmod
@dataclasses.dataclass
class Point:
    x: int
    y: float


@in_dagmod
@dataclasses.dataclass
class Versioned:
    __version__ = 3
    name: str
    tags: tuple


@in_dagmod
class Plain:
    def __init__(self, a, b):
        self.a = a
        self.b = b


@in_dagmod
class Slotted:
    __slots__ = ("p", "q")

    def __init__(self):
        self.p = 1
        self.q = "two"


@in_dagmod
class TupleState:
    def __init__(self):
        self.v = 5

    def __getstate__(self):
        return (self.v, "extra")

    def __setstate__(self, s):
        self.v = s[0]


@in_dagmod
class OwnSerialize:
    __version__ = 2

    def __init__(self, payload):
        self.payload = payload

    def serialize(self):
        return {"payload": self.payload, "when": dt.date(2024, 1, 31)}


@in_dagmod
class Color(enum.Enum):
    RED = 1
    GREEN = "g"


PointNT = in_dagmod(collections.namedtuple("PointNT", "x y"))

try:
    import pydantic

    @in_dagmod
    class Model(pydantic.BaseModel):
        name: str
        size: int = 3
except ImportError:
    pydantic = None


# ----------------------------------------------------------------------------------------------
# Airflow serde re-implementation (encode and decode), 2.10 and 3.1 rules
# ----------------------------------------------------------------------------------------------
CLASSNAME, VERSION, DATA, SCHEMA_ID = "__classname__", "__version__", "__data__", "__id__"
OLD_TYPE, OLD_DATA, OLD_DICT = "__type", "__var", "dict"
PRIMITIVES = (int, bool, float, str)
BUILTIN_COLLECTIONS = (frozenset, list, set, tuple)


def ser_builtin(o):
    return list(o), qualname(o), 1, True


def ser_decimal(o):
    if not isinstance(o, decimal.Decimal):
        return "", "", 0, False
    _, _, exponent = o.as_tuple()
    if isinstance(exponent, int) and exponent >= 0:
        return int(o), qualname(o), 1, True
    return float(o), qualname(o), 1, True


def _tzinfo_name(tz):
    if hasattr(tz, "key"):
        return tz.key
    if hasattr(tz, "name"):
        return tz.name
    if hasattr(tz, "zone"):
        return tz.zone
    return None


def ser_timezone(o):
    name = qualname(o)
    if isinstance(o, FixedTimezone):
        if o.offset == 0:
            return "UTC", name, 1, True
        return o.offset, name, 1, True
    tz_name = _tzinfo_name(o)
    if tz_name is not None:
        return tz_name, name, 1, True
    if o.utcoffset(None) == dt.timedelta(0):
        return "UTC", qualname(FixedTimezone), 1, True
    return "", "", 0, False


def ser_datetime(o):
    if isinstance(o, dt.datetime):
        tz = ser_timezone(o.tzinfo) if o.tzinfo else None
        return {"timestamp": o.timestamp(), "tz": tz}, qualname(o), 2, True
    if isinstance(o, dt.date):
        return o.isoformat(), qualname(o), 2, True
    if isinstance(o, dt.timedelta):
        return o.total_seconds(), qualname(o), 2, True
    return "", "", 0, False


def make_ser_numpy(bool_bug):
    def ser_numpy(o):
        name = qualname(o)
        if isinstance(o, (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
                          np.intc, np.intp)):
            return int(o), name, 1, True
        if isinstance(o, np.bool_):
            return (bool(np) if bool_bug else bool(o)), name, 1, True
        if isinstance(o, (np.float16, np.float32, np.float64, np.complex64, np.complex128)):
            return float(o), name, 1, True  # complex raises TypeError here, as in Airflow
        return "", "", 0, False
    return ser_numpy


_NUMPY_2 = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool_", "float64", "float16",
            "complex128", "complex64")
# serializers/numpy.py's registered names: 3.1 adds numpy.float32 and numpy.bool (numpy 2's qualname of bool_)
NUMPY_REGISTERED = {"2.10": _NUMPY_2, "3.0": _NUMPY_2, "3.1": _NUMPY_2 + ("float32", "bool")}


class AirflowSerde:
    def __init__(self, version):
        self.version = version  # "2.10", "3.0" or "3.1"
        s = {}
        for n in ("builtins.tuple", "builtins.set", "builtins.frozenset"):
            s[n] = ser_builtin
        s["decimal.Decimal"] = ser_decimal
        for n in ("datetime.date", "datetime.datetime", "datetime.timedelta", "pendulum.datetime.DateTime"):
            s[n] = ser_datetime
        for n in ("pendulum.tz.timezone.FixedTimezone", "pendulum.tz.timezone.Timezone", "zoneinfo.ZoneInfo"):
            s[n] = ser_timezone
        if np is not None:
            for n in NUMPY_REGISTERED[version]:
                s["numpy." + n] = make_ser_numpy(bool_bug=(version != "3.1"))  # fixed in 3.1
        self.serializers = s

    def serialize(self, o, depth=0):
        if depth == 999:
            raise RecursionError("maximum recursion depth reached for serialization")
        if o is None:
            return o
        if self.version != "3.1" and isinstance(o, PRIMITIVES):  # 3.1 moved it after the lookup
            return o.value if isinstance(o, enum.Enum) else o
        if isinstance(o, list):
            return [self.serialize(d, depth + 1) for d in o]
        if isinstance(o, dict):
            if CLASSNAME in o or SCHEMA_ID in o:
                raise AttributeError(f"reserved key {CLASSNAME} or {SCHEMA_ID} found in dict to serialize")
            return {str(k): self.serialize(v, depth + 1) for k, v in o.items()}
        if isinstance(o, SerdeObj):  # a decoded user object: its class re-serializes to the same envelope
            data = o.data
            return {CLASSNAME: o._classname, VERSION: o.__version__,
                    DATA: self.serialize(data, depth + 1) if isinstance(data, dict) else data}
        cls = type(o)
        qn = qualname(o)
        classname = None
        if hasattr(o, "_asdict") and hasattr(o, "_fields") and hasattr(o, "_field_defaults"):
            qn = classname = "builtins.tuple"
        is_pyd = pydantic is not None and isinstance(o, pydantic.BaseModel)
        if self.version == "3.1" and is_pyd:
            qn, classname = "pydantic.main.BaseModel", qualname(o)
        if qn in self.serializers:
            data, sname, version, ok = self.serializers[qn](o)
            if ok:
                return {CLASSNAME: classname or sname, VERSION: version, DATA: self.serialize(data, depth + 1)}
        if qn == "pydantic.main.BaseModel":  # 3.1 serializers/pydantic.py
            return {CLASSNAME: classname, VERSION: 1, DATA: self.serialize(o.model_dump(), depth + 1)}
        if self.version == "3.1" and isinstance(o, PRIMITIVES):
            return o.value if isinstance(o, enum.Enum) else o
        dct = {CLASSNAME: qn, VERSION: getattr(cls, "__version__", 0)}
        if hasattr(o, "serialize"):
            data = o.serialize()
            if isinstance(data, dict):
                data = self.serialize(data, depth + 1)
            dct[DATA] = data
            return dct
        if self.version == "2.10" and is_pyd:
            dct[DATA] = self.serialize(o.dict(), depth + 1)
            return dct
        if dataclasses.is_dataclass(cls):
            dct[DATA] = self.serialize(dataclasses.asdict(o), depth + 1)
            return dct
        raise TypeError(f"cannot serialize object of type {cls}")

    # -- XComEncoder (2.x) ----------------------------------------------------------------------
    def xcom_encoder(self):
        serde = self

        class XComEncoder(json.JSONEncoder):
            def default(self, o):
                try:
                    return serde.serialize(o)
                except TypeError:
                    return super().default(o)

            def encode(self, o):
                if isinstance(o, dict) and (CLASSNAME in o or SCHEMA_ID in o):
                    raise AttributeError(f"reserved key {CLASSNAME} found in dict to serialize")
                if isinstance(o, tuple):
                    o = self.default(o)
                return super().encode(o)
        return XComEncoder

    def write(self, value):
        """The stored text: 2.10 BYTEA/LONGBLOB bytes, or 3.1 JSON column text."""
        if self.version == "2.10":
            return json.dumps(value, cls=self.xcom_encoder())
        structure = self.serialize(value)
        if self.version == "3.1":  # 3.0 ships XComs as JSON lines, which carry any int
            check_msgpack_ints(structure)
        check_utf8(structure)
        return json.dumps(structure, allow_nan=False)  # the Execution API's JSON transport refuses NaN

    # -- deserialize (object_hook / top-down, same result) ---------------------------------------
    def deserialize(self, o, errors):
        if o is None or isinstance(o, PRIMITIVES):
            return o
        if isinstance(o, BUILTIN_COLLECTIONS):
            col = [self.deserialize(d, errors) for d in o]
            return tuple(col) if isinstance(o, tuple) else set(col) if isinstance(o, set) else col
        if not isinstance(o, dict):
            return o
        if OLD_TYPE in o and OLD_DATA in o:
            o = o[OLD_DATA] if o[OLD_TYPE] == OLD_DICT else {CLASSNAME: o[OLD_TYPE], VERSION: 0,
                                                               DATA: o[OLD_DATA]}
            if not isinstance(o, dict):
                return self.deserialize(o, errors)
        if CLASSNAME not in o or VERSION not in o:
            return {str(k): self.deserialize(v, errors) for k, v in o.items()}
        classname, version, data = o[CLASSNAME], o[VERSION], o.get(DATA)
        value = self.deserialize(data, errors)
        try:
            if not isinstance(classname, str) or not isinstance(version, int) or isinstance(version, bool):
                raise ValueError(f"cannot decode {o!r}")
            return self.builtin_deserialize(classname, version, value)
        except LookupError:
            return SerdeObj.make(classname, version, value)
        except Exception as e:  # Airflow would raise; the Java codec keeps an inert object
            errors.append(f"{type(e).__name__}: {e}")
            return SerdeObj.make(classname, version, value)

    def builtin_deserialize(self, classname, version, data):
        if classname in ("builtins.tuple", "builtins.set", "builtins.frozenset"):
            if version > 1:
                raise TypeError("serialized version is newer than class version")
            return {"builtins.tuple": tuple, "builtins.set": set, "builtins.frozenset": frozenset}[classname](data)
        if classname == "decimal.Decimal":
            if version > 1:
                raise TypeError(f"serialized {version} of {classname} > 1")
            return decimal.Decimal(str(data))
        if classname in ("datetime.date", "datetime.datetime", "datetime.timedelta", "pendulum.datetime.DateTime"):
            return self.de_datetime(classname, version, data)
        # xcomdb reads every 3.x JSON column with 3.1's registry: it cannot tell 3.0's rows apart, and 3.0 writes
        # neither numpy.float32 nor numpy.bool
        if classname.startswith("numpy.") and classname[6:] in NUMPY_REGISTERED["2.10" if self.version == "2.10" else "3.1"]:
            if version > 1:
                raise TypeError("serialized version is newer than class version")
            return getattr(np, classname[6:])(data)  # numpy.bool: numpy 2 (3.1 under numpy 1 cannot import it)
        if classname in ("pendulum.tz.timezone.FixedTimezone", "pendulum.tz.timezone.Timezone",
                         "zoneinfo.ZoneInfo", "backports.zoneinfo.ZoneInfo"):
            return self.de_timezone(classname, version, data)
        raise LookupError(classname)

    def de_timezone(self, classname, version, data):
        if not isinstance(data, (str, int)):
            raise TypeError(f"{data} is not of type int or str but of {type(data)}")
        if version > 1:
            raise TypeError(f"serialized {version} of {classname} > 1")
        if self.version == "2.10" and "zoneinfo.ZoneInfo" in classname:  # 2.10 serializers/timezone.py
            return zoneinfo.ZoneInfo(data)
        if self.version != "2.10" and classname == "backports.zoneinfo.ZoneInfo" and isinstance(data, str):
            return zoneinfo.ZoneInfo(data)  # 3.x: zoneinfo.ZoneInfo itself goes to parse_timezone
        if classname == qualname(FixedTimezone) and data == "UTC":
            # xcomdb policy, not pendulum 3: every UTC tzinfo (timezone.utc too) is written this way, and pendulum 2
            # reads it back as FixedTimezone(0, "UTC"), which writes the same bytes again; pendulum 3's
            # Timezone("UTC") would not
            return FixedTimezone(0, "UTC")
        return parse_timezone(data)

    def de_datetime(self, classname, version, data):
        tz = None
        if isinstance(data, dict) and "tz" in data:
            if version == 1:
                mapping = {"EDT": -4 * 3600, "CDT": -5 * 3600, "MDT": -6 * 3600, "PDT": -7 * 3600, "CEST": "CET"}
                tz = parse_timezone(mapping.get(data["tz"], data["tz"]))
            else:
                tz = self.de_timezone(data["tz"][1], data["tz"][2], data["tz"][0]) if data["tz"] else None
        if classname == "datetime.datetime" and isinstance(data, dict):
            return dt.datetime.fromtimestamp(float(data["timestamp"]), tz=tz)
        if classname == "pendulum.datetime.DateTime" and isinstance(data, dict):
            d = dt.datetime.fromtimestamp(float(data["timestamp"]), tz=tz)
            return DateTime(d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, d.tzinfo)
        if classname == "datetime.timedelta" and isinstance(data, (str, float)):
            return dt.timedelta(seconds=float(data))
        if classname == "datetime.date" and isinstance(data, str):
            return dt.date.fromisoformat(data)
        raise TypeError(f"unknown date/time format {classname}")

    def read(self, text, errors):
        """json.loads with XComDecoder (2.x) / serde.deserialize(json column) (3.x)."""
        return self.deserialize(json.loads(text), errors)


def check_msgpack_ints(o):
    """3.1+ ships XComs from the task to the supervisor as msgpack (msgspec), which has no bigger ints.
    The message is xcomdb's wording; msgspec's own text was not checked."""
    if isinstance(o, int) and not isinstance(o, bool) and not -(2 ** 63) <= o <= 2 ** 64 - 1:
        raise OverflowError("Airflow 3.1+ sends XComs as msgpack, which cannot carry ints outside "
                            "[-2**63, 2**64-1]")
    if isinstance(o, (list, tuple)):
        for x in o:
            check_msgpack_ints(x)
    if isinstance(o, dict):
        for x in o.values():
            check_msgpack_ints(x)


def check_utf8(o):
    """A 3.x task's XCom travels as UTF-8 (supervisor comms, the Execution API body; JSONB refuses a lone
    surrogate escape too): a lone surrogate fails there. The error is CPython's UTF-8 encoder's, str.encode()
    of the offending str; the exact wording of each transport was not checked."""
    if isinstance(o, str):
        o.encode("utf-8")
    elif isinstance(o, (list, tuple)):
        for x in o:
            check_utf8(x)
    elif isinstance(o, dict):
        for k, x in o.items():
            check_utf8(k)
            check_utf8(x)


class SerdeObj:
    """What an allow-listed user class decodes to; re-serializes to the same envelope."""
    _classes = {}

    @classmethod
    def make(cls, classname, version, data):
        key = (classname, version)
        if key not in cls._classes:
            module, _, name = classname.rpartition(".")
            sub = type(name, (SerdeObj,), {"__version__": version})
            sub.__module__, sub.__qualname__ = module, name
            sub._classname = classname
            cls._classes[key] = sub
        obj = cls._classes[key]()
        obj.data = data
        return obj

    def serialize(self):
        return self.data


# ----------------------------------------------------------------------------------------------
# canonical view
# ----------------------------------------------------------------------------------------------
def float_tag(f):
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    return repr(f)


DEFAULT_TZCLASS = {True: "pendulum.tz.timezone.Timezone", False: "pendulum.tz.timezone.FixedTimezone"}


def tz_zone(tz):
    if tz is None or type(tz) is dt.timezone:
        return None
    if hasattr(tz, "key"):
        return tz.key
    if isinstance(tz, FixedTimezone):
        return None
    return getattr(tz, "name", None)


class Canon:
    def __init__(self):
        self.path = {}
        self.next_id = 1

    def __call__(self, o):
        return self.c(o)

    def c(self, o):
        if o is None or isinstance(o, (bool, str)):
            return o
        if np is not None and isinstance(o, np.generic):
            if isinstance(o, np.ndarray):
                pass
            return {"$numpy": {"dtype": o.dtype.name, "value": self.c(o.item())}}
        if isinstance(o, int):
            return o if INT64_MIN <= o <= INT64_MAX else {"$int": str(o)}
        if isinstance(o, float):
            return {"$float": float_tag(o)}
        if isinstance(o, bytearray):
            return {"$bytearray": base64.b64encode(bytes(o)).decode()}
        if isinstance(o, bytes):
            return {"$bytes": base64.b64encode(o).decode()}
        if isinstance(o, dt.datetime):
            out = {"$datetime": dt.datetime.isoformat(o)}
            if o.tzinfo is not None and o.utcoffset() is not None:
                zone = tz_zone(o.tzinfo)
                if zone is not None:
                    out["zone"] = zone
                tzc = qualname(o.tzinfo)
                if tzc != DEFAULT_TZCLASS[zone is not None]:
                    out["tzclass"] = tzc
            if qualname(o) != "datetime.datetime":
                out["class"] = qualname(o)
            return out
        if isinstance(o, dt.date):
            return {"$date": o.isoformat()}
        if isinstance(o, dt.timedelta):
            return {"$timedelta": {"days": o.days, "seconds": o.seconds, "microseconds": o.microseconds}}
        if isinstance(o, decimal.Decimal):
            if o.is_finite() and not (o.is_zero() and o.is_signed()):
                return {"$decimal": str(o)}
            return {"$object": {"class": "decimal.Decimal", "args": [str(o)], "state": None}}
        if isinstance(o, SerdeObj):
            return {"$object": {"class": o._classname, "version": o.__version__, "data": self.c(o.data)}}
        if isinstance(o, type):
            return {"$global": getattr(o, "_name", None) or f"{o.__module__}.{o.__qualname__}"}
        # containers (may be cyclic)
        key = id(o)
        if key in self.path:
            entry = self.path[key]
            if entry[0] is None:
                entry[0] = self.next_id
                self.next_id += 1
            return {"$ref": entry[0]}
        entry = [None]
        self.path[key] = entry
        try:
            tag, body = self.container(o)
        finally:
            del self.path[key]
        if entry[0] is not None:  # a container that (indirectly) contains itself
            if tag is None:
                tag, body = "$dict", [[k, v] for k, v in body.items()]
            return {"$id": entry[0], tag: body}
        return body if tag in (None, "$list") else {tag: body}

    def container(self, o):
        if isinstance(o, list):
            return "$list", [self.c(x) for x in o]
        if isinstance(o, tuple):
            return "$tuple", [self.c(x) for x in o]
        if isinstance(o, frozenset):
            return "$frozenset", [self.c(x) for x in o]
        if isinstance(o, set):
            return "$set", [self.c(x) for x in o]
        if isinstance(o, dict):
            if all(isinstance(k, str) and not k.startswith("$") for k in o):
                return None, {k: self.c(v) for k, v in o.items()}
            return "$dict", [[self.c(k), self.c(v)] for k, v in o.items()]
        if np is not None and isinstance(o, np.ndarray):
            fortran = bool(o.flags.f_contiguous and not o.flags.c_contiguous)
            flat = o.ravel(order="F" if fortran else "C")
            return "$ndarray", {"dtype": o.dtype.name, "shape": list(o.shape), "fortran_order": fortran,
                                "values": [self.c(x.item() if o.dtype != object else x) for x in flat]}
        if isinstance(o, Inert):
            out = {"class": type(o)._name, "args": [self.c(a) for a in getattr(o, "args", [])],
                   "state": self.c(getattr(o, "state", None))}
            if getattr(o, "kwargs", None):
                out["kwargs"] = {k: self.c(v) for k, v in o.kwargs.items()}
            if getattr(o, "listitems", None):
                out["listitems"] = [self.c(x) for x in o.listitems]
            if getattr(o, "dictitems", None):
                out["dictitems"] = [[self.c(k), self.c(v)] for k, v in o.dictitems]
            return "$object", out
        raise TypeError(f"no canonical form for {type(o)}")


def canonical(o):
    text = json.dumps(Canon()(o), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[\ud800-\udfff]", lambda m: "\\u%04x" % ord(m.group()), text)


# ----------------------------------------------------------------------------------------------
# inert unpickling (what xcomdb promises: known data classes are rebuilt, everything else is recorded)
# ----------------------------------------------------------------------------------------------
class StubMeta(type):
    def __getattr__(cls, item):
        if item.startswith("__"):
            raise AttributeError(item)
        return make_stub(cls._name + "." + item)


class Inert(metaclass=StubMeta):
    _name = "?"

    def __new__(cls, *args, **kwargs):
        self = object.__new__(cls)
        self.args, self.kwargs = list(args), kwargs
        return self

    def __init__(self, *a, **k):
        pass

    def __setstate__(self, state):
        self.state = state

    def append(self, x):
        self.__dict__.setdefault("listitems", []).append(x)

    def extend(self, xs):
        self.__dict__.setdefault("listitems", []).extend(xs)

    def __setitem__(self, k, v):
        self.__dict__.setdefault("dictitems", []).append((k, v))


_stubs = {}


def make_stub(name):
    if name not in _stubs:
        _stubs[name] = StubMeta(name.rpartition(".")[2], (Inert,), {"_name": name})
    return _stubs[name]


def reconstructor(cls, base, state):
    if getattr(base, "_name", None) == "builtins.tuple":  # (a stub) a protocol 0/1 namedtuple: the same args as its protocol 2+ NEWOBJ (cls, *items)
        return cls.__new__(cls, *state)
    return cls.__new__(cls) if base is object else cls.__new__(cls, state)


COMPAT = {"__builtin__": "builtins", "copy_reg": "copyreg"}
REAL = {("builtins", n) for n in ("set", "frozenset", "bytearray", "bytes", "getattr", "object")} | {
    ("_codecs", "encode"), ("decimal", "Decimal"), ("zoneinfo", "ZoneInfo")}


class InertUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        module = COMPAT.get(module, module)
        if (module, name) == ("copyreg", "_reconstructor"):
            return reconstructor
        real = (module, name) in REAL or module == "datetime" or module.startswith("numpy") or (
                (REAL_PENDULUM or PENDULUM3_STANDINS_ARE_REAL) and module.startswith("pendulum"))
        if real:
            return super().find_class(module, name)
        return make_stub(f"{module}.{name}")


PENDULUM3_STANDINS_ARE_REAL = False  # set while making the pendulum 3 family: its stand-ins load as they pickled


def inert_loads(data):
    return InertUnpickler(io.BytesIO(data)).load()


# ----------------------------------------------------------------------------------------------
# catalogues
# ----------------------------------------------------------------------------------------------
UTC = dt.timezone.utc
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NY = zoneinfo.ZoneInfo("America/New_York")


def pendulum3_values():
    return {
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


def base_values():
    """Values every family shares (no numpy, no user classes)."""
    v = {
        "none": None, "true": True, "false": False,
        "int_0": 0, "int_1": 1, "int_neg1": -1, "int_255": 255, "int_256": 256, "int_65535": 65535,
        "int_65536": 65536, "int_2p31m1": 2 ** 31 - 1, "int_neg2p31": -2 ** 31, "int_2p31": 2 ** 31,
        "int_max64": INT64_MAX, "int_min64": INT64_MIN, "int_2p63": 2 ** 63, "int_min64m1": INT64_MIN - 1,
        "int_2p64m1": 2 ** 64 - 1, "int_2p100": 2 ** 100, "int_neg2p100": -(2 ** 100), "int_10p30": 10 ** 30,
        "float_0": 0.0, "float_neg0": -0.0, "float_1_5": 1.5, "float_0_1": 0.1, "float_1e16": 1e16,
        "float_1e15": 1e15, "float_1e_5": 1e-5, "float_1e_4": 1e-4, "float_1e22": 1e22, "float_1e23": 1e23,
        "float_min_sub": 5e-324, "float_max": 1.7976931348623157e308, "float_third": 1 / 3,
        "float_2p63": 2.0 ** 63, "float_123456789_125": 123456789.125, "float_neg_1_5e_300": -1.5e-300,
        "float_nan": math.nan, "float_inf": math.inf, "float_neginf": -math.inf,
        "str_empty": "", "str_hello": "hello", "str_latin": "ünïcödé", "str_cjk": "日本語",
        "str_emoji": "emoji 😀 𝄞", "str_escapes": "q\" b\\ n\n t\t r\r nul\x00 us\x1f del\x7f",
        "str_linesep": "a\u2028b\u2029c", "str_json_like": "{\"a\": 1}", "str_number_like": "42",
        "list_empty": [], "list_mixed": [1, "a", None, True, 2.5], "list_nested": [[1, [2, [3, []]]], {"k": [4]}],
        "tuple_empty": (), "tuple_1": (1,), "tuple_3": (1, "two", 3.0), "tuple_nested": ((1, 2), [3, (4,)]),
        "list_with_tuple": [1, (2, 3)], "dict_with_tuple": {"t": (1, 2), "l": [(3,)]},
        "dict_empty": {}, "dict_simple": {"a": 1, "b": [1, 2], "c": {"d": None}},
        "dict_order": {"z": 1, "a": 2, "m": 3}, "dict_unicode_key": {"ключ": "значение", "k\"q": 1},
        "dict_dollar_key": {"$int": "5", "plain": 1},
        "set_empty": set(), "set_ints": {1, 2, 3}, "set_strs": {"x"}, "frozenset_ints": frozenset({5, 6}),
        "frozenset_empty": frozenset(), "list_with_set": [{7}],
        "date": dt.date(2024, 2, 29), "date_min": dt.date(1, 1, 1), "date_max": dt.date(9999, 12, 31),
        "timedelta": dt.timedelta(days=1, seconds=2, microseconds=3), "timedelta_neg": dt.timedelta(days=-1),
        "timedelta_neg_us": dt.timedelta(microseconds=-1), "timedelta_zero": dt.timedelta(0),
        "timedelta_big": dt.timedelta(days=999999999, seconds=86399, microseconds=999999),
        "timedelta_frac": dt.timedelta(seconds=1, microseconds=500000),
        "datetime_utc": dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
        "datetime_utc_no_us": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        "datetime_offset": dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
        "datetime_berlin_summer": dt.datetime(2024, 7, 1, 9, 30, 15, 1, tzinfo=BERLIN),
        "datetime_berlin_winter": dt.datetime(2024, 1, 1, 0, 0, tzinfo=BERLIN),
        "datetime_ny_fold": dt.datetime(2024, 11, 3, 1, 30, tzinfo=NY, fold=1),
        "datetime_naive": dt.datetime(2024, 1, 2, 3, 4, 5, 123456),
        "datetime_epoch": dt.datetime(1970, 1, 1, tzinfo=UTC),
        "datetime_old": dt.datetime(1900, 3, 1, 0, 0, 0, 1, tzinfo=UTC),
        "pendulum_utc": DateTime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=Timezone("UTC")),
        "pendulum_berlin": DateTime(2024, 5, 6, 7, 8, 9, tzinfo=Timezone("Europe/Berlin")),
        "pendulum_fixed": dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=FixedTimezone(-3600 * 3)),
        "pendulum_fixed_utc": dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=FixedTimezone(0, "UTC")),
        "decimal": decimal.Decimal("1.50"), "decimal_small": decimal.Decimal("-0.001"),
        "decimal_exp": decimal.Decimal("1E+3"), "decimal_int": decimal.Decimal("42"),
        "decimal_big": decimal.Decimal("123456789012345678901234567890.123"),
        "decimal_tiny": decimal.Decimal("1E-7"),
        "mixed": {"ints": [1, 2 ** 70], "when": dt.date(2020, 1, 1), "set": {1}, "tuple": (1, [2])},
    }
    if REAL_PENDULUM:  # pendulum 2: real objects instead of stand-ins
        v["pendulum_utc"] = pendulum.datetime(2024, 5, 6, 7, 8, 9, 123456, tz="UTC")
        v["pendulum_berlin"] = pendulum.datetime(2024, 5, 6, 7, 8, 9, tz="Europe/Berlin")
        v["pendulum_fixed"] = pendulum.datetime(2024, 5, 6, 7, 8, 9, tz=pendulum.tz.fixed_timezone(-10800))
        v["pendulum_fixed_utc"] = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=pendulum.tz.fixed_timezone(0))
    return v


def numpy_values(for_json):
    if np is None:
        return {}
    v = {
        "np_int8": np.int8(-5), "np_int16": np.int16(300), "np_int32": np.int32(-70000),
        "np_int64": np.int64(2 ** 62), "np_uint8": np.uint8(200), "np_uint64": np.uint64(2 ** 64 - 1),
        "np_float64": np.float64(2.5), "np_float16": np.float16(1.5), "np_bool_true": np.bool_(True),
        "np_bool_false": np.bool_(False), "np_in_list": [np.int64(1), np.float64(0.5)],
    }
    if not for_json:
        v.update({
            "np_float32": np.float32(0.1), "np_uint16": np.uint16(65535), "np_uint32": np.uint32(2 ** 32 - 1),
            "nd_int": np.arange(6, dtype=np.int64).reshape(2, 3), "nd_fortran": np.asfortranarray(
                np.array([[1.5, 2.0], [3.0, 4.25]])), "nd_bool": np.array([True, False, True]),
            "nd_empty": np.zeros((0,), dtype=np.float64), "nd_0d": np.array(7, dtype=np.int32),
            "nd_uint8": np.array([0, 255], dtype=np.uint8), "nd_f32": np.array([0.5, -1.25], dtype=np.float32),
            "nd_big_endian": np.array([1, 2], dtype=">i4"),
        })
    return v


def object_values():
    v = {
        "obj_plain": Plain(1, "x"), "obj_slots": Slotted(), "obj_tuple_state": TupleState(),
        "obj_dataclass": Point(1, 2.5), "enum_red": Color.RED, "enum_green": Color.GREEN,
        "namedtuple": PointNT(1, 2),
        "ordered_dict": collections.OrderedDict([("b", 1), ("a", 2)]),
        "defaultdict": collections.defaultdict(list, {"k": [1]}),
        "counter": collections.Counter({"x": 2}),
        "class_ref": Plain, "builtin_class_ref": set,
        "complex": 1 + 2j,
    }
    if pydantic is not None:
        v["pydantic"] = Model(name="m")
    lst = [1]
    lst.append(lst)
    v["recursive_list"] = lst
    d = {"name": "d"}
    d["self"] = d
    v["recursive_dict"] = d
    shared = [1, 2]
    v["shared_refs"] = [shared, shared, (shared,)]
    obj = Plain(None, None)
    obj.a = obj
    v["recursive_object"] = obj
    return v


def batch_values():
    """Pickle only: _pickle.c writes dicts and sets in batches of 1000 and loops while a batch was full, so
    exactly 1000, 2000, ... items end in an empty MARK SETITEMS / MARK ADDITEMS (lists do not)."""
    return {"dict_1000": {i: i for i in range(1000)}, "dict_1001": {i: -i for i in range(1001)},
            "dict_2000": {f"k{i}": i for i in range(2000)}, "set_1000": set(range(1000)),
            "set_2000": set(range(2000)), "list_1000": list(range(1000))}


def json_object_values():
    v = {"dataclass": Point(1, 2.5), "dataclass_versioned": Versioned("v", (1, 2)),
         "own_serialize": OwnSerialize([1, (2,)]), "namedtuple": PointNT(1, 2), "enum_in_list": [Color.RED],
         "dataclass_nested_in_list": [Point(3, 4.0)]}
    if pydantic is not None:
        v["pydantic"] = Model(name="m")
    return v


def json_new_values():
    """Values added after the first catalogue (kept last so the earlier rows keep their place)."""
    v = {"datetime_zoneinfo_utc": dt.datetime(2024, 3, 4, 5, 6, 7, tzinfo=zoneinfo.ZoneInfo("UTC")),
         "datetime_zoneinfo_tokyo": dt.datetime(2024, 3, 4, 5, 6, 7, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo")),
         "zoneinfo_in_list": [dt.datetime(2024, 7, 1, tzinfo=BERLIN), dt.datetime(2024, 7, 1, tzinfo=UTC)],
         "str_lone_surrogate": "x\ud800y"}  # (not as a dict key: Jackson, which reads the test files, refuses it)
    if np is not None:
        v.update({"np_float32": np.float32(0.1), "np_float32_in_list": [np.float32(-2.5)]})
    return v


def hand_made_numpy():
    """numpy envelopes by name: 3.1 with numpy 2 writes numpy.bool, with numpy 1 numpy.bool_ (2.10 and 3.0 know only
    numpy.bool_ and no numpy.float32: kept as objects there; not in the 3.0 family, which xcomdb decodes as 3.x)."""
    return {"numpy_bool_numpy2_true": '{"__classname__": "numpy.bool", "__version__": 1, "__data__": true}',
            "numpy_bool_numpy2_false": '{"__classname__": "numpy.bool", "__version__": 1, "__data__": false}',
            "numpy_float32_envelope": '{"__classname__": "numpy.float32", "__version__": 1, "__data__": 0.5}',
            "numpy_float32_rounds": '{"__classname__": "numpy.float32", "__version__": 1, "__data__": 0.1}'}


def hand_made_json():
    """Stored forms that cannot be produced by today's encoder: old versions, edge shapes, JSONB output."""
    return {
        "legacy_2_4_plain": '{"a": [1, 2], "b": "c"}',
        "legacy_2_5_dataclass": '{"__classname__": "dags.example.Point", "__version__": 0, "__data__": '
                                '{"__var": {"x": 1, "y": 2.5}, "__type": "dict"}}',
        "legacy_type_var_dict": '{"__type": "dict", "__var": {"k": {"__type": "dict", "__var": {"n": 1}}}}',
        "legacy_type_var_class": '{"__type": "dags.example.Thing", "__var": {"k": 1}}',
        "datetime_v1_utc": '{"__classname__": "datetime.datetime", "__version__": 1, "__data__": '
                           '{"timestamp": 1700000000.25, "tz": "UTC"}}',
        "datetime_v1_edt": '{"__classname__": "datetime.datetime", "__version__": 1, "__data__": '
                           '{"timestamp": 1700000000.0, "tz": "EDT"}}',
        "datetime_v1_cest": '{"__classname__": "datetime.datetime", "__version__": 1, "__data__": '
                            '{"timestamp": 1690000000.0, "tz": "CEST"}}',
        "datetime_v1_berlin": '{"__classname__": "pendulum.datetime.DateTime", "__version__": 1, "__data__": '
                              '{"timestamp": 1690000000.5, "tz": "Europe/Berlin"}}',
        "datetime_backports_zoneinfo": '{"__classname__": "datetime.datetime", "__version__": 2, "__data__": '
                                       '{"timestamp": 1700000000.0, "tz": {"__classname__": "builtins.tuple", '
                                       '"__version__": 1, "__data__": ["Asia/Tokyo", '
                                       '"backports.zoneinfo.ZoneInfo", 1, true]}}}',
        "datetime_bad_tz": '{"__classname__": "datetime.datetime", "__version__": 2, "__data__": '
                           '{"timestamp": 1700000000.0, "tz": {"__classname__": "builtins.tuple", '
                           '"__version__": 1, "__data__": ["", "", 0, false]}}}',
        "timedelta_int_data": '{"__classname__": "datetime.timedelta", "__version__": 2, "__data__": 5}',
        "tuple_newer_version": '{"__classname__": "builtins.tuple", "__version__": 2, "__data__": [1]}',
        "envelope_no_data": '{"__classname__": "dags.example.Empty", "__version__": 0}',
        "envelope_classname_only": '{"__classname__": "x.Y", "other": 1}',
        "jsonb_reordered_envelope": '{"__data__": [1, 2], "__version__": 1, "__classname__": "builtins.set"}',
        "jsonb_normalized_numbers": '{"a": 10000000000000000, "b": 1.50, "c": -0}',
        "numpy_bool_numpy2_name": '{"__classname__": "numpy.bool_", "__version__": 1, "__data__": false}',
        "numpy_float64_envelope": '{"__classname__": "numpy.float64", "__version__": 1, "__data__": 2.5}',
        "numpy_int_from_float": '{"__classname__": "numpy.int64", "__version__": 1, "__data__": 2.75}',
        "duplicate_keys": '{"a": 1, "b": 2, "a": 3}',
        "lone_surrogate": '"\\ud800x"',
        "surrogate_pair": '"\\ud83d\\ude00"',
        "exponent_int_like": '[1E2, 1e-2, -0.0, 0]',
        "whitespace": ' \n\t[ 1 ,\r\n 2 ]\n ',
    }


# ----------------------------------------------------------------------------------------------
# writers
# ----------------------------------------------------------------------------------------------
def write_jsonl(path, rows):
    with open(path, "w", encoding="ascii") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=True, separators=(",", ":"), allow_nan=False) + "\n")
    print(f"{path}: {len(rows)} vectors", file=sys.stderr)


def pickle_rows(values, protocols=(0, 2, 4, 5)):
    rows = []
    for name, value in values.items():
        for proto in protocols:
            try:
                data = pickle.dumps(value, protocol=proto)
            except Exception as e:  # e.g. protocol 0 cannot pickle some objects
                print(f"skip pickle {name} p{proto}: {e}", file=sys.stderr)
                continue
            try:
                expected = canonical(inert_loads(data))
            except Exception as e:
                print(f"skip pickle {name} p{proto} (no canonical): {type(e).__name__}: {e}", file=sys.stderr)
                continue
            rows.append({"id": f"{name}/p{proto}", "protocol": proto, "pickle": base64.b64encode(data).decode(),
                         "canonical": expected})
    return rows


def json_rows(serde, values, hand_made):
    rows = []
    items = [(n, v, None) for n, v in values.items()] + [(n, None, t) for n, t in hand_made.items()]
    for name, value, text in items:
        if text is None:
            try:
                text = serde.write(value)
            except Exception as e:
                continue  # collected by refusal_rows
        row = json_row(serde, name, text)
        rows.append(row)
    return rows


def json_row(serde, name, text, form=None):
    errors = []
    decoded = serde.read(text, errors)
    row = {"id": name, "raw": text, "canonical": canonical(decoded)}
    if form is None and serde.version != "2.10" and isinstance(json.loads(text), str):
        try:  # a JSON string holding JSON text: what the REST API / XComModel.set(serialize=True) write
            json.loads(json.loads(text))
            form = "REST_JSON_STRING"
        except ValueError:
            pass
    if form:
        row["form"] = form
    if errors:
        row["airflow_error"] = errors[0]
    try:
        again = serde.write(decoded)
        if again != text:
            row["reencoded"] = again
    except Exception as e:
        row["refused"] = f"{type(e).__name__}: {e}"
    if serde.version != "3.1" and np is not None and isinstance(decoded, np.bool_) and not decoded:
        # xcomdb policy, not Airflow: 2.10 would silently write true (bool(np)); xcomdb refuses instead
        row.pop("reencoded", None)
        row["refused"] = (f"ValueError: Airflow {serde.version} writes every numpy.bool_ as true (serializers/numpy.py "
                          "returns bool(np)); xcomdb refuses to store a false one")
    return row


def rest_rows():
    """3.x rows written by XComModel.set(serialize=True) / the public REST API: a JSON string of 2.x JSON."""
    serde2, serde3 = AirflowSerde("2.10"), AirflowSerde("3.1")
    rows = []
    for name, value in {"rest_int": 42, "rest_dict": {"a": [1, 2]}, "rest_tuple": (1, 2),
                        "rest_date": dt.date(2024, 1, 1), "rest_str": "plain"}.items():
        inner = serde2.write(value)
        outer = json.dumps(inner)
        errors = []
        rows.append({"id": name, "raw": outer, "form": "REST_JSON_STRING",
                     "canonical": canonical(serde3.read(outer, errors)),
                     "inner_canonical": canonical(serde2.read(inner, errors))})
    return rows


def refusal_rows():
    cases = {
        "bytes": b"x", "bytearray": bytearray(b"x"), "nested_bytes": [b"x"], "complex": 1 + 2j,
        "reserved_top": {"__classname__": "x"}, "reserved_id_top": {"__id__": 1},
        "reserved_in_set_dict": [{"__classname__": "x"}],
        "nan": math.nan, "inf_in_list": [math.inf], "tuple_key": {(1, 2): "v"},
        "object": Plain(1, 2), "circular": None, "tz_tuple_key_in_tuple": ({(1, 2): 1},),
        "date_key": {dt.date(2024, 1, 1): 1}, "int_2p64": 2 ** 64, "int_min64m1_in_list": [-(2 ** 63) - 1],
        # added later (each target's rows keep their order)
        "lone_surrogate": "x\ud800y", "surrogate_run": ["ok", "\udc80\udc81z"], "surrogate_after_astral": ["a\U0001F600\ud800"],
    }
    if np is not None:
        cases["np_float32"] = np.float32(0.1)  # registered from 3.1 on
    lst = []
    lst.append(lst)
    cases["circular"] = lst
    rows = []
    for target in ("2.10", "3.0", "3.1"):
        serde = AirflowSerde(target)
        for name, value in cases.items():
            try:
                serde.write(value)
                continue
            except Exception as e:
                err = f"{type(e).__name__}: {e}"
            try:
                canon = canonical(value)
            except Exception:
                continue
            rows.append({"id": f"{name}/{target}", "target": target, "canonical": canon, "error": err})
    return rows


def fast_path_rows():
    """json-fastpaths.jsonl: anchors for DecodeFastPathsTest, one family per fast path, computed by CPython itself:
    json.loads + Airflow 3.1 serde for JSON text ("canonical", or "error" when json.loads raises), fnmatch/re.match
    for the allow-list (Airflow's _match_glob/_match_regexp), zoneinfo for zone names, date.fromisoformat for dates."""
    serde = AirflowSerde("3.1")
    rows = []

    def text_row(case, name, text):
        try:
            errors = []
            row = {"id": f"{case}/{name}", "case": case, "raw": text, "canonical": canonical(serde.read(text, errors))}
            if errors:
                row["airflow_error"] = errors[0]
        except ValueError as e:  # json.JSONDecodeError, int digits limit
            row = {"id": f"{case}/{name}", "case": case, "raw": text, "error": type(e).__name__}
        rows.append(row)

    floats = ["0.0", "-0.0", "1e23", "8.41e21", "9007199254740993.0", "2.2250738585072012e-308",
              "2.2250738585072011e-308", "4.9e-324", "2.4e-324", "1.7976931348623157e308", "1.7976931348623159e308",
              "1e400", "-1e400", "1e-400", "0.1000000000000000055511151231257827021181583404541015625",
              "123456789012345678901234567890.5e-10", "3.0000000000000004", "1795700746.183145", "-61.884988",
              "0.30000000000000004", "7.0E-10", "1E2", "1e-2"]
    for i, t in enumerate(floats):
        text_row("float", f"{i}_{t}", "[" + t + "]")
    mantissa = ["9007199254740992.0", "9007199254740993.0", "9007199254740991.5", "900719925474099.3",
                "9007199254740.993", "0.9007199254740993", "0.9007199254740992", "-1795700746.183145", "1e22",
                "9007199254740991e22", "9007199254740991e-22", "9007199254740991e-23", "123456789012345678.5",
                "0.000000000000000000001", "99999999999999999.9"]
    for i, t in enumerate(mantissa):
        text_row("mantissa", f"{i}_{t}", t)  # the number is the whole document: it ends at the end of the input
    ends = ["0", "-0", "7", "-12345678", "99999999999999999999999", "-123456789012345678901234", "0.5", "-0.00012e-5",
            "12345678.000000000012345678901234e-30", "1.5e+3", "[1]   ", "{\"a\": 2.25}\n"]
    for i, t in enumerate(ends):
        text_row("end", str(i), t)
    text_row("nonfinite", "all", "[NaN, Infinity, -Infinity]")
    for i, t in enumerate(["[INF]", "[+Infinity]", "[-INF]", "[+NaN]"]):
        text_row("nonfinite", f"bad{i}", t)
    text_row("int", "bounds", "[0, -0, 17, -99999999999999999, 999999999999999999, 9223372036854775807,"
                              " -9223372036854775808, 9223372036854775808, -9223372036854775809,"
                              " 123456789012345678901234567890]")
    text_row("int", "digits4301", "1" + "0" * 4300)
    text_row("keys", "nested_duplicates", "{\"a\": {\"b\": [1, {\"c\": 2, \"d\": []}], \"e\": {}}, \"f\": 3,"
                                          " \"a2\": [[{}]], \"f\": 4}")
    for i, t in enumerate([" \"s\" ", "null", "[]", "{}", "[1, [2, [3, []]], {}, {\"a\": [{}], \"b\": {\"c\": []}}, 4]",
                           "[[[[1]]]]"]):
        text_row("shape", str(i), t)
    for i, t in enumerate(["", "[1", "{\"a\": 1", "[1]]", "1 2", "{\"a\"}"]):
        text_row("shape", f"bad{i}", t)
    dates = ["2024-02-29", "2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "2024-01-00", "0000-01-01",
             "0001-01-01", "9999-12-31", "2024-1-011", "2024/01/01", "+2024-0101", "2024-01-1x",
             "2024-01-\u0661\u0662", "\u0662024-01-01", "20240101xx", "20240101", "2024-W01-1"]
    for t in dates:
        try:
            rows.append({"id": f"date/{t}", "case": "date", "text": t, "date": dt.date.fromisoformat(t).isoformat()})
        except ValueError as e:
            rows.append({"id": f"date/{t}", "case": "date", "text": t, "error": f"ValueError: {e}"})
    for z in ["Europe/Berlin", "UTC", "UTC+01:00", "GMT-5", "+05:00", "Z", "Nowhere/Land", ""]:
        try:
            zoneinfo.ZoneInfo(z)
            rows.append({"id": f"zone/{z}", "case": "zone", "name": z, "valid": True})
        except (ValueError, zoneinfo.ZoneInfoNotFoundError) as e:
            rows.append({"id": f"zone/{z}", "case": "zone", "name": z, "valid": False, "error": type(e).__name__})
    import fnmatch
    globs, regexps = ["airflow.*", "dags.[!x]*"], ["my\\.pkg\\."]
    for c in ["airflow.models.Thing", "dags.example.Point", "my.pkg.Cls", "dags.xample.Point", "other.Cls",
              "xairflow.models.Thing", "my.pkgCls", "dags.", "Airflow.models.Thing"]:
        allowed = any(fnmatch.fnmatch(c, g) for g in globs) or any(re.match(r, c) for r in regexps)
        rows.append({"id": f"allow/{c}", "case": "allow", "globs": globs, "regexps": regexps, "classname": c,
                     "allowed": allowed})
    serde_texts = {
        "in_place": "{\"a\": [1, {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [2, 3]}],"
                    " \"b\": {\"c\": {\"__classname__\": \"datetime.date\", \"__version__\": 2, \"__data__\": \"2024-02-29\"}}}",
        "not_parsed": "{\"k\": [1, {\"__classname__\": \"builtins.set\", \"__version__\": 1, \"__data__\": [5]}]}",
        "tuple_in_list": "[{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [1, {\"k\": 2}]}, 3]",
        "reordered_set": "{\"__version__\": 1, \"__data__\": [1], \"__classname__\": \"builtins.set\"}",
        "reordered_date": "{\"a\": {\"__data__\": \"2024-01-02\", \"__classname__\": \"datetime.date\", \"__version__\": 2}}",
        "old_type_var": "{\"__var\": {\"x\": {\"__var\": [1], \"__type\": \"set\"}}, \"__type\": \"dict\"}",
        "newer_version_extra": "{\"__classname__\": \"builtins.tuple\", \"__version__\": 9, \"__data__\": [1], \"extra\":"
                               " {\"__classname__\": \"builtins.set\", \"__version__\": \"bad\", \"__data__\": []}}",
        "data_only": "{\"__data__\": 1}",
        "type_only_and_deep": "[{\"__type\": 1}, {\"a\": {\"b\": [{\"__classname__\": \"x.Z\", \"__version__\": 0,"
                              " \"__data__\": null}]}}]",
        "duplicate_key_envelope": "{\"a\": 1, \"a\": {\"__classname__\": \"builtins.tuple\", \"__version__\": 1,"
                                  " \"__data__\": []}, \"b\": 2}",
        "deep_decimal": "[[[{\"__classname__\": \"decimal.Decimal\", \"__version__\": 1, \"__data__\": \"1.5\"}]]]",
        "restart_key_first": "{\"x\": 1, \"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [1]}",
        "restart_old_type": "[1, {\"extra\": {\"__classname__\": \"builtins.set\", \"__version__\": 5, \"__data__\": []},"
                            " \"__type\": \"dict\", \"__var\": {\"__classname__\": \"builtins.set\", \"__version__\": 5}}]",
        "restart_var_tuple": "{\"k\": {\"__var\": [1, 2], \"__type\": \"tuple\"}, \"__data__\": 1}",
    }
    for name, t in serde_texts.items():
        text_row("serde", name, t)
    return rows


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "..",
                                                             "src", "test", "resources", "codec")
    debian_pass = "--debian-pickles" in sys.argv
    if debian_pass and not REAL_PENDULUM:  # without python3-pendulum/numpy it would overwrite the 3.11 families
        print("Debian python3 lacks pendulum (apt-get install python3-pendulum python3-numpy): "
              "pickle-numpy1-pendulum2.jsonl not refreshed", file=sys.stderr)
        return
    os.environ["TZ"] = "UTC"  # naive datetimes: timestamp()/fromtimestamp() use the process zone
    if hasattr(__import__("time"), "tzset"):
        __import__("time").tzset()
    if debian_pass:  # Debian interpreter: pendulum 2 and numpy 1 pickles (the rest is in the CPython 3.11 family)
        values = {k: v for k, v in base_values().items()
                  if k.startswith("pendulum_") or k in ("datetime_utc", "datetime_berlin_summer", "mixed")}
        values.update(numpy_values(for_json=False))
        # a pendulum 2 Timezone pickles its whole transition table (~100 KB for Europe/Berlin): keep one protocol
        rows = [r for r in pickle_rows(values) if not r["id"].startswith("pendulum_berlin/") or r["protocol"] == 4]
        write_jsonl(os.path.join(out, "pickle-numpy1-pendulum2.jsonl"), rows)
        return
    os.makedirs(out, exist_ok=True)
    values = {**base_values(), **numpy_values(for_json=False), **object_values()}
    values = {k: v for k, v in values.items() if not k.startswith("pendulum_")}  # in their own family below
    # batches after the others, so the earlier rows keep their place; protocol 4 only (what xcomdb writes)
    write_jsonl(os.path.join(out, "pickle-cpython311.jsonl"), pickle_rows(values) + pickle_rows(batch_values(), (4,)))
    # pendulum 3 (what Airflow 2.10 pins) is not installable here; the stand-ins pickle as its 3.0.0 source does:
    # DateTime by __reduce_ex__ -> (DateTime, (y, m, d, H, M, S, us, tzinfo)), Timezone as the ZoneInfo subclass it
    # is (getattr(Timezone, "_unpickle"), (key, from_cache)), FixedTimezone by tzinfo.__reduce__ + __getinitargs__
    global PENDULUM3_STANDINS_ARE_REAL
    PENDULUM3_STANDINS_ARE_REAL = True
    write_jsonl(os.path.join(out, "pickle-pendulum3.jsonl"), pickle_rows(pendulum3_values()))
    PENDULUM3_STANDINS_ARE_REAL = False
    jvalues = {**base_values(), **numpy_values(for_json=True), **json_object_values()}
    newer = json_new_values()  # after every earlier row, so those keep their place
    write_jsonl(os.path.join(out, "airflow2-json.jsonl"), json_rows(AirflowSerde("2.10"), jvalues, hand_made_json())
                + json_rows(AirflowSerde("2.10"), newer, hand_made_numpy()))
    write_jsonl(os.path.join(out, "airflow3-json.jsonl"),
                json_rows(AirflowSerde("3.1"), jvalues, hand_made_json()) + rest_rows()
                + json_rows(AirflowSerde("3.1"), newer, hand_made_numpy()))
    write_jsonl(os.path.join(out, "airflow30-json.jsonl"), json_rows(AirflowSerde("3.0"), jvalues, hand_made_json())
                + json_rows(AirflowSerde("3.0"), newer, {}))
    write_jsonl(os.path.join(out, "refusals.jsonl"), refusal_rows())
    write_jsonl(os.path.join(out, "json-fastpaths.jsonl"), fast_path_rows())
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        r = subprocess.run(["/usr/bin/python3", __file__, out, "--debian-pickles"])
        if r.returncode:
            print("Debian python3 run failed; pickle-numpy1-pendulum2.jsonl not refreshed", file=sys.stderr)


if __name__ == "__main__":
    main()
