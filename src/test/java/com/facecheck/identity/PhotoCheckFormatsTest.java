package com.facecheck.identity;

import static com.facecheck.identity.PhotoAssertions.UNREADABLE;
import static com.facecheck.identity.PhotoAssertions.accepted;
import static com.facecheck.identity.PhotoAssertions.assertClose;
import static com.facecheck.identity.PhotoAssertions.bytes;
import static com.facecheck.identity.PhotoAssertions.decode;
import static com.facecheck.identity.PhotoAssertions.rejected;
import static com.facecheck.identity.PhotoAssertions.rgbAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import com.facecheck.identity.PhotoVerdict.Accepted;
import com.facecheck.identity.PhotoVerdict.Rejected;
import com.facecheck.testing.TestImages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The kinds of image a phone or an editor produces: CMYK JPEGs, broken metadata, WebP, unusual PNG pixels. */
class PhotoCheckFormatsTest {

    /**
     * Written by Pillow 12.3.0 (libwebp) on the development machine, as no WebP encoder is in the build: a
     * 160×200 portrait drawn like {@link TestImages#noisyPortrait} without noise (background 200,210,225, an
     * oval 220,180,150), lossy at quality 75. The second is the same with its left 40 px transparent (VP8X
     * with an ALPH chunk).
     */
    private static final String LOSSY_WEBP = "UklGRpYBAABXRUJQVlA4IIoBAACwEwCdASqgAMgAPpFInUulpKKhpPTYKLASCWdu4XSg9Rsawg/L1/9AOOYs1tgOdy04qnvgvp"
            + "O7EOpOTviHUm8ABG9Oe7Y7jiHw2Zzq3GWVxFVy1TKtLE5ELQ24epDZRo2f1ssv2jt+bPZ2wOmSLD1j+5R5ZBj0oED6T9r/kM4OPW00910SIMR268VH"
            + "ruz591n58fNgv16k5O+IdScnfEOpOTviHT4AAP7+l11OwbBHe2AAFziYKt1a7LYuiiHLQBDIpqdvQ2fZKlVoTIS1z4pdUx6t4CqTf9sA9Hwpd+RQCx"
            + "B2eJu4VbUt77kYD2BvPqy/s3JqV9pZUynX3EOvsMqv2UMFJiQ3Uuil1TSWBvTcGhczoJxk95K8O7dI8jJCAIHBy/V/2XTAHT2EB2psk7SzFsBYiW8j"
            + "lmts253jXmhQbNIv+FlSmMvlPrdJI71e5Zuec6E4Yl0bttnS79qiKWXwCroPtF80qm3chAILXHjLpjJD9BRcJ/FtuLkN8/A3Cm8M/DgAAAAAAAAA";
    private static final String LOSSY_WEBP_WITH_ALPHA = "UklGRtYBAABXRUJQVlA4WAoAAAAQAAAAnwAAxwAAQUxQSBUAAAABDzD/ERFCIJDsLx3GEf2PqgAALw4AVlA4IJoBAADQFA"
            + "CdASqgAMgAPpFInEslpKKhpzT4KLASCWdu4XKQ9R/auf53hqOKIrLzu2A5459VAuMYSXjSuDKxj2VyD4tADU3ua7bMDxR+XhvvKgYILAttazLvqSmQ"
            + "oUqimftABpKq9lIGdxWaqjGBz5d4a3xepfSL7/fgEBN49C6DIJ1Px6FPCGOH0ddBjlCn/jgpO2ujejAjOsIrjHI8xFGlcg+iHsrkWqv9lci9qp/JLw"
            + "IAAP7+8DLfpJ//2B0Zg45NGshhONmLo6+wF/DVnR/YzJH5CY51kYu10ACX5dgLq9hVUMu/0raXetzhSrHocy1CFXBvPiDpWjnjWTTT3+Illi5gzuKD"
            + "iTs6NGwTEPvgRREsZb1S1eeqI1cajm6aIggHwxgvHQDni9MuHuktw5BOKQ6suqkufIlvbsYjjl/7hpzf9bTDiX/h7gUjHusCxfcYbM5ojFRNUhz9+S"
            + "9UPsiR4bE8zCD7VFUsvGsmp85a9+nk77lq28mew0uhjs3yy9vN3AvlKMMZvSgMU5SQ/gNkW+UACcRGCbQacgAAAA==";

