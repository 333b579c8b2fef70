package io.xcomdb.codec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** StrDict behaves as a LinkedHashMap with String keys does, on both sides of its scan/index switch. */
class StrDictTest {

    /** Keys that share hash codes ("Aa"/"BB") and slots, so lookups must compare more than hashes. */
    private static final String[] KEYS = {"a", "b", "Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa", "c", "d", "e", "f",
        "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "__classname__", ""};

    @Test
    void randomOperationsMatchLinkedHashMap() {
        Random rnd = new Random(20261203);
        for (int round = 0; round < 400; round++) {
            StrDict d = new StrDict();
            Map<String, Object> expected = new LinkedHashMap<>();
            int keyRange = 2 + rnd.nextInt(KEYS.length - 1); // small ranges stay scanned, large ones get an index
            for (int op = 0; op < 200; op++) {
                String key = new String(KEYS[rnd.nextInt(keyRange)]); // equal, not identical, keys
                Object value = rnd.nextInt(4) == 0 ? null : (long) rnd.nextInt(100);
                switch (rnd.nextInt(10)) {
                    case 0, 1, 2, 3 -> assertEquals(expected.put(key, value), d.put(key, value));
                    case 4 -> assertEquals(expected.remove(key), d.remove(key));
                    case 5 -> {
                        Iterator<Map.Entry<String, Object>> it = d.entrySet().iterator();
                        Iterator<Map.Entry<String, Object>> model = expected.entrySet().iterator();
                        while (it.hasNext()) {
                            Map.Entry<String, Object> e = it.next();
                            Map.Entry<String, Object> m = model.next();
                            assertEquals(m, e);
                            if (rnd.nextInt(4) == 0) {
                                it.remove();
                                model.remove();
                            } else if (rnd.nextInt(4) == 0) {
                                assertEquals(m.setValue(value), e.setValue(value));
                            }
                        }
                        assertFalse(model.hasNext());
                    }
                    case 6 -> assertEquals(expected.get(key), d.get(key));
                    case 7 -> assertEquals(expected.containsKey(key), d.containsKey(key));
                    case 8 -> assertEquals(expected.getOrDefault(key, "none"), d.getOrDefault(key, "none"));
                    default -> assertEquals(expected.containsValue(value), d.containsValue(value));
                }
                assertSame(expected, d);
            }
        }
    }

    @Test
    void ofKeepsTheFirstPositionAndTheLastValueOfARepeatedKey() {
        Random rnd = new Random(7);
        for (int round = 0; round < 2000; round++) {
            int n = rnd.nextInt(24);
            int keyRange = 1 + rnd.nextInt(KEYS.length);
            String[] keys = new String[n + 2];
            Object[] values = new Object[n + 2];
            Map<String, Object> expected = new LinkedHashMap<>();
            for (int i = 1; i <= n; i++) { // from 1: of() must respect its range
                keys[i] = new String(KEYS[rnd.nextInt(keyRange)]);
                values[i] = (long) i;
                expected.put(keys[i], values[i]);
            }
            StrDict d = StrDict.of(keys, values, 1, n + 1);
            assertSame(expected, d);
            for (String k : KEYS) {
                assertEquals(expected.get(k), d.get(k), k);
            }
            d.put("added", 1L); // still a working dict after building
            expected.put("added", 1L);
            assertSame(expected, d);
        }
    }

    @Test
    void theEntriesOfAPositionFollowTheirKeyAfterEarlierRemovals() {
        StrDict d = StrDict.of(new String[] {"a", "b", "c"}, new Object[] {1L, 2L, 3L}, 0, 3);
        List<Map.Entry<String, Object>> entries = new ArrayList<>(d.entrySet());
        d.remove("a");
        assertEquals(2L, entries.get(1).getValue());
        entries.get(2).setValue(30L);
        assertEquals(Map.of("b", 2L, "c", 30L), d);
        assertThrows(IllegalStateException.class, () -> entries.get(0).getValue());
    }

    @Test
    void changesDuringIterationAreDetected() {
        StrDict d = StrDict.of(new String[] {"a", "b"}, new Object[] {1L, 2L}, 0, 2);
        Iterator<String> it = d.keySet().iterator();
        it.next();
        d.put("c", 3L);
        assertThrows(ConcurrentModificationException.class, it::next);
        assertThrows(ConcurrentModificationException.class, () -> d.forEach((k, v) -> d.remove("b")));
    }

    @Test
    void nullKeysAreRefusedAndOtherKeyTypesAreAbsent() {
        StrDict d = new StrDict();
        assertThrows(NullPointerException.class, () -> d.put(null, 1L));
        d.put("1", null);
        assertTrue(d.containsKey("1"));
        assertNull(d.get("1"));
        assertFalse(d.containsKey(1L));
        assertNull(d.get(null));
    }

    @Test
    void equalsHashCodeAndToStringAreAMapsOnes() throws Exception {
        Map<String, Object> expected = new LinkedHashMap<>();
        StrDict d = new StrDict();
        for (int i = 0; i < 20; i++) {
            expected.put("k" + i, i % 3 == 0 ? null : List.of((long) i));
            d.put("k" + i, i % 3 == 0 ? null : List.of((long) i));
        }
        assertSame(expected, d);
        assertEquals(expected.toString(), d.toString());
        StrDict filled = new StrDict();
        filled.putAll(expected);
        assertSame(expected, filled);
        d.replaceAll((k, v) -> k);
        expected.replaceAll((k, v) -> k);
        assertSame(expected, d);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(d);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            StrDict copy = (StrDict) in.readObject();
            assertSame(expected, copy);
            assertEquals("k7", copy.get("k7")); // the index is rebuilt
        }
        d.clear();
        assertTrue(d.isEmpty());
        assertNull(d.get("k1"));
    }

    /** Same entries in the same order, the same equals/hashCode, and every key found. */
    private static void assertSame(Map<String, Object> expected, StrDict d) {
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(d.entrySet()));
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(d.keySet()));
        assertEquals(expected.size(), d.size());
        assertEquals(expected, d);
        assertEquals(d, expected);
        assertEquals(expected.hashCode(), d.hashCode());
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            assertTrue(d.containsKey(e.getKey()));
            assertEquals(e.getValue(), d.get(e.getKey()));
        }
    }
}
