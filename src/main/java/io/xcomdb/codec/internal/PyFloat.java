package io.xcomdb.codec.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.function.ToDoubleFunction;

/**
 * Python's {@code float.__repr__}: the shortest decimal string that reads back to the same double (David
 * Gay's mode 0, as CPython uses), formatted with CPython's rules (exponent form when the decimal point
 * position is below -4 or above 16, two-digit exponents, {@code .0} on integral values). Java 17's
 * {@code Double.toString} is not always shortest and formats differently, so it cannot be used.
 */
public final class PyFloat {
    private PyFloat() {
    }

    /** {@code repr(d)}: {@code nan}, {@code inf}, {@code -inf} for the non-finite values. */
    public static String repr(double d) {
        return reprAs(d, Double::parseDouble, 16);
    }

    /**
     * The same for a value of a narrower type (a numpy float32/float16 widened to double): the shortest digits
     * that {@code parse} reads back to {@code d}, positional while the decimal point position is at most
     * {@code maxDecpt} (16 for Python and numpy float32/64, 3 for numpy float16).
     */
    public static String reprAs(double d, ToDoubleFunction<String> parse, int maxDecpt) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortest(Math.abs(d), parse);
        String digits = shortest.unscaledValue().toString();
        int decpt = digits.length() - shortest.scale();
        return (d < 0 ? "-" : "") + format(digits, decpt, maxDecpt);
    }

    /** What {@code json.dumps} writes for a float: {@code NaN}, {@code Infinity}, {@code -Infinity} or the repr. */
    public static String json(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return repr(d);
    }

    /** Reads Python's {@code float(text)} for the forms repr/JSON produce, plus {@code nan}/{@code inf}. */
    public static double parse(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT).replace("_", "");
        switch (t) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) {
                    throw new NumberFormatException("could not convert string to float: '" + text + "'");
                }
                return Double.parseDouble(t);
        }
    }

    private static BigDecimal shortest(double v, ToDoubleFunction<String> parse) {
        BigDecimal exact = new BigDecimal(v);
        for (int n = 1; n <= 17; n++) {
            BigDecimal r = exact.round(new MathContext(n, RoundingMode.HALF_EVEN));
            BigDecimal best = null;
            if (readsBack(r, v, parse)) {
                best = r;
            } else {
                // next to a power of two the rounding interval is lopsided: a neighbour may read back
                BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(-r.scale());
                for (BigDecimal c : new BigDecimal[] {r.subtract(unit), r.add(unit)}) {
                    if (c.signum() > 0 && c.precision() <= n && readsBack(c, v, parse)
                            && (best == null || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                        best = c;
                    }
                }
            }
            if (best != null) {
                return best.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    private static boolean readsBack(BigDecimal candidate, double v, ToDoubleFunction<String> parse) {
        return parse.applyAsDouble(candidate.toString()) == v;
    }

    private static String format(String digits, int decpt, int maxDecpt) {
        StringBuilder sb = new StringBuilder(digits.length() + 8);
        if (decpt <= -4 || decpt > maxDecpt) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            int exp = decpt - 1;
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                sb.append('0');
            }
            sb.append(a);
        } else if (decpt <= 0) {
            sb.append("0.");
            sb.append("0".repeat(-decpt));
            sb.append(digits);
        } else if (decpt >= digits.length()) {
            sb.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
        } else {
            sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
        }
        return sb.toString();
    }
}