    private static final int[] BACKGROUND = {200, 210, 225};
    private static final int[] FACE = {220, 180, 150};

    private final PhotoCheck check = new PhotoCheck();

    // ---- CMYK ----

    @Test
    void aLargeCmykJpegWithoutAProfileIsSentAsRgbOfTheSameColours() throws IOException {
        BufferedImage original = TestImages.noisyPortrait(900, 1200, 12, 21);
        Graphics2D g = original.createGraphics();
        g.setColor(new Color(200, 30, 40));
        g.fillRect(0, 0, 200, 200);
        g.setColor(new Color(40, 60, 110));
        g.fillRect(0, 1000, 900, 200);
        g.dispose();
        byte[] cmyk = TestImages.adobeCmykJpeg(original, false, 0.95f);
        assertThat(cmyk.length).isGreaterThan(PhotoCheck.MAX_SENT_BYTES);

        Accepted accepted = accepted(check.check(TestImages.base64(cmyk)));

        BufferedImage sent = decode(bytes(accepted.base64()));
        assertThat(accepted.reencoded()).isTrue();
        assertThat(sent.getColorModel().getNumComponents()).as("sent as RGB").isEqualTo(3);
        assertClose(rgbAt(sent, 0.1, 0.08), new int[] {200, 30, 40}, 8);
        assertClose(rgbAt(sent, 0.5, 0.95), new int[] {40, 60, 110}, 8);
        assertClose(rgbAt(sent, 0.5, 0.45), FACE, 8);
        assertClose(rgbAt(sent, 0.9, 0.3), BACKGROUND, 8);
    }

    // ---- broken metadata ----

