package io.xcomdb.bench;

import io.xcomdb.codec.DataFrameTable;
import io.xcomdb.codec.PandasDataFrame;
import io.xcomdb.codec.XComCodec;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What reading a DataFrame's rows costs next to decoding the XCom that holds it (3.x JSON string to
 * {@link PandasDataFrame}, which only parses the hex). Inputs are the Parquet test files written by
 * tools/parquet/generate.mjs. Not a test: run with {@code bench/dataframe.sh}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Benchmark)
public class DataFrameBench {
    /** typed-snappy: 5 rows x 11 columns of every type; big-snappy: 20,000 rows x 4 columns, 3 row groups. */
    @Param({"typed-snappy", "big-snappy"})
    public String input;

    private String envelope;
    private byte[] parquet;

    @Setup(Level.Trial)
    public void load() throws IOException {
        try (InputStream in = DataFrameBench.class.getResourceAsStream("/codec/dataframes/" + input + ".parquet")) {
            parquet = in.readAllBytes();
        }
        envelope = "{\"__classname__\": \"pandas.core.frame.DataFrame\", \"__version__\": 1, \"__data__\": \""
                + HexFormat.of().formatHex(parquet) + "\"}";
        if (new PandasDataFrame(parquet).table().rows().isEmpty()) {
            throw new IllegalStateException("no rows in " + input);
        }
    }

    @Benchmark
    public Object decode() {
        return XComCodec.decodeJson(envelope).value();
    }

    @Benchmark
    public DataFrameTable decodeAndReadRows() {
        return ((PandasDataFrame) XComCodec.decodeJson(envelope).value()).table();
    }
}
