package com.facecheck.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Real image bytes made in the test, so no photo of anyone is ever checked in. */
public final class TestImages {

    private TestImages() {
    }

    /** A small, smooth portrait as base64 JPEG: the photo of a typical valid request. */
    public static String jpegBase64(int width, int height) {
        return base64(write(noisyPortrait(width, height, 0, 0), "jpg"));
    }

    /**
     * A portrait-like picture (light background, a face-coloured oval) with per-pixel noise of up to
     * ±{@code noise} levels, so that it compresses like a camera photo rather than to almost nothing.
     */
    public static BufferedImage noisyPortrait(int width, int height, int noise, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200, 210, 225));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(220, 180, 150));
        g.fillOval(width / 4, height / 5, width / 2, height / 2);
        g.dispose();
        SplittableRandom random = new SplittableRandom(seed);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int delta = random.nextInt(2 * noise + 1) - noise;
                row[x] = shift(row[x], 16, delta) | shift(row[x], 8, delta) | shift(row[x], 0, delta);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    private static int shift(int rgb, int bits, int delta) {
        int channel = Math.max(0, Math.min(255, ((rgb >> bits) & 0xFF) + delta));
        return channel << bits;
    }

    public static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    public static byte[] png(BufferedImage image) {
        return write(image, "png");
    }

    /** Any format ImageIO writes, e.g. "gif". */
    public static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("ImageIO cannot write " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
