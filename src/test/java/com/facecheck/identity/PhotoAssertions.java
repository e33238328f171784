package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.identity.PhotoVerdict.Accepted;
import com.facecheck.identity.PhotoVerdict.Rejected;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;

/** What the photo tests look at in a verdict and in the image sent. */
final class PhotoAssertions {

    static final String UNREADABLE = "BASE64人像图片错误：无法处理图片信息";

    private PhotoAssertions() {
    }

    static Accepted accepted(PhotoVerdict verdict) {
        assertThat(verdict).isInstanceOf(Accepted.class);
        return (Accepted) verdict;
    }

    static Rejected rejected(PhotoVerdict verdict) {
        assertThat(verdict).isInstanceOf(Rejected.class);
        return (Rejected) verdict;
    }

    static byte[] bytes(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    static BufferedImage decode(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("decodable").isNotNull();
        return image;
    }

    /** Mean RGB of a small patch centred at the given fractions of width and height. */
    static int[] rgbAt(BufferedImage image, double fx, double fy) {
        int cx = (int) (fx * (image.getWidth() - 1));
        int cy = (int) (fy * (image.getHeight() - 1));
        int r = Math.max(1, Math.min(image.getWidth(), image.getHeight()) / 100);
        int[] sum = new int[3];
        int n = 0;
        for (int y = Math.max(0, cy - r); y <= Math.min(image.getHeight() - 1, cy + r); y++) {
            for (int x = Math.max(0, cx - r); x <= Math.min(image.getWidth() - 1, cx + r); x++) {
                int rgb = image.getRGB(x, y);
                sum[0] += (rgb >> 16) & 0xFF;
                sum[1] += (rgb >> 8) & 0xFF;
                sum[2] += rgb & 0xFF;
                n++;
            }
        }
        return new int[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    static void assertClose(int[] actual, int[] expected, int tolerance) {
        for (int c = 0; c < 3; c++) {
            assertThat(actual[c]).as("channel %d of %s", c, Arrays.toString(actual))
                    .isBetween(expected[c] - tolerance, expected[c] + tolerance);
        }
    }

    /** Mean RGB over the whole image. */
    static int[] meanRgb(BufferedImage image) {
        long[] sum = new long[3];
        int[] row = new int[image.getWidth()];
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, image.getWidth(), 1, row, 0, image.getWidth());
            for (int rgb : row) {
                sum[0] += (rgb >> 16) & 0xFF;
                sum[1] += (rgb >> 8) & 0xFF;
                sum[2] += rgb & 0xFF;
            }
        }
        long n = (long) image.getWidth() * image.getHeight();
        return new int[] {(int) (sum[0] / n), (int) (sum[1] / n), (int) (sum[2] / n)};
    }
}
