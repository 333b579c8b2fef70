package io.xcomdb.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomdb.codec.Decoded;
import io.xcomdb.codec.DecodeOptions;
import io.xcomdb.codec.XComCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code {{ value }}} prints CPython's {@code str(value)} (src/test/resources/codec/pystr.jsonl, made by
 * tools/golden/pystr.py) for XComs that reach Jinja as they are: Decimals, which used to print as floats
 * ({@code 100.0}, {@code 2.5}, {@code [2.5]}), and the scalars, lists and dicts around them. Tuples, sets and
 * datetimes are not among them: the renderer hands Jinjava lists and ISO text for those.
 */
class PythonStrGoldenTest {
  private static final Map<String, JsonNode> ROWS = load();

  @ParameterizedTest
  @ValueSource(strings = {"decimal_100", "decimal_2_50", "decimal_in_list", "decimal_exp", "decimal_neg0",
      "decimal_nan", "decimal_0_000001", "decimal_0_0000001", "decimal_1E_7", "decimal_big",
      "none", "true", "int_2p100", "float_1e16", "float_1e_5", "float_neg0",
      "str_escapes", "list_mixed", "dict_simple", "list_of_quotes", "floats_in_list"})
  void printsWhatCPythonPrints(String id) {
    JsonNode row = ROWS.get(id);
    Decoded d = XComCodec.decode(Base64.getDecoder().decode(row.get("pickle").asText()),
        DecodeOptions.defaults().withAllowPickle(true));
    assertFalse(d.isUndecodable(), id);
    assertEquals(row.get("str").asText(), PythonStr.str(TemplateRenderer.plainValue(d.value())));
  }

  private static Map<String, JsonNode> load() {
    ObjectMapper mapper = new ObjectMapper();
    Map<String, JsonNode> rows = new HashMap<>();
    try (InputStream in = PythonStrGoldenTest.class.getResourceAsStream("/codec/pystr.jsonl")) {
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line : r.lines().toList()) {
        JsonNode row = mapper.readTree(line);
        rows.put(row.get("id").asText(), row);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return rows;
  }
}
