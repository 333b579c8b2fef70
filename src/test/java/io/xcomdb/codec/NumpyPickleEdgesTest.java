package io.xcomdb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NumPy 2 pickles ({@code numpy._core}) of the dtypes and layouts the golden pickles (NumPy 1, mostly int64 and
 * float64) do not hold: bool, 8/16-bit, unsigned 64-bit above 2^63, big-endian, float32, Fortran order, an empty
 * 2-d array, object arrays and 8/16-bit scalars. Each constant is {@code pickle.dumps(value, protocol=4)} by CPython
 * 3.11 with NumPy 2.4.6 (the expression is beside it); the expected values are NumPy's own ({@code a.tolist()}, and
 * for Fortran order the elements in memory order, {@code a.ravel(order="F").tolist()}).
 * Written for the unpickler's surviving mutants (README, "Mutation testing").
 */
class NumpyPickleEdgesTest {
    private static final DecodeOptions PICKLE = DecodeOptions.defaults().withAllowPickle(true);

    /** {@code np.array([True, False, True])} */
    private static final String BOOL = "gASVjAAAAAAAAACMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAxfcmVjb25zdHJ1Y3SUk5SMBW51bXB5lIwHbmRhcnJheZSTlEsA"
            + "hZRDAWKUh5RSlChLAUsDhZRoA4wFZHR5cGWUk5SMAmIxlImIh5RSlChLA4wBfJROTk5K/////0r/////SwB0lGKJQwMBAAGUdJRi"
            + "Lg==";
    /** {@code np.array([-128, -1, 127], dtype=np.int8)} */
    private static final String INT8 = "gASVjAAAAAAAAACMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAxfcmVjb25zdHJ1Y3SUk5SMBW51bXB5lIwHbmRhcnJheZSTlEsA"
            + "hZRDAWKUh5RSlChLAUsDhZRoA4wFZHR5cGWUk5SMAmkxlImIh5RSlChLA4wBfJROTk5K/////0r/////SwB0lGKJQwOA/3+UdJRi"
            + "Lg==";
    /** {@code np.array([0, 65535], dtype=np.uint16)} */
    private static final String UINT16 = "gASVjQAAAAAAAACMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAxfcmVjb25zdHJ1Y3SUk5SMBW51bXB5lIwHbmRhcnJheZSTlEsA"
            + "hZRDAWKUh5RSlChLAUsChZRoA4wFZHR5cGWUk5SMAnUylImIh5RSlChLA4wBPJROTk5K/////0r/////SwB0lGKJQwQAAP//lHSU"
            + "Yi4=";
    /** {@code np.array([2**64 - 1, 5], dtype=np.uint64)} */
    private static final String UINT64BIG = "gASVmQAAAAAAAACMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAxfcmVjb25zdHJ1Y3SUk5SMBW51bXB5lIwHbmRhcnJheZSTlEsA"
            + "hZRDAWKUh5RSlChLAUsChZRoA4wFZHR5cGWUk5SMAnU4lImIh5RSlChLA4wBPJROTk5K/////0r/////SwB0lGKJQxD/////////"
            + "/wUAAAAAAAAAlHSUYi4=";
    /** {@code np.array([1, -2], dtype=">i8")} */
    private static final String INT64BE = "gASVmQAAAAAAAACMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAxfcmVjb25zdHJ1Y3SUk5SMBW51bXB5lIwHbmRhcnJheZSTlEsA"
            + "hZRDAWKUh5RSlChLAUsChZRoA4wFZHR5cGWUk5SMAmk4lImIh5RSlChLA4wBPpROTk5K/////0r/////SwB0lGKJQxAAAAAAAAAA"
            + "Af/////////+lHSUYi4=";
    /** {@code np.array([1.5, -0.25], dtype=np.float32)} */
    private static final String FLOAT32 = "gASVkQAAAAAAAACMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAxfcmVjb25zdHJ1Y3SUk5SMBW51bXB5lIwHbmRhcnJheZSTlEsA"
            + "hZRDAWKUh5RSlChLAUsChZRoA4wFZHR5cGWUk5SMAmY0lImIh5RSlChLA4wBPJROTk5K/////0r/////SwB0lGKJQwgAAMA/AACA"
            + "vpR0lGIu";
    /** {@code np.asfortranarray(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int32))} */
    private static final String FORTRAN = "gASVowAAAAAAAACMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAxfcmVjb25zdHJ1Y3SUk5SMBW51bXB5lIwHbmRhcnJheZSTlEsA"
            + "hZRDAWKUh5RSlChLAUsCSwOGlGgDjAVkdHlwZZSTlIwCaTSUiYiHlFKUKEsDjAE8lE5OTkr/////Sv////9LAHSUYohDGAEAAAAE"
            + "AAAAAgAAAAUAAAADAAAABgAAAJR0lGIu";
    /** {@code np.zeros((0, 3), dtype=np.int16)} */
    private static final String EMPTY2D = "gASViwAAAAAAAACMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAxfcmVjb25zdHJ1Y3SUk5SMBW51bXB5lIwHbmRhcnJheZSTlEsA"
            + "hZRDAWKUh5RSlChLAUsASwOGlGgDjAVkdHlwZZSTlIwCaTKUiYiHlFKUKEsDjAE8lE5OTkr/////Sv////9LAHSUYolDAJR0lGIu";
    /** {@code np.array([1, "a", None], dtype=object)} */
    private static final String OBJ = "gASVkQAAAAAAAACMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAxfcmVjb25zdHJ1Y3SUk5SMBW51bXB5lIwHbmRhcnJheZSTlEsA"
            + "hZRDAWKUh5RSlChLAUsDhZRoA4wFZHR5cGWUk5SMAk84lImIh5RSlChLA4wBfJROTk5K/////0r/////Sz90lGKJXZQoSwGMAWGU"
            + "TmV0lGIu";
    /** {@code np.uint8(200)} */
    private static final String SCALAR_U8 = "gASVYwAAAAAAAACMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAZzY2FsYXKUk5SMBW51bXB5lIwFZHR5cGWUk5SMAnUxlImIh5RS"
            + "lChLA4wBfJROTk5K/////0r/////SwB0lGJDAciUhpRSlC4=";
    /** {@code np.int16(-3)} */
    private static final String SCALAR_I16 = "gASVZAAAAAAAAACMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAZzY2FsYXKUk5SMBW51bXB5lIwFZHR5cGWUk5SMAmkylImIh5RS"
            + "lChLA4wBPJROTk5K/////0r/////SwB0lGJDAv3/lIaUUpQu";

