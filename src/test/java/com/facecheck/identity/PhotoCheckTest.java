package com.facecheck.identity;

import static com.facecheck.identity.PhotoAssertions.UNREADABLE;
import static com.facecheck.identity.PhotoAssertions.accepted;
import static com.facecheck.identity.PhotoAssertions.assertClose;
import static com.facecheck.identity.PhotoAssertions.bytes;
import static com.facecheck.identity.PhotoAssertions.decode;
import static com.facecheck.identity.PhotoAssertions.rejected;
import static com.facecheck.identity.PhotoAssertions.rgbAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.facecheck.identity.PhotoVerdict.Accepted;
import com.facecheck.identity.PhotoVerdict.Rejected;
import com.facecheck.testing.TestImages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhotoCheckTest {

    private static final Color MARK = new Color(255, 0, 0);

    private final PhotoCheck check = new PhotoCheck();

    // ---- sent as they are ----

    @Test
    void aSmallJpegIsSentAsItIs() {
        String image = TestImages.jpegBase64(320, 400);

        Accepted accepted = accepted(check.check(image));

        assertThat(accepted.base64()).isEqualTo(image);
        assertThat(accepted.format()).isEqualTo("jpeg");
        assertThat(accepted.reencoded()).isFalse();
        assertThat(List.of(accepted.width(), accepted.height())).containsExactly(320, 400);
        assertThat(accepted.sentBytes()).isEqualTo(accepted.originalBytes()).isEqualTo(bytes(image).length);
    }

    @Test
    void aSmallPngIsSentAsItIs() {
        byte[] png = TestImages.png(TestImages.noisyPortrait(200, 260, 4, 1));
        assertThat(png.length).isLessThan(PhotoCheck.MAX_SENT_BYTES);

        Accepted accepted = accepted(check.check(TestImages.base64(png)));

        assertThat(accepted.base64()).isEqualTo(TestImages.base64(png));
        assertThat(accepted.format()).isEqualTo("png");
        assertThat(accepted.reencoded()).isFalse();
        assertThat(List.of(accepted.width(), accepted.height())).containsExactly(200, 260);
    }

    @Test
    void dataUrlsLineBreaksTheUrlSafeAlphabetAndMissingPaddingAreAccepted() {
        byte[] jpeg = TestImages.jpeg(TestImages.noisyPortrait(300, 400, 8, 2), 0.8f);
        String standard = TestImages.base64(jpeg);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(jpeg);
        assertThat(jpeg.length % 3).as("padding is needed").isNotZero();
        assertThat(urlSafe).as("the alphabets differ for these bytes").doesNotContain("+", "/").isNotEqualTo(standard.replace("=", ""));

        for (String variant : List.of("data:image/jpeg;base64," + standard, "DATA:image/jpg;BASE64," + urlSafe,
                Base64.getMimeEncoder().encodeToString(jpeg), "\n " + urlSafe + "\r\n", standard.replace("=", ""))) {
            Accepted accepted = accepted(check.check(variant));
            assertThat(accepted.base64()).isEqualTo(standard);
            assertThat(accepted.reencoded()).isFalse();
        }
    }

    // ---- re-encoded ----

    @Test
    void aLargePhotoIsReencodedUnderTheLimitAtAUsefulSize() throws IOException {
        byte[] original = TestImages.jpeg(TestImages.noisyPortrait(3000, 4000, 16, 3), 0.75f);
        assertThat(original.length).isGreaterThan(1_500_000);

        Accepted accepted = accepted(check.check(TestImages.base64(original)));

        byte[] sent = bytes(accepted.base64());
        assertThat(accepted.reencoded()).isTrue();
        assertThat(accepted.format()).isEqualTo("jpeg");
        assertThat(accepted.originalBytes()).isEqualTo(original.length);
        assertThat(accepted.sentBytes()).isEqualTo(sent.length).isLessThanOrEqualTo(PhotoCheck.MAX_SENT_BYTES);
        assertThat(accepted.base64().length()).isLessThanOrEqualTo(RequestValidation.MAX_IMAGE_CHARS);
        BufferedImage decoded = decode(sent);
        assertThat(List.of(decoded.getWidth(), decoded.getHeight())).containsExactly(accepted.width(), accepted.height());
        assertThat(Math.min(decoded.getWidth(), decoded.getHeight())).isGreaterThanOrEqualTo(300);
        assertThat((double) decoded.getHeight() / decoded.getWidth()).isCloseTo(4.0 / 3, offset(0.01));
        assertThat(rgbAt(decoded, 0.5, 0.45)).as("the face is still face-coloured")
                .satisfies(rgb -> assertClose(rgb, new int[] {220, 180, 150}, 20));
    }

    @Test
    void theReencodedPhotoCarriesNoMetadata() {
        byte[] original = withExifOrientation(TestImages.jpeg(TestImages.noisyPortrait(900, 1200, 16, 4), 0.9f),
                1, ByteOrder.BIG_ENDIAN);

        Accepted accepted = accepted(check.check(TestImages.base64(original)));

        assertThat(accepted.reencoded()).isTrue();
        assertThat(new String(bytes(accepted.base64()), StandardCharsets.ISO_8859_1)).doesNotContain("Exif");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG_ENDIAN", "LITTLE_ENDIAN"})
    void exifOrientation6TurnsALargePhotoUpright(String byteOrder) throws IOException {
        // Stored landscape with the mark top-left; upright it is portrait with the mark top-right.
        BufferedImage stored = marked(TestImages.noisyPortrait(1600, 1200, 16, 5));
        byte[] original = withExifOrientation(TestImages.jpeg(stored, 0.9f), 6,
                byteOrder.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        assertThat(original.length).isGreaterThan(PhotoCheck.MAX_SENT_BYTES);

        Accepted accepted = accepted(check.check(TestImages.base64(original)));

        BufferedImage upright = decode(bytes(accepted.base64()));
        assertThat(accepted.reencoded()).isTrue();
        assertThat((double) upright.getHeight() / upright.getWidth()).isCloseTo(4.0 / 3, offset(0.01));
        assertClose(rgbAt(upright, 0.97, 0.03), new int[] {255, 0, 0}, 60);
        assertThat(rgbAt(upright, 0.03, 0.03)[1]).as("top-left is not marked").isGreaterThan(120);
    }

    @ParameterizedTest(name = "orientation {0}: mark at x={1}, y={2}, sides swapped: {3}")
    @CsvSource({"1, 0.05, 0.05, false", "2, 0.95, 0.05, false", "3, 0.95, 0.95, false", "4, 0.05, 0.95, false",
            "5, 0.05, 0.05, true", "6, 0.95, 0.05, true", "7, 0.95, 0.95, true", "8, 0.05, 0.95, true"})
    void everyExifOrientationIsApplied(int orientation, double markX, double markY, boolean swapped) throws IOException {
        BufferedImage stored = marked(TestImages.noisyPortrait(300, 200, 2, 6));
        byte[] original = withExifOrientation(TestImages.jpeg(stored, 0.9f), orientation, ByteOrder.LITTLE_ENDIAN);
        assertThat(original.length).isLessThan(PhotoCheck.MAX_SENT_BYTES);

        Accepted accepted = accepted(check.check(TestImages.base64(original)));

        BufferedImage upright = decode(bytes(accepted.base64()));
        assertThat(accepted.reencoded()).isEqualTo(orientation != 1);
        assertThat(List.of(upright.getWidth(), upright.getHeight())).containsExactlyElementsOf(swapped ? List.of(200, 300) : List.of(300, 200));
        assertClose(rgbAt(upright, markX, markY), new int[] {255, 0, 0}, 60);
    }

    @Test
    void aLargePngWithTransparencyIsReencodedOverWhite() throws IOException {
        BufferedImage cutOut = new BufferedImage(900, 700, BufferedImage.TYPE_INT_ARGB);
        BufferedImage noise = TestImages.noisyPortrait(900, 700, 30, 7);
        for (int y = 0; y < 700; y++) {
            for (int x = 450; x < 900; x++) {
                cutOut.setRGB(x, y, 0xFF000000 | noise.getRGB(x, y));
            }
        }
        byte[] png = TestImages.png(cutOut);
        assertThat(png.length).isGreaterThan(PhotoCheck.MAX_SENT_BYTES);

        Accepted accepted = accepted(check.check(TestImages.base64(png)));

        byte[] sent = bytes(accepted.base64());
        assertThat(accepted.format()).isEqualTo("png");
        assertThat(accepted.reencoded()).isTrue();
        assertThat(Arrays.copyOf(sent, 3)).as("sent as JPEG").containsExactly(0xFF, 0xD8, 0xFF);
        assertThat(sent.length).isLessThanOrEqualTo(PhotoCheck.MAX_SENT_BYTES);
        BufferedImage decoded = decode(sent);
        assertClose(rgbAt(decoded, 0.25, 0.5), new int[] {255, 255, 255}, 6);
        assertClose(rgbAt(decoded, 0.75, 0.1), new int[] {200, 210, 225}, 25);
    }

    @Test
    void aLargeGreyscalePhotoIsReencoded() throws IOException {
        BufferedImage grey = new BufferedImage(1000, 1300, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.drawImage(TestImages.noisyPortrait(1000, 1300, 30, 8), 0, 0, null);
        g.dispose();
        byte[] original = TestImages.jpeg(grey, 0.9f);
        assertThat(original.length).isGreaterThan(PhotoCheck.MAX_SENT_BYTES);

        Accepted accepted = accepted(check.check(TestImages.base64(original)));

        assertThat(accepted.reencoded()).isTrue();
        assertThat(accepted.sentBytes()).isLessThanOrEqualTo(PhotoCheck.MAX_SENT_BYTES);
        assertThat(decode(bytes(accepted.base64())).getWidth()).isEqualTo(accepted.width()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void aPhotoOverTheDecodingBudgetIsSubsampledWithoutLosingItsShape() throws IOException {
        BufferedImage stored = marked(TestImages.noisyPortrait(5000, 3600, 1, 9));
        assertThat((long) 5000 * 3600).isGreaterThan(PhotoCheck.DECODE_PIXEL_BUDGET);

        Accepted accepted = accepted(check.check(TestImages.base64(TestImages.jpeg(stored, 0.75f))));

        BufferedImage decoded = decode(bytes(accepted.base64()));
        assertThat(List.of(decoded.getWidth(), decoded.getHeight())).containsExactly(833, 600);
        assertClose(rgbAt(decoded, 0.02, 0.02), new int[] {255, 0, 0}, 60);
    }

    @Test
    void checksFromSeveralThreadsGetTheSameAnswersAsOneByOne() throws Exception {
        List<String> images = IntStream.range(0, 6)
                .mapToObj(i -> TestImages.base64(TestImages.jpeg(TestImages.noisyPortrait(700 + 50 * i, 900, 16, i), 0.9f)))
                .toList();
        List<PhotoVerdict> oneByOne = images.stream().map(check::check).toList();

        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<PhotoVerdict>> futures = pool.invokeAll(images.stream()
                    .<Callable<PhotoVerdict>>map(image -> () -> check.check(image)).toList());
            for (int i = 0; i < images.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(oneByOne.get(i));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anAcceptedVerdictPrintsWithoutThePhoto() {
        Accepted accepted = accepted(check.check(TestImages.jpegBase64(320, 400)));

        assertThat(accepted.toString()).doesNotContain(accepted.base64().substring(0, 20))
                .contains("width=320", "sentBytes=" + accepted.sentBytes());
    }

    // ---- rejected ----

    @Test
    void aTruncatedJpegIsUndecodableThoughImageIoWouldDecodeItSilently() throws IOException {
        byte[] whole = bytes(TestImages.jpegBase64(320, 400));
        byte[] truncated = Arrays.copyOf(whole, whole.length * 7 / 10);
        assertThat(ImageIO.read(new ByteArrayInputStream(truncated))).as("ImageIO alone does not notice").isNotNull();

        assertThat(rejected(check.check(TestImages.base64(truncated))))
                .returns("image-undecodable", Rejected::reason).returns(UNREADABLE, Rejected::message);
    }

    @Test
    void aTruncatedLargeJpegOrPngIsUndecodable() {
        byte[] jpeg = TestImages.jpeg(TestImages.noisyPortrait(1000, 1200, 16, 10), 0.9f);
        byte[] png = TestImages.png(TestImages.noisyPortrait(600, 800, 16, 10));

        for (byte[] whole : List.of(jpeg, png)) {
            byte[] truncated = Arrays.copyOf(whole, whole.length - 100);
            assertThat(truncated.length).isGreaterThan(PhotoCheck.MAX_SENT_BYTES);
            assertThat(rejected(check.check(TestImages.base64(truncated))).reason()).isEqualTo("image-undecodable");
        }
    }

    @Test
    void aCorruptJpegHeaderIsUndecodable() {
        byte[] jpeg = bytes(TestImages.jpegBase64(320, 400));
        byte[] corrupt = Arrays.copyOf(jpeg, jpeg.length);
        Arrays.fill(corrupt, 20, 400, (byte) 0x11);

        assertThat(rejected(check.check(TestImages.base64(corrupt))).reason()).isEqualTo("image-undecodable");
    }

    @Test
    void aLargeFourComponentJpegIsReencodedWithItsColours() throws IOException {
        // Four components declared YCCK by an Adobe marker: ImageIO's own reader read the header, then refused
        // the pixels; TwelveMonkeys' reader converts them.
        BufferedImage original = TestImages.noisyPortrait(800, 800, 12, 11);
        byte[] jpeg = TestImages.adobeCmykJpeg(original, true, 0.95f);
        assertThat(jpeg.length).isGreaterThan(PhotoCheck.MAX_SENT_BYTES);

        Accepted accepted = accepted(check.check(TestImages.base64(jpeg)));

        BufferedImage sent = decode(bytes(accepted.base64()));
        assertThat(accepted.reencoded()).isTrue();
        assertThat(sent.getColorModel().getNumComponents()).as("sent as RGB").isEqualTo(3);
        assertClose(rgbAt(sent, 0.5, 0.45), new int[] {220, 180, 150}, 8);
        assertClose(rgbAt(sent, 0.05, 0.05), new int[] {200, 210, 225}, 8);
    }

    @Test
    void aLargeJpegWhosePixelsCannotBeDecodedIsUndecodable() {
        // The header parses; the scan cannot, for the first component's quantisation table 3 is never defined.
        byte[] jpeg = TestImages.jpeg(TestImages.noisyPortrait(1000, 1200, 16, 11), 0.9f);
        int sof = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
        jpeg[sof + 2 + 2 + 6 + 2] = 3;
        assertThat(jpeg.length).isGreaterThan(PhotoCheck.MAX_SENT_BYTES);

        assertThat(rejected(check.check(TestImages.base64(jpeg))))
                .returns("image-undecodable", Rejected::reason).returns(UNREADABLE, Rejected::message);
    }

    @Test
    void aSmallPhotoThatWouldBeSentAsItCameIsDecodedFirst() {
        // Headers that promise 36 megapixels with nothing decodable behind them: small enough to go unchanged, and
        // each would be a billed call.
        byte[] jpeg = bytes(TestImages.jpegBase64(320, 400));
        int sof = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
        jpeg[sof + 2 + 2 + 6 + 2] = 3;
        byte[] png = TestImages.png(6000, 6000, 8, 2, new byte[] {7});
        for (byte[] photo : List.of(jpeg, png)) {
            assertThat(photo.length).isLessThan(PhotoCheck.MAX_SENT_BYTES);
            assertThat(rejected(check.check(TestImages.base64(photo))))
                    .returns("image-undecodable", Rejected::reason).returns(UNREADABLE, Rejected::message);
        }
    }

    @Test
    void otherImageFormatsAreUnsupported() {
        BufferedImage picture = TestImages.noisyPortrait(200, 200, 4, 12);

        for (var kind : List.of(List.of(TestImages.write(picture, "gif"), "GIF"), List.of(TestImages.write(picture, "bmp"), "BMP"),
                List.of(TestImages.write(picture, "tiff"), "TIFF"), List.of(isoMedia("heic", "mif1", "heic"), "HEIC"),
                List.of(isoMedia("avif", "mif1", "miaf"), "AVIF"), List.of(isoMedia("mif1", "mif1", "avif"), "AVIF"))) {
            Rejected rejected = rejected(check.check(TestImages.base64((byte[]) kind.get(0))));
            assertThat(rejected.reason()).isEqualTo("image-unsupported-format");
            assertThat(rejected.message()).isEqualTo("HTTP人像图片错误：不支持的文件格式");
            assertThat(rejected.detail()).contains((String) kind.get(1)).contains("convert it to JPEG");
        }
    }

    @Test
    void randomBytesAreNotAnImage() {
        byte[] random = new byte[3000];
        new SplittableRandom(13).nextBytes(random);
        random[0] = 0x42;

        Rejected rejected = rejected(check.check(TestImages.base64(random)));

        assertThat(rejected.reason()).isEqualTo("image-unsupported-format");
        assertThat(rejected.detail()).contains("unknown");
    }

    @ParameterizedTest
    @ValueSource(strings = {"这不是照片", "not base64!", "/9j/4AAQ$SkZJRg", "AAAAA", "AA==AA==", "AAA===",
            "data:image/jpeg,/9j/4AAQ", "data:image/jpeg;base64"})
    void textThatIsNotBase64IsRejected(String text) {
        assertThat(rejected(check.check(text)))
                .returns("image-not-base64", Rejected::reason).returns(UNREADABLE, Rejected::message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \r\n", "data:image/jpeg;base64,", "=="})
    void anEmptyPhotoIsMissing(String text) {
        assertThat(rejected(check.check(text)))
                .returns("image-empty", Rejected::reason).returns("未传入人像图片img", Rejected::message);
        assertThat(rejected(check.check(null)).reason()).isEqualTo("image-empty");
    }

    @ParameterizedTest
    @CsvSource({"50, 50", "300, 99", "99, 300"})
    void aPhotoUnder100PixelsOnEitherSideIsTooSmall(int width, int height) {
        Rejected rejected = rejected(check.check(TestImages.jpegBase64(width, height)));

        assertThat(rejected.reason()).isEqualTo("image-too-small");
        assertThat(rejected.message()).isEqualTo(UNREADABLE);
        assertThat(rejected.detail()).contains(width + "×" + height);
        assertThat(check.check(TestImages.jpegBase64(Math.max(width, 100), Math.max(height, 100))))
                .isInstanceOf(Accepted.class);
    }

    @Test
    void anImageWhoseHeaderClaimsTooManyPixelsIsRefusedBeforeDecoding() {
        byte[] png = TestImages.png(TestImages.noisyPortrait(200, 200, 4, 14));
        byte[] jpeg = bytes(TestImages.jpegBase64(200, 200));

        for (byte[] bomb : List.of(withPngSize(png, 8000, 6000), withJpegSize(jpeg, 60000, 60000))) {
            Rejected rejected = rejected(check.check(TestImages.base64(bomb)));
            assertThat(rejected.reason()).isEqualTo("image-too-large-to-process");
            assertThat(rejected.message()).isEqualTo(UNREADABLE);
        }
        assertThat(check.check(TestImages.base64(withPngSize(png, 200, 200)))).as("the patching itself is sound")
                .isInstanceOf(Accepted.class);
    }

    // ---- helpers ----

    /** A red square in the top-left corner, a tenth of the short side wide. */
    private static BufferedImage marked(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setColor(MARK);
        int side = Math.min(image.getWidth(), image.getHeight()) / 10;
        g.fillRect(0, 0, side, side);
        g.dispose();
        return image;
    }

    /** Inserts an APP1 Exif segment, as a camera writes it, whose IFD0 holds ImageWidth then Orientation. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation, ByteOrder order) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4).order(order);
        tiff.put((order == ByteOrder.LITTLE_ENDIAN ? "II" : "MM").getBytes(StandardCharsets.US_ASCII));
        tiff.putShort((short) 42).putInt(8).putShort((short) 2);
        tiff.putShort((short) 0x0100).putShort((short) 4).putInt(1).putInt(4000);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        return TestImages.withSegment(jpeg, 0xE1, TestImages.concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), tiff.array()));
    }

    /** Rewrites the IHDR size, with its CRC, leaving the pixel data as it was. */
    private static byte[] withPngSize(byte[] png, int width, int height) {
        byte[] patched = png.clone();
        ByteBuffer.wrap(patched).putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(patched, 12, 17);
        ByteBuffer.wrap(patched).putInt(29, (int) crc.getValue());
        return patched;
    }

    /** Rewrites the SOF0 size, leaving the scan data as it was. */
    private static byte[] withJpegSize(byte[] jpeg, int width, int height) {
        byte[] patched = jpeg.clone();
        for (int i = 2; i + 9 < patched.length; i++) {
            if (patched[i] == (byte) 0xFF && patched[i + 1] == (byte) 0xC0) {
                ByteBuffer.wrap(patched).putShort(i + 5, (short) height).putShort(i + 7, (short) width);
                return patched;
            }
        }
        throw new IllegalArgumentException("no SOF0 marker");
    }

    /** The start of an ISO media file (HEIF, AVIF, MP4): an ftyp box with its major and compatible brands. */
    static byte[] isoMedia(String majorBrand, String... compatibleBrands) {
        ByteBuffer ftyp = ByteBuffer.allocate(16 + 4 * compatibleBrands.length + 16);
        ftyp.putInt(16 + 4 * compatibleBrands.length).put("ftyp".getBytes(StandardCharsets.US_ASCII))
                .put(majorBrand.getBytes(StandardCharsets.US_ASCII)).putInt(0);
        for (String brand : compatibleBrands) {
            ftyp.put(brand.getBytes(StandardCharsets.US_ASCII));
        }
        return ftyp.putInt(16).put("meta".getBytes(StandardCharsets.US_ASCII)).array();
    }

    private static int indexOf(byte[] bytes, byte[] sought) {
        for (int i = 0; i + sought.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + sought.length, sought, 0, sought.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }
}
