package com.facecheck.bench;

import com.facecheck.contract.RequestParser;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.identity.PhotoCheck;
import com.facecheck.identity.PhotoVerdict;
import com.facecheck.identity.RequestValidation;
import com.facecheck.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the checks before a call cost on the stream thread: a typical request (40 KB photo, parsed and
 * validated, photo decoded) and the re-encoding of a 2 MB photo. Run with {@code bench/run IdentityBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IdentityBenchmark {

    private RequestParser parser;
    private RequestValidation validation;
    private PhotoCheck photos;
    private byte[] typicalRequest;
    private String largePhoto;

    @Setup(Level.Trial)
    public void setUp() {
        parser = new RequestParser(new KeyedHasher("benchmark-secret-0123456789".getBytes(StandardCharsets.UTF_8)));
        photos = new PhotoCheck();
        validation = new RequestValidation(photos, Clock.systemUTC());
        byte[] typical = sized(40 * 1024, 480, 600);
        typicalRequest = ("{\"requestId\":\"bench-1\",\"name\":\"李三\",\"idNumber\":\"35020319900101123X\",\"image\":\""
                + TestImages.base64(typical) + "\",\"source\":\"bench\"}").getBytes(StandardCharsets.UTF_8);
        byte[] large = sized(2 * 1024 * 1024, 2000, 2600);
        largePhoto = TestImages.base64(large);
        System.out.printf("%nphotos: typical %d bytes, large %d bytes%n", typical.length, large.length);
        if (!(validation.validate(parser.parse(typicalRequest)) instanceof RequestValidation.Accepted)
                || !(photos.check(largePhoto) instanceof PhotoVerdict.Accepted accepted && accepted.reencoded())) {
            throw new IllegalStateException("the benchmark inputs are not what they should be");
        }
    }

    /** A JPEG of about {@code bytes}: grain is raised until the file is large enough. */
    private static byte[] sized(int bytes, int width, int height) {
        for (int noise = 4; noise <= 255; noise += 4) {
            byte[] jpeg = TestImages.jpeg(TestImages.face(width, height, BufferedImage.TYPE_INT_RGB, noise), 0.9f);
            if (jpeg.length >= bytes * 0.95) {
                return jpeg;
            }
        }
        throw new IllegalStateException("cannot make a " + bytes + "-byte photo at " + width + "x" + height);
    }

    @Benchmark
    public RequestValidation.Verdict validateTypicalRequest() {
        VerificationRequest request = parser.parse(typicalRequest);
        return validation.validate(request);
    }

    @Benchmark
    public PhotoVerdict reencodeTwoMegabytePhoto() {
        return photos.check(largePhoto);
    }
}
