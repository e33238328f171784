package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class PhotoCheckTest {

    private final PhotoCheck check = new PhotoCheck();

    private PhotoVerdict.Accepted accepted(String image) {
        PhotoVerdict verdict = check.check(image);
        assertThat(verdict).isInstanceOf(PhotoVerdict.Accepted.class);
        return (PhotoVerdict.Accepted) verdict;
    }

    private String rejection(String image) {
        PhotoVerdict verdict = check.check(image);
        assertThat(verdict).isInstanceOf(PhotoVerdict.Rejected.class);
        return ((PhotoVerdict.Rejected) verdict).reason();
    }

    @Test
    void aSmallJpegIsSentAsItIs() {
        byte[] jpeg = TestImages.jpeg(TestImages.face(320, 400, BufferedImage.TYPE_INT_RGB, 0), 0.8f);
        var photo = accepted(TestImages.base64(jpeg));
        assertThat(photo.reencoded()).isFalse();
        assertThat(Base64.getDecoder().decode(photo.base64())).isEqualTo(jpeg);
        assertThat(photo.width()).isEqualTo(320);
        assertThat(photo.sentBytes()).isEqualTo(jpeg.length);
    }

    @Test
    void aLargePhotoIsReencodedUnderFiftyKilobytesKeepingTheFaceUsable() {
        byte[] large = TestImages.jpeg(TestImages.face(1800, 2400, BufferedImage.TYPE_INT_RGB, 60), 0.95f);
        assertThat(large.length).isGreaterThan(1_000_000);

        var photo = accepted(TestImages.base64(large));

        assertThat(photo.reencoded()).isTrue();
        assertThat(photo.originalBytes()).isEqualTo(large.length);
        assertThat(photo.sentBytes()).isLessThanOrEqualTo(PhotoCheck.MAX_SENT_BYTES);
        assertThat(Base64.getDecoder().decode(photo.base64())).hasSize(photo.sentBytes());
        assertThat(Math.min(photo.width(), photo.height())).isGreaterThanOrEqualTo(PhotoCheck.PREFERRED_SHORT_SIDE);
        assertThat((double) photo.width() / photo.height()).isCloseTo(1800.0 / 2400, org.assertj.core.data.Offset.offset(0.01));
        BufferedImage sent = TestImages.decode(photo.base64());
        assertThat(sent.getWidth()).isEqualTo(photo.width());
    }

    @Test
    void aSidewaysPhoneShotIsTurnedUpright() {
        BufferedImage landscape = TestImages.face(1600, 1200, BufferedImage.TYPE_INT_RGB, 60);
        for (boolean littleEndian : new boolean[] {true, false}) {
            byte[] rotated = TestImages.withExifOrientation(TestImages.jpeg(landscape, 0.95f), 6, littleEndian);
            assertThat(ExifOrientation.of(rotated)).isEqualTo(6);
            var photo = accepted(TestImages.base64(rotated));
            assertThat(photo.reencoded()).isTrue();
            assertThat(photo.height()).as("stored 1600x1200, shown 1200x1600").isGreaterThan(photo.width());
        }
    }

    @Test
    void orientationsTurnPixelsTheRightWay() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0000); // red in the top-left corner
        BufferedImage clockwise = PhotoCheck.upright(image, 6);
        assertThat(clockwise.getWidth()).isEqualTo(2);
        assertThat(clockwise.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xFF0000); // now top-right
        BufferedImage counterClockwise = PhotoCheck.upright(image, 8);
        assertThat(counterClockwise.getRGB(0, 2) & 0xFFFFFF).isEqualTo(0xFF0000); // now bottom-left
        BufferedImage mirrored = PhotoCheck.upright(image, 2);
        assertThat(mirrored.getRGB(2, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
    }

    @Test
    void dataUriLineBreaksUrlSafeAlphabetAndMissingPaddingAreAccepted() {
        byte[] jpeg = TestImages.jpeg(TestImages.face(300, 360, BufferedImage.TYPE_INT_RGB, 30), 0.8f);
        String standard = TestImages.base64(jpeg);
        String mime = Base64.getMimeEncoder().encodeToString(jpeg);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(jpeg);
        for (String form : new String[] {"data:image/jpeg;base64," + standard, mime, urlSafe, " " + standard + "\n"}) {
            assertThat(accepted(form).base64()).isEqualTo(standard);
        }
    }

    @Test
    void aPngIsSentAsAJpegWithTransparencyOnWhite() {
        BufferedImage withAlpha = TestImages.face(600, 800, BufferedImage.TYPE_INT_ARGB, 0);
        withAlpha.setRGB(0, 0, 0x00000000); // fully transparent corner
        var photo = accepted(TestImages.base64(TestImages.encode(withAlpha, "png")));
        assertThat(photo.format()).isEqualTo("png");
        assertThat(photo.reencoded()).isTrue();
        byte[] sent = Base64.getDecoder().decode(photo.base64());
        assertThat(Arrays.copyOf(sent, 2)).isEqualTo(new byte[] {(byte) 0xFF, (byte) 0xD8});
        assertThat(TestImages.decode(photo.base64()).getRGB(0, 0) & 0xFF).isGreaterThan(200);
    }

    @Test
    void whatCannotBeAUsablePhotoIsRejectedWithItsReason() {
        byte[] jpeg = TestImages.jpeg(TestImages.face(400, 500, BufferedImage.TYPE_INT_RGB, 40), 0.9f);
        assertThat(rejection(TestImages.base64(Arrays.copyOf(jpeg, jpeg.length * 2 / 3)))).isEqualTo("image-undecodable");
        assertThat(rejection(TestImages.base64(TestImages.encode(TestImages.face(200, 200, BufferedImage.TYPE_INT_RGB, 0), "gif"))))
                .isEqualTo("image-unsupported-format");
        byte[] noise = new byte[5000];
        new Random(1).nextBytes(noise);
        assertThat(rejection(TestImages.base64(noise))).isEqualTo("image-unsupported-format");
        assertThat(rejection("这不是图片 not base64!")).isEqualTo("image-not-base64");
        assertThat(rejection(TestImages.jpegBase64(50, 50))).isEqualTo("image-too-small");
        assertThat(rejection("  ")).isEqualTo("image-empty");
        byte[] corrupt = jpeg.clone();
        Arrays.fill(corrupt, 20, corrupt.length - 2, (byte) 0x00);
        assertThat(rejection(TestImages.base64(corrupt))).isEqualTo("image-undecodable");
    }

    @Test
    void aHeaderClaimingAHugeImageIsRefusedBeforeDecoding() {
        byte[] png = TestImages.encode(TestImages.face(120, 120, BufferedImage.TYPE_INT_RGB, 0), "png");
        // IHDR data starts at byte 16: width and height, then the chunk's CRC over type and data.
        writeInt(png, 16, 20_000);
        writeInt(png, 20, 20_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 4 + 13);
        writeInt(png, 29, (int) crc.getValue());
        assertThat(rejection(TestImages.base64(png))).isEqualTo("image-too-large-to-process");
    }

    @Test
    void rejectionsNeverQuoteThePhoto() {
        var verdict = (PhotoVerdict.Rejected) check.check("bm90IGFuIGltYWdl");
        assertThat(verdict.detail()).doesNotContain("bm90").doesNotContain(new String(Base64.getDecoder()
                .decode("bm90IGFuIGltYWdl"), StandardCharsets.UTF_8));
    }

    private static void writeInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
