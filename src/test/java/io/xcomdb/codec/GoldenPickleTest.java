package io.xcomdb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * pickle.dumps at protocols 0/2/4/5 from CPython 3.11 (numpy 2) and Debian's CPython (numpy 1, pendulum 2):
 * every vector decodes, with pickling enabled, to the canonical view CPython computes with an inert
 * unpickler (tools/golden/generate.py), and stays undecodable with pickling off.
 */
class GoldenPickleTest {
    private static final DecodeOptions PICKLE = DecodeOptions.defaults().withAllowPickle(true);

    @TestFactory
    Stream<DynamicTest> cpython311() {
        return vectors("pickle-cpython311.jsonl");
    }

    @TestFactory
    Stream<DynamicTest> numpy1Pendulum2() {
        return vectors("pickle-numpy1-pendulum2.jsonl");
    }

    /** pendulum 3 as Airflow 2.10 pins it: DateTime by __reduce_ex__, Timezone by getattr(Timezone, "_unpickle"). */
    @TestFactory
    Stream<DynamicTest> pendulum3() {
        return vectors("pickle-pendulum3.jsonl");
    }

    private static Stream<DynamicTest> vectors(String file) {
        return GoldenVectors.load(file).stream().map(row -> dynamicTest(row.get("id").asText(), () -> {
            byte[] raw = Base64.getDecoder().decode(row.get("pickle").asText());
            Decoded d = XComCodec.decode(raw, PICKLE);
            assertFalse(d.isUndecodable(), () -> d.value().toString());
            assertEquals(StoredForm.PICKLE, d.form());
            assertEquals(row.get("canonical").asText(), d.canonicalJson());
            Decoded off = XComCodec.decode(raw);
            assertEquals(StoredForm.PICKLE, off.form());
            assertEquals(true, off.isUndecodable());
        }));
    }
}
