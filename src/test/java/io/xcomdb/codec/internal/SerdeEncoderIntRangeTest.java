package io.xcomdb.codec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.codec.PyTuple;
import io.xcomdb.codec.XComEncodingException;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which ints each target refuses: msgpack (3.1+), MySQL's JSON column (3.0 on MySQL), nothing (3.0 elsewhere). */
class SerdeEncoderIntRangeTest {
    private static final BigInteger MIN = BigInteger.ONE.shiftLeft(63).negate();
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static SerdeEncoder encoder(SerdeEncoder.Rules rules) {
        return new SerdeEncoder(rules, ZoneOffset.UTC);
    }

    @Test
    void airflow30OnMysqlRefusesIntsMysqlWouldTurnIntoDoubles() {
        SerdeEncoder mysql = encoder(SerdeEncoder.Rules.AIRFLOW_3_0).forMysqlJson();
        assertEquals("[-9223372036854775808, 18446744073709551615]", mysql.encode(List.of(MIN, MAX)));
        for (Object deep : List.<Object>of(MAX.add(BigInteger.ONE), List.of(MIN.subtract(BigInteger.ONE)),
                Map.of("k", new PyTuple(List.of(1, MAX.shiftLeft(1)))))) {
            XComEncodingException e = assertThrows(XComEncodingException.class, () -> mysql.encode(deep));
            assertEquals("OverflowError", e.pythonType());
            assertTrue(e.getMessage().contains("MySQL's JSON type turns ints outside [-2**63, 2**64-1] into doubles"),
                    e.getMessage());
        }
    }

    @Test
    void airflow30ElsewhereKeepsEveryInt() {
        BigInteger huge = BigInteger.TEN.pow(40);
        assertEquals("10000000000000000000000000000000000000000", encoder(SerdeEncoder.Rules.AIRFLOW_3_0).encode(huge));
    }

    @Test
    void airflow31KeepsMsgpacksReasonOnMysqlToo() {
        SerdeEncoder mysql = encoder(SerdeEncoder.Rules.AIRFLOW_3_1).forMysqlJson();
        XComEncodingException e = assertThrows(XComEncodingException.class, () -> mysql.encode(MAX.add(BigInteger.ONE)));
        assertTrue(e.getMessage().contains("msgpack"), e.getMessage());
    }

    @Test
    void airflow2BytesAreNotAJsonColumn() {
        SerdeEncoder v2 = encoder(SerdeEncoder.Rules.AIRFLOW_2);
        BigInteger huge = BigInteger.TEN.pow(30);
        assertEquals(v2.encode(huge), v2.forMysqlJson().encode(huge));
    }
}
