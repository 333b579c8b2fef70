package io.xcomdb.codec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xcomdb.codec.PyTuple;
import io.xcomdb.codec.XComEncodingException;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which ints each target refuses: msgpack (3.1+), MySQL's JSON column (3.0 on MySQL), nothing (3.0 elsewhere, 2.x).
 * Every expected text is a literal: Python's {@code json.dumps} of the same ints (CPython 3.11), or the golden
 * refusal text of refusals.jsonl.
 */
class SerdeEncoderIntRangeTest {
    private static final BigInteger MIN = BigInteger.ONE.shiftLeft(63).negate();
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    /** refusals.jsonl, int_2p64/3.1 and int_min64m1_in_list/3.1. */
    private static final String MSGPACK = "OverflowError: Airflow 3.1+ sends XComs as msgpack, which cannot carry ints"
            + " outside [-2**63, 2**64-1]";
    private static final String MYSQL = "OverflowError: MySQL's JSON type turns ints outside [-2**63, 2**64-1] into"
            + " doubles, losing digits. Store such a number as a string or a Decimal";

    /** The boundaries, each as the Java type a decoded value of it has (long within 64 bits, BigInteger beyond). */
    private static final List<Object> INSIDE = List.of(2147483647L, 2147483648L, -2147483648L, -2147483649L,
            Long.MAX_VALUE, new BigInteger("9223372036854775808"), Long.MIN_VALUE, new BigInteger("18446744073709551615"));
    /** python3 -c 'import json; print(json.dumps([2**31-1, 2**31, -2**31, -2**31-1, 2**63-1, 2**63, -2**63, 2**64-1]))' */
    private static final String INSIDE_JSON = "[2147483647, 2147483648, -2147483648, -2147483649, 9223372036854775807,"
            + " 9223372036854775808, -9223372036854775808, 18446744073709551615]";
    private static final List<BigInteger> OUTSIDE = List.of(new BigInteger("-9223372036854775809"),
            new BigInteger("18446744073709551616"), BigInteger.TEN.pow(30), BigInteger.TEN.pow(40).negate());
    /** json.dumps of -2**63-1, 2**64, 10**30, -10**40. */
    private static final List<String> OUTSIDE_JSON = List.of("-9223372036854775809", "18446744073709551616",
            "1000000000000000000000000000000", "-10000000000000000000000000000000000000000");

    private static SerdeEncoder encoder(SerdeEncoder.Rules rules) {
        return new SerdeEncoder(rules, ZoneOffset.UTC);
    }

    @Test
    void airflow30OnMysqlRefusesIntsMysqlWouldTurnIntoDoubles() {
        SerdeEncoder mysql = encoder(SerdeEncoder.Rules.AIRFLOW_3_0).forMysqlJson();
        assertEquals("[-9223372036854775808, 18446744073709551615]", mysql.encode(List.of(MIN, MAX)));
        assertEquals(INSIDE_JSON, mysql.encode(INSIDE));
        for (Object deep : List.<Object>of(MAX.add(BigInteger.ONE), List.of(MIN.subtract(BigInteger.ONE)),
                Map.of("k", new PyTuple(List.of(1, MAX.shiftLeft(1)))), BigInteger.TEN.pow(30), List.of(List.of(OUTSIDE.get(3))))) {
            XComEncodingException e = assertThrows(XComEncodingException.class, () -> mysql.encode(deep));
            assertEquals("OverflowError", e.pythonType());
            assertEquals(MYSQL, e.getMessage());
        }
    }

    @Test
    void airflow30ElsewhereKeepsEveryInt() {
        SerdeEncoder v30 = encoder(SerdeEncoder.Rules.AIRFLOW_3_0);
        assertEquals("10000000000000000000000000000000000000000", v30.encode(BigInteger.TEN.pow(40)));
        assertEquals(INSIDE_JSON, v30.encode(INSIDE));
        for (int i = 0; i < OUTSIDE.size(); i++) {
            assertEquals(OUTSIDE_JSON.get(i), v30.encode(OUTSIDE.get(i)));
        }
        // json.dumps(serde.serialize({"k": (1, 2**65)})) under 3.0: the tuple is an envelope, the int any size
        assertEquals("{\"k\": {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [1, 36893488147419103232]}}",
                v30.encode(Map.of("k", new PyTuple(List.of(1L, BigInteger.ONE.shiftLeft(65))))));
    }

    @Test
    void airflow31RefusesWhatMsgpackCannotCarryOnMysqlToo() {
        for (SerdeEncoder v31 : List.of(encoder(SerdeEncoder.Rules.AIRFLOW_3_1), encoder(SerdeEncoder.Rules.AIRFLOW_3_1).forMysqlJson())) {
            assertEquals(INSIDE_JSON, v31.encode(INSIDE));
            for (BigInteger outside : OUTSIDE) {
                XComEncodingException e = assertThrows(XComEncodingException.class, () -> v31.encode(outside));
                assertEquals(MSGPACK, e.getMessage());
                XComEncodingException inList = assertThrows(XComEncodingException.class, () -> v31.encode(List.of(1L, outside)));
                assertEquals(MSGPACK, inList.getMessage());
            }
        }
    }

    @Test
    void airflow2BytesAreNotAJsonColumn() {
        // 2.x stores bytes (BYTEA/LONGBLOB), not a JSON column: MySQL or not, json.dumps keeps every int
        for (SerdeEncoder v2 : List.of(encoder(SerdeEncoder.Rules.AIRFLOW_2), encoder(SerdeEncoder.Rules.AIRFLOW_2).forMysqlJson())) {
            assertEquals("1000000000000000000000000000000", v2.encode(BigInteger.TEN.pow(30)));
            assertEquals(INSIDE_JSON, v2.encode(INSIDE));
            for (int i = 0; i < OUTSIDE.size(); i++) {
                assertEquals("[" + OUTSIDE_JSON.get(i) + "]", v2.encode(List.of(OUTSIDE.get(i))));
            }
        }
    }
}
