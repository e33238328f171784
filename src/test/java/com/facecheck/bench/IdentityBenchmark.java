package com.facecheck.bench;

import com.facecheck.contract.RequestParser;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.identity.PhotoCheck;
import com.facecheck.identity.RequestValidation;
import com.facecheck.identity.PhotoVerdict;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the checks before a call cost on the stream thread: a whole typical request (parsed, validated, its
 * 40 KB photo checked), and the two paths of {@link PhotoCheck}: a photo already small enough, which should
 * cost header parsing only, and a phone-sized photo, which is decoded, scaled and compressed until it fits.
 * Run with {@code bench/run IdentityBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = "-Xmx1g")
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class IdentityBenchmark {

    private final PhotoCheck check = new PhotoCheck();
    private final RequestParser parser =
            new RequestParser(new KeyedHasher("benchmark-secret-0123456789".getBytes(StandardCharsets.UTF_8)));
    private final RequestValidation validation = new RequestValidation(check, Clock.systemUTC(), true);
    private String typical40kJpeg;
    private String photo2Mb;
    private byte[] typicalRequest;

    @Setup
    public void makePhotos() {
        typical40kJpeg = BenchPhotos.typical40kJpeg();
        photo2Mb = BenchPhotos.photo2Mb();
        typicalRequest = ("{\"requestId\":\"bench-1\",\"name\":\"李三\",\"idNumber\":\"35020319900101123X\","
                + "\"image\":\"" + typical40kJpeg + "\",\"consentId\":\"c-1\",\"source\":\"bench\"}")
                .getBytes(StandardCharsets.UTF_8);
        if (!(validateTypicalRequest() instanceof RequestValidation.Accepted)) {
            throw new IllegalStateException("the typical request is not accepted");
        }
    }

    @Benchmark
    public RequestValidation.Verdict validateTypicalRequest() {
        return validation.validate(parser.parse(typicalRequest));
    }

    @Benchmark
    public PhotoVerdict checkTypical40kJpeg() {
        return check.check(typical40kJpeg);
    }

    @Benchmark
    public PhotoVerdict reencode2MbPhoto() {
        return check.check(photo2Mb);
    }
}