    static Stream<Arguments> brokenMetadata() {
        byte[] junk = new byte[300];
        new SplittableRandom(22).nextBytes(junk);
        return Stream.of(
                Arguments.of("ICC profile chunks both numbered 1 of 2", List.of(iccChunk(1, 2, junk), iccChunk(1, 2, junk))),
                Arguments.of("ICC profile chunk numbered 3 of 2", List.of(iccChunk(3, 2, junk))),
                Arguments.of("ICC profile chunk 1 of 2 without chunk 2", List.of(iccChunk(1, 2, junk))),
                Arguments.of("ICC profile of random bytes", List.of(iccChunk(1, 1, junk))),
                Arguments.of("EXIF whose first IFD lies far beyond the segment", List.of(new Segment(0xE1, TestImages.concat(
                        ascii("Exif\0\0II*\0"), new byte[] {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F}, junk)))),
                Arguments.of("EXIF whose IFD claims 65,535 entries", List.of(new Segment(0xE1, TestImages.concat(
                        ascii("Exif\0\0MM\0*"), new byte[] {0, 0, 0, 8, (byte) 0xFF, (byte) 0xFF}, junk)))),
                Arguments.of("XMP cut off inside an element", List.of(new Segment(0xE1, TestImages.concat(
                        ascii("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF"), junk)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenMetadata")
    void aSmallJpegWithBrokenMetadataIsSentAsItIs(String what, List<Segment> segments) {
        byte[] jpeg = withMetadata(bytes(TestImages.jpegBase64(320, 400)), segments);
        assertThat(jpeg.length).isLessThan(PhotoCheck.MAX_SENT_BYTES);

        Accepted accepted = accepted(check.check(TestImages.base64(jpeg)));

        assertThat(accepted.base64()).isEqualTo(TestImages.base64(jpeg));
        assertThat(accepted.reencoded()).isFalse();
        assertThat(List.of(accepted.width(), accepted.height())).containsExactly(320, 400);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenMetadata")
    void aSidewaysJpegWithBrokenMetadataIsStillTurnedUpright(String what, List<Segment> segments) throws IOException {
        byte[] stored = withMetadata(TestImages.jpeg(TestImages.noisyPortrait(400, 300, 4, 23), 0.9f), segments);
        byte[] jpeg = PhotoCheckTest.withExifOrientation(stored, 6, ByteOrder.BIG_ENDIAN);

        Accepted accepted = accepted(check.check(TestImages.base64(jpeg)));

        assertThat(accepted.reencoded()).isTrue();
        BufferedImage upright = decode(bytes(accepted.base64()));
        assertThat(List.of(upright.getWidth(), upright.getHeight())).containsExactly(300, 400);
    }

    // ---- WebP ----

    @Test
    void aLosslessWebpIsSentAsAJpegOfTheSameColours() throws IOException {
        byte[] webp = TestImages.webpLossless(TestImages.noisyPortrait(300, 400, 6, 24));

        Accepted accepted = accepted(check.check(TestImages.base64(webp)));

        byte[] sent = bytes(accepted.base64());
        assertThat(accepted.format()).isEqualTo("webp");
        assertThat(accepted.reencoded()).as("the provider takes JPEG and PNG only").isTrue();
        assertThat(Arrays.copyOf(sent, 3)).as("sent as JPEG").containsExactly(0xFF, 0xD8, 0xFF);
        assertThat(accepted.originalBytes()).isEqualTo(webp.length);
        assertThat(List.of(accepted.width(), accepted.height())).containsExactly(300, 400);
        BufferedImage decoded = decode(sent);
        assertClose(rgbAt(decoded, 0.5, 0.45), FACE, 10);
        assertClose(rgbAt(decoded, 0.05, 0.05), BACKGROUND, 10);
    }

    @Test
    void aLossyWebpIsSentAsAJpegOfTheSameColours() throws IOException {
        Accepted accepted = accepted(check.check(LOSSY_WEBP));

        BufferedImage decoded = decode(bytes(accepted.base64()));
        assertThat(accepted.format()).isEqualTo("webp");
        assertThat(accepted.reencoded()).isTrue();
        assertThat(List.of(decoded.getWidth(), decoded.getHeight())).containsExactly(160, 200);
        assertClose(rgbAt(decoded, 0.5, 0.45), FACE, 12);
        assertClose(rgbAt(decoded, 0.05, 0.05), BACKGROUND, 12);
    }

    @Test
    void aTransparentPartOfAWebpComesOutWhite() throws IOException {
        Accepted accepted = accepted(check.check(LOSSY_WEBP_WITH_ALPHA));

        BufferedImage decoded = decode(bytes(accepted.base64()));
        assertClose(rgbAt(decoded, 0.1, 0.5), new int[] {255, 255, 255}, 8);
        assertClose(rgbAt(decoded, 0.5, 0.45), FACE, 12);
    }

    @Test
    void aWebpOfOneColourIsDecodedInAMomentThoughItsPixelsTakeNoBits() {
        // 34 bytes for 9 megapixels: TwelveMonkeys' reader alone spends over half a minute on it.
        byte[] webp = TestImages.webpLosslessSolid(3000, 3000, 0x8899AA);

        Accepted accepted = assertTimeout(Duration.ofSeconds(10), () -> accepted(check.check(TestImages.base64(webp))));

        assertThat(List.of(accepted.width(), accepted.height())).containsExactly(600, 600);
    }

    @Test
    void aLosslessWebpWhoseDataStopsEarlyIsUndecodableAtOnce() {
        // A whole file by its RIFF sizes, but the pixel data of a 300×300 image under a 3000×3000 header: the
        // reader would otherwise go on decoding nothing up to the last pixel.
        byte[] webp = TestImages.webpLossless(TestImages.noisyPortrait(300, 300, 6, 25));
        ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN).putInt(21, (3000 - 1) | (3000 - 1) << 14);

        Rejected rejected = assertTimeout(Duration.ofSeconds(10), () -> rejected(check.check(TestImages.base64(webp))));

        assertThat(rejected.reason()).isEqualTo("image-undecodable");
        assertThat(rejected.detail()).contains("WebP");
    }

    @Test
    void aTruncatedWebpIsUndecodable() {
        byte[] webp = TestImages.webpLossless(TestImages.noisyPortrait(300, 400, 6, 26));

        for (byte[] truncated : List.of(Arrays.copyOf(webp, webp.length - 100), Arrays.copyOf(webp, 24), Arrays.copyOf(webp, 12))) {
            assertThat(rejected(check.check(TestImages.base64(truncated))))
                    .returns("image-undecodable", Rejected::reason).returns(UNREADABLE, Rejected::message);
        }
    }

    @Test
    void aWebpIsDecodedWholeSoItsLimitIsTheDecodingBudget() {
        // Flags and reserved bytes, then the canvas width and height less one, 24 bits each.
        ByteBuffer canvas = ByteBuffer.allocate(11).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 5000 - 1).putInt(7, 4000 - 1);
        byte[] extended = TestImages.riff("VP8X", Arrays.copyOf(canvas.array(), 10));

        Rejected rejected = rejected(check.check(TestImages.base64(extended)));

        assertThat(rejected.reason()).isEqualTo("image-too-large-to-process");
        assertThat(rejected.detail()).contains("5000×4000", "16-megapixel limit for a WebP");
        assertThat(accepted(check.check(TestImages.base64(TestImages.webpLosslessSolid(4000, 4000, 0x8899AA)))).format())
                .as("16 megapixels fit").isEqualTo("webp");
    }

    // ---- PNG pixels of every kind ----

    static Stream<Arguments> pngKinds() {
        IntFunction<BufferedImage> twoBitPalette = size -> new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY,
                new IndexColorModel(2, 4, new byte[] {0, 85, (byte) 170, (byte) 255}, new byte[] {0, 85, (byte) 170, (byte) 255},
                        new byte[] {0, 85, (byte) 170, (byte) 255}));
        return Stream.of(
                Arguments.of("1-bit grey", (IntFunction<BufferedImage>) size -> new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY)),
                Arguments.of("2-bit palette", twoBitPalette),
                Arguments.of("8-bit palette", (IntFunction<BufferedImage>) size -> new BufferedImage(size, size, BufferedImage.TYPE_BYTE_INDEXED)),
                Arguments.of("16-bit grey", (IntFunction<BufferedImage>) size -> new BufferedImage(size, size, BufferedImage.TYPE_USHORT_GRAY)),
                Arguments.of("16-bit RGB", (IntFunction<BufferedImage>) size -> componentImage(size, ColorSpace.CS_sRGB, false, DataBuffer.TYPE_USHORT)),
                Arguments.of("16-bit RGBA", (IntFunction<BufferedImage>) size -> componentImage(size, ColorSpace.CS_sRGB, true, DataBuffer.TYPE_USHORT)),
                Arguments.of("8-bit grey and alpha", (IntFunction<BufferedImage>) size -> componentImage(size, ColorSpace.CS_GRAY, true, DataBuffer.TYPE_BYTE)),
                Arguments.of("16-bit grey and alpha", (IntFunction<BufferedImage>) size -> componentImage(size, ColorSpace.CS_GRAY, true, DataBuffer.TYPE_USHORT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pngKinds")
    void aLargePngOfAnyPixelKindIsReencoded(String kind, IntFunction<BufferedImage> blank) throws IOException {
        BufferedImage image = blank.apply(900);
        Graphics2D g = image.createGraphics();
        g.drawImage(TestImages.noisyPortrait(900, 900, 100, 27), 0, 0, null);
        g.dispose();
        byte[] png = TestImages.png(image);
        assertThat(png.length).isGreaterThan(PhotoCheck.MAX_SENT_BYTES);

        Accepted accepted = accepted(check.check(TestImages.base64(png)));

        assertThat(accepted.reencoded()).isTrue();
        assertThat(accepted.sentBytes()).isLessThanOrEqualTo(PhotoCheck.MAX_SENT_BYTES);
        BufferedImage sent = decode(bytes(accepted.base64()));
        assertThat(List.of(sent.getWidth(), sent.getHeight())).containsExactly(accepted.width(), accepted.width());
        assertThat(accepted.width()).isBetween(PhotoCheck.MIN_SIDE, PhotoCheck.START_SHORT_SIDE);
    }

    // ---- helpers ----

    private static BufferedImage componentImage(int size, int colourSpace, boolean alpha, int dataType) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(colourSpace), alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, dataType);
        WritableRaster raster = model.createCompatibleWritableRaster(size, size);
        return new BufferedImage(model, raster, false, null);
    }

    /** A marker segment's type and contents. */
    record Segment(int marker, byte[] payload) {
    }

    private static Segment iccChunk(int sequence, int count, byte[] data) {
        return new Segment(0xE2, TestImages.concat(ascii("ICC_PROFILE\0"), new byte[] {(byte) sequence, (byte) count}, data));
    }

    /** Each segment right after SOI, in the given order. */
    private static byte[] withMetadata(byte[] jpeg, List<Segment> segments) {
        byte[] result = jpeg;
        for (int i = segments.size() - 1; i >= 0; i--) {
            result = TestImages.withSegment(result, segments.get(i).marker(), segments.get(i).payload());
        }
        return result;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