    private static Decoded decode(String base64) {
        Decoded d = XComCodec.decode(Base64.getDecoder().decode(base64), PICKLE);
        assertFalse(d.isUndecodable(), () -> "undecodable: " + d.undecodable().orElseThrow().reason());
        return d;
    }

    private static NumpyArray array(String base64) {
        return assertInstanceOf(NumpyArray.class, decode(base64).value());
    }

    @Test
    void smallIntegerAndBoolArraysKeepSignsAndWidths() {
        assertEquals(new NumpyArray("bool", List.of(3), false, List.of(true, false, true)), array(BOOL));
        assertEquals(new NumpyArray("int8", List.of(3), false, List.of(-128L, -1L, 127L)), array(INT8));
        assertEquals(new NumpyArray("uint16", List.of(2), false, List.of(0L, 65_535L)), array(UINT16));
    }

    @Test
    void unsignedSixtyFourBitValuesAboveTheLongRangeBecomeBigIntegers() {
        NumpyArray a = array(UINT64BIG);
        assertEquals("uint64", a.dtype());
        assertEquals(List.of(new BigInteger("18446744073709551615"), 5L), a.values());
    }

    @Test
    void bigEndianAndSinglePrecisionArraysReadTheirBytesAsNumpyDoes() {
        assertEquals(new NumpyArray("int64", List.of(2), false, List.of(1L, -2L)), array(INT64BE));
        assertEquals(new NumpyArray("float32", List.of(2), false, List.of(1.5, -0.25)), array(FLOAT32));
    }

    @Test
    void fortranOrderAndEmptyArraysKeepTheirShape() {
        assertEquals(new NumpyArray("int32", List.of(2, 3), true, List.of(1L, 4L, 2L, 5L, 3L, 6L)), array(FORTRAN));
        assertEquals(new NumpyArray("int16", List.of(0, 3), false, List.of()), array(EMPTY2D));
    }

    @Test
    void objectArraysHoldTheirPythonValues() {
        NumpyArray a = array(OBJ);
        assertEquals("object", a.dtype());
        assertEquals(List.of(3), a.shape());
        assertEquals(Arrays.asList(1L, "a", null), a.values());
    }

    @Test
    void smallScalarsKeepTheirDtypeAndSign() {
        assertEquals(new NumpyScalar("uint8", 200L), decode(SCALAR_U8).value());
        assertEquals(new NumpyScalar("int16", -3L), decode(SCALAR_I16).value());
        assertEquals("{\"$numpy\":{\"dtype\":\"int16\",\"value\":-3}}", decode(SCALAR_I16).canonicalJson());
    }
}
