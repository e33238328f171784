package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.identity.PhotoVerdict.Accepted;
import com.facecheck.identity.PhotoVerdict.Rejected;
import com.facecheck.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the bytes, {@link PhotoCheck#check} answers with a verdict, and the verdict keeps the promises:
 * sides from 1 to 70,000 px, strips, every PNG pixel kind, and random bytes behind real signatures. Big images
 * are made cheaply (headers with any size over a few bytes, or rows of zeros that compress a thousandfold),
 * and the tries are bounded, so that the suite stays within seconds on two cores.
 */
class PhotoCheckPropertiesTest {

    private static final PhotoCheck CHECK = new PhotoCheck();
    private static final Set<String> REASONS = Set.of("image-empty", "image-not-base64", "image-unsupported-format",
            "image-undecodable", "image-too-small", "image-too-large-to-process", "image-bad-aspect-ratio",
            "image-cannot-fit", "image-reencoding-failed");
    /** A small real JPEG whose frame header is given other sizes: its scan data then covers only part. */
    private static final byte[] SMALL_JPEG = TestImages.jpeg(TestImages.noisyPortrait(120, 160, 8, 41), 0.8f);

    record Shape(int width, int height) {
    }

    /**
     * What fills a PNG: rows of zeros (small, so sent as received), rows starting with 64 KB of noise (too
     * large to send, so decoded and re-encoded), random bytes, or rows of zeros cut off before IEND.
     */
    enum PngData { ZERO_ROWS, NOISY_ROWS, RANDOM, CUT_SHORT }

    /** The scan after a frame header of any size: a real one of another size, random bytes, or none to EOI. */
    enum JpegScan { OF_ANOTHER_SIZE, RANDOM, CUT_SHORT }

    /** A one-colour lossless image, one whose pixel data stops early, a VP8X canvas around the first. */
    enum WebpKind { SOLID, CUT_SHORT, EXTENDED }

    @Property(tries = 250, edgeCases = EdgeCasesMode.NONE)
    void aPngOfAnySizeAndPixelKindGetsAVerdict(@ForAll("pngShapes") Shape shape, @ForAll("pngPixelKinds") int[] kind,
            @ForAll PngData data, @ForAll @Size(max = 2000) byte[] random) {
        String expected = reasonFromHeader(shape, PhotoCheck.MAX_PIXELS);
        int bitDepth = kind[0];
        int colourType = kind[1];
        // Rows are made only for a header that passes: the data behind one that does not is never read.
        byte[] png = switch (expected == null ? data : PngData.RANDOM) {
            case ZERO_ROWS -> TestImages.png(shape.width(), shape.height(), bitDepth, colourType,
                    TestImages.pngRows(shape.width(), shape.height(), bitDepth, colourType, 0, 0));
            case NOISY_ROWS -> TestImages.png(shape.width(), shape.height(), bitDepth, colourType,
                    TestImages.pngRows(shape.width(), shape.height(), bitDepth, colourType, 64 * 1024, random.length));
            case RANDOM -> TestImages.png(shape.width(), shape.height(), bitDepth, colourType, random);
            case CUT_SHORT -> withoutEnd(TestImages.png(shape.width(), shape.height(), bitDepth, colourType,
                    TestImages.pngRows(shape.width(), shape.height(), bitDepth, colourType, 0, 0)), 12);
        };

        PhotoVerdict verdict = CHECK.check(TestImages.base64(png));

        assertSound(verdict, png);
        net.jqwik.api.statistics.Statistics.label("png").collect(reason(verdict) + " " + data + (verdict instanceof Accepted a && a.reencoded() ? " re" : ""));
        if (expected != null) {
            assertThat(reason(verdict)).isEqualTo(expected);
        } else if (data == PngData.ZERO_ROWS) {
            assertThat(verdict).isInstanceOf(Accepted.class);
        } else if (data == PngData.NOISY_ROWS) {
            assertThat(reason(verdict)).isIn("accepted", "image-cannot-fit");
        } else if (data == PngData.CUT_SHORT) {
            assertThat(reason(verdict)).isEqualTo("image-undecodable");
        }
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.NONE)
    void aJpegOfAnySizeGetsAVerdict(@ForAll("jpegShapes") Shape shape, @ForAll JpegScan scan,
            @ForAll @IntRange(min = 1, max = 8) int orientation, @ForAll @Size(max = 2000) byte[] random) {
        byte[] sized = withJpegSize(SMALL_JPEG, shape);
        int scanStart = scanStart(sized);
        byte[] jpeg = switch (scan) {
            case OF_ANOTHER_SIZE -> sized;
            case RANDOM -> TestImages.concat(Arrays.copyOf(sized, scanStart), random, new byte[] {(byte) 0xFF, (byte) 0xD9});
            case CUT_SHORT -> Arrays.copyOf(sized, sized.length - 2);
        };
        jpeg = PhotoCheckTest.withExifOrientation(jpeg, orientation, ByteOrder.LITTLE_ENDIAN);

        PhotoVerdict verdict = CHECK.check(TestImages.base64(jpeg));

        assertSound(verdict, jpeg);
        net.jqwik.api.statistics.Statistics.label("jpeg").collect(reason(verdict) + " " + scan + (verdict instanceof Accepted a && a.reencoded() ? " re" : ""));
        String expected = reasonFromHeader(shape, PhotoCheck.MAX_PIXELS);
        if (expected != null && scan == JpegScan.RANDOM) {
            // Random scan bytes may hold markers (a second SOI, a segment of impossible length) that make the file
            // undecodable before its size is judged: both verdicts are right.
            assertThat(reason(verdict)).isIn(expected, "image-undecodable");
        } else if (expected != null) {
            assertThat(reason(verdict)).isEqualTo(expected);
        } else if (scan == JpegScan.CUT_SHORT) {
            assertThat(reason(verdict)).isEqualTo("image-undecodable");
        }
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void aWebpOfAnySizeGetsAVerdict(@ForAll("webpShapes") Shape shape, @ForAll WebpKind kind) {
        byte[] webp = switch (kind) {
            case SOLID -> TestImages.webpLosslessSolid(shape.width(), shape.height(), 0x8899AA);
            case CUT_SHORT -> withVp8lSize(TestImages.webpLossless(TestImages.noisyPortrait(20, 20, 8, 42)), shape);
            case EXTENDED -> extended(shape);
        };

        PhotoVerdict verdict = CHECK.check(TestImages.base64(webp));

        assertSound(verdict, webp);
        net.jqwik.api.statistics.Statistics.label("webp").collect(reason(verdict) + " " + kind);
        String expected = reasonFromHeader(shape, PhotoCheck.DECODE_PIXEL_BUDGET);
        if (expected != null) {
            assertThat(reason(verdict)).isEqualTo(expected);
        } else if (kind == WebpKind.CUT_SHORT) {
            assertThat(reason(verdict)).isEqualTo("image-undecodable");
        } else {
            assertThat(verdict).isInstanceOf(Accepted.class);
        }
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void randomBytesBehindAnImageSignatureGetAVerdict(@ForAll("signatures") byte[] signature,
            @ForAll @Size(max = 3000) byte[] rest) {
        byte[] bytes = TestImages.concat(signature, rest);

        PhotoVerdict verdict = CHECK.check(TestImages.base64(bytes));

        assertSound(verdict, bytes);
        net.jqwik.api.statistics.Statistics.label("sig").collect(reason(verdict));
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void anyTextGetsAVerdict(@ForAll String text) {
        PhotoVerdict verdict = CHECK.check(text);

        assertThat(verdict).isNotNull();
        if (verdict instanceof Rejected rejected) {
            assertThat(rejected.reason()).isIn(REASONS);
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<Shape> pngShapes() {
        return shapes(70_000);
    }

    @Provide
    Arbitrary<Shape> jpegShapes() {
        return shapes(65_535);
    }

    @Provide
    Arbitrary<Shape> webpShapes() {
        return shapes(16_384);
    }

    /** Sides of any size, of photo sizes, and at the limits; and strips whose short side is near the minimum. */
    private static Arbitrary<Shape> shapes(int maxSide) {
        Arbitrary<Integer> side = Arbitraries.frequencyOf(
                Tuple.of(2, uniform(1, maxSide)),
                Tuple.of(4, uniform(80, 3000)),
                Tuple.of(1, Arbitraries.of(1, 99, 100, 101, 399, 400, 401, 65_500, 65_501, 70_000).filter(s -> s <= maxSide)));
        Arbitrary<Shape> independent = Combinators.combine(side, side).as(Shape::new);
        Arbitrary<Shape> strip = Combinators.combine(uniform(1, maxSide), uniform(1, 300), Arbitraries.of(true, false))
                .as((along, across, wide) -> wide ? new Shape(along, across) : new Shape(across, along));
        return Arbitraries.frequencyOf(Tuple.of(3, independent), Tuple.of(1, strip));
    }

    /** Uniform rather than jqwik's default, which favours the small end: large sides are the point here. */
    private static Arbitrary<Integer> uniform(int min, int max) {
        return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform());
    }

    /** Bit depth and colour type: grey, RGB, palette, grey with alpha, RGBA, in every depth each allows. */
    @Provide
    Arbitrary<int[]> pngPixelKinds() {
        return Arbitraries.of(List.of(new int[] {1, 0}, new int[] {2, 0}, new int[] {4, 0}, new int[] {8, 0},
                new int[] {16, 0}, new int[] {8, 2}, new int[] {16, 2}, new int[] {1, 3}, new int[] {2, 3},
                new int[] {4, 3}, new int[] {8, 3}, new int[] {8, 4}, new int[] {16, 4}, new int[] {8, 6}, new int[] {16, 6}));
    }

    @Provide
    Arbitrary<byte[]> signatures() {
        return Arbitraries.of(List.of(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, Arrays.copyOf(SMALL_JPEG, 20),
                Arrays.copyOf(SMALL_JPEG, scanStart(SMALL_JPEG)), Arrays.copyOf(TestImages.solidPng(300, 400), 8),
                Arrays.copyOf(TestImages.solidPng(300, 400), 33), riffHeader("VP8 "), riffHeader("VP8L"), riffHeader("VP8X"),
                PhotoCheckTest.isoMedia("heic", "mif1"), ascii("GIF89a"), new byte[0]));
    }

    // ---- the verdict's promises ----

    /** What any verdict must be: a known reason, or a photo within the provider's limits and of a usable shape. */
    private static void assertSound(PhotoVerdict verdict, byte[] input) {
        assertThat(verdict).isNotNull();
        if (verdict instanceof Rejected rejected) {
            assertThat(rejected.reason()).isIn(REASONS);
            assertThat(rejected.message()).isNotBlank();
            assertThat(rejected.detail()).isNotBlank();
            return;
        }
        Accepted accepted = (Accepted) verdict;
        byte[] sent = Base64.getDecoder().decode(accepted.base64());
        int shortSide = Math.min(accepted.width(), accepted.height());
        int longSide = Math.max(accepted.width(), accepted.height());
        assertThat(accepted.sentBytes()).isEqualTo(sent.length).isLessThanOrEqualTo(PhotoCheck.MAX_SENT_BYTES);
        assertThat(accepted.originalBytes()).isEqualTo(input.length);
        assertThat(shortSide).isGreaterThanOrEqualTo(PhotoCheck.MIN_SIDE);
        assertThat(longSide).isLessThanOrEqualTo(PhotoCheck.MAX_ASPECT_RATIO * shortSide);
        if (!accepted.reencoded()) {
            assertThat(sent).isEqualTo(input);
            return;
        }
        BufferedImage image = read(sent);
        assertThat(List.of(image.getWidth(), image.getHeight())).containsExactly(accepted.width(), accepted.height());
        assertThat(longSide).isLessThanOrEqualTo(65_500);
    }

    /** The reason the header alone gives, with the format's pixel limit; null when the header passes. */
    private static String reasonFromHeader(Shape shape, long maxPixels) {
        int shortSide = Math.min(shape.width(), shape.height());
        int longSide = Math.max(shape.width(), shape.height());
        if ((long) shape.width() * shape.height() > maxPixels) {
            return "image-too-large-to-process";
        }
        if (shortSide < PhotoCheck.MIN_SIDE) {
            return "image-too-small";
        }
        return longSide > (long) PhotoCheck.MAX_ASPECT_RATIO * shortSide ? "image-bad-aspect-ratio" : null;
    }

    private static String reason(PhotoVerdict verdict) {
        return verdict instanceof Rejected rejected ? rejected.reason() : "accepted";
    }

    private static BufferedImage read(byte[] jpeg) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            assertThat(image).as("the JPEG sent decodes").isNotNull();
            return image;
        } catch (IOException e) {
            throw new AssertionError("the JPEG sent does not decode", e);
        }
    }

    // ---- image surgery ----

    private static byte[] withoutEnd(byte[] bytes, int count) {
        return Arrays.copyOf(bytes, bytes.length - count);
    }

    /** The first SOF0 given this size; the test JPEG has no 0xFF 0xC0 before it. */
    private static byte[] withJpegSize(byte[] jpeg, Shape shape) {
        byte[] sized = jpeg.clone();
        for (int i = 2; i + 9 < sized.length; i++) {
            if (sized[i] == (byte) 0xFF && sized[i + 1] == (byte) 0xC0) {
                ByteBuffer.wrap(sized).putShort(i + 5, (short) shape.height()).putShort(i + 7, (short) shape.width());
                return sized;
            }
        }
        throw new IllegalArgumentException("no SOF0 marker");
    }

    /** Where the entropy-coded data of the first scan starts. */
    private static int scanStart(byte[] jpeg) {
        for (int i = 2; i + 3 < jpeg.length; i++) {
            if (jpeg[i] == (byte) 0xFF && jpeg[i + 1] == (byte) 0xDA) {
                return i + 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
            }
        }
        throw new IllegalArgumentException("no SOS marker");
    }

    /** The VP8L header given this size (at most 16,384 a side), the pixel data left as it was. */
    private static byte[] withVp8lSize(byte[] webp, Shape shape) {
        byte[] sized = webp.clone();
        ByteBuffer.wrap(sized).order(ByteOrder.LITTLE_ENDIAN).putInt(21, (shape.width() - 1) | (shape.height() - 1) << 14);
        return sized;
    }

    /** A VP8X canvas of the shape around a one-colour VP8L image of the same size, as far as VP8L reaches. */
    private static byte[] extended(Shape shape) {
        byte[] canvas = Arrays.copyOf(ByteBuffer.allocate(11).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(4, shape.width() - 1).putInt(7, shape.height() - 1).array(), 10);
        byte[] image = TestImages.webpLosslessSolid(Math.min(shape.width(), 16_384), Math.min(shape.height(), 16_384), 0x8899AA);
        byte[] chunks = TestImages.concat(Arrays.copyOfRange(TestImages.riff("VP8X", canvas), 12, 30),
                Arrays.copyOfRange(image, 12, image.length));
        ByteBuffer file = ByteBuffer.allocate(12 + chunks.length).order(ByteOrder.LITTLE_ENDIAN);
        return file.put(ascii("RIFF")).putInt(4 + chunks.length).put(ascii("WEBP")).put(chunks).array();
    }

    private static byte[] riffHeader(String fourCc) {
        return ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).put(ascii("RIFF")).putInt(3000)
                .put(ascii("WEBP")).put(ascii(fourCc)).putInt(2000).array();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
