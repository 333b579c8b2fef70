package io.xcomdb.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Protocol 4 pickles written by xcomdb are byte-identical to CPython 3.11's for the supported types. */
class PickleWriterTest {
    private static final DecodeOptions PICKLE = DecodeOptions.defaults().withAllowPickle(true);

    @Test
    void reencodesCPythonProtocol4PicklesByteForByte() {
        int same = 0;
        List<String> refused = new ArrayList<>();
        for (JsonNode row : GoldenVectors.load("pickle-cpython311.jsonl")) {
            if (row.get("protocol").asInt() != 4) {
                continue;
            }
            byte[] raw = Base64.getDecoder().decode(row.get("pickle").asText());
            Object value = XComCodec.decode(raw, PICKLE).value();
            byte[] ours;
            try {
                ours = XComCodec.encodePickle(value);
            } catch (XComEncodingException e) {
                refused.add(row.get("id").asText());
                continue;
            }
            assertArrayEquals(raw, ours, row.get("id").asText());
            // and what we wrote reads back to the same canonical view
            assertEquals(row.get("canonical").asText(), XComCodec.decode(ours, PICKLE).canonicalJson());
            same++;
        }
        assertTrue(same >= 90, "byte-identical: " + same + ", refused: " + refused);
        // only numpy values and Python objects are outside the writer's types
        assertTrue(refused.stream().allMatch(id -> id.startsWith("np_") || id.startsWith("nd_") || id.startsWith("obj_")
                || id.startsWith("enum_") || id.startsWith("namedtuple") || id.startsWith("ordered_dict")
                || id.startsWith("defaultdict") || id.startsWith("counter") || id.startsWith("class_ref")
                || id.startsWith("builtin_class_ref") || id.startsWith("complex") || id.startsWith("pydantic")
                || id.startsWith("recursive_object")), refused::toString);
    }

    @Test
    void refusesWhatItCannotWrite() {
        XComEncodingException e = assertThrows(XComEncodingException.class,
                () -> XComCodec.encodePickle(new NumpyScalar("int64", 1L)));
        assertEquals("PicklingError", e.pythonType());
    }
}
