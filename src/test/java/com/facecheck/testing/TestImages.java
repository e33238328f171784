package com.facecheck.testing;

import com.facecheck.local.SyntheticPeople;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;

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
        return SyntheticPeople.portrait(width, height, noise, seed);
    }

    public static byte[] jpeg(BufferedImage image, float quality) {
        return jpeg(new IIOImage(image, null, null), quality);
    }

    private static byte[] jpeg(IIOImage image, float quality) {
        return SyntheticPeople.jpeg(image, quality);
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

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Inserts a marker segment (APPn, COM) right after SOI, where cameras and editors put their metadata. */
    public static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        int length = payload.length + 2;
        byte[] header = {(byte) 0xFF, (byte) marker, (byte) (length >> 8), (byte) length};
        return concat(Arrays.copyOf(jpeg, 2), header, payload, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    /**
     * A four-component JPEG as Photoshop writes one: inverted CMYK (255 is no ink) under an Adobe APP14
     * marker, stored as CMYK or, when {@code ycck}, with the first three components as YCbCr of the CMY inks.
     * The separation is the simplest one (K = 1 − max(R, G, B)), which a reader without a profile reverses.
     */
    public static byte[] adobeCmykJpeg(BufferedImage rgb, boolean ycck, float quality) {
        int width = rgb.getWidth();
        int height = rgb.getHeight();
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        int[] pixel = new int[4];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = rgb.getRGB(x, y);
                int[] channels = {(argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF};
                int max = Math.max(channels[0], Math.max(channels[1], channels[2]));
                for (int c = 0; c < 3; c++) {
                    // Inverted ink: R = (255 - C)(255 - K) / 255 read back, with 255 - K = max.
                    pixel[c] = max == 0 ? 255 : Math.round(255f * channels[c] / max);
                }
                pixel[3] = max;
                if (ycck) {
                    double cyan = 255 - pixel[0];
                    double magenta = 255 - pixel[1];
                    double yellow = 255 - pixel[2];
                    pixel[0] = clamp(0.299 * cyan + 0.587 * magenta + 0.114 * yellow);
                    pixel[1] = clamp(128 - 0.168736 * cyan - 0.331264 * magenta + 0.5 * yellow);
                    pixel[2] = clamp(128 + 0.5 * cyan - 0.418688 * magenta - 0.081312 * yellow);
                }
                cmyk.setPixel(x, y, pixel);
            }
        }
        byte[] adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) (ycck ? 2 : 0)};
        return withSegment(jpeg(new IIOImage(cmyk, null, null), quality), 0xEE, adobe);
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }

    /**
     * A lossless WebP (VP8L) of {@code image}, opaque, written as plainly as the format allows: no transforms,
     * no colour cache, no back-references, each of green, red and blue as an 8-bit literal. TwelveMonkeys
     * reads WebP but writes none, and no WebP encoder is at hand, so the test writes its own.
     */
    public static byte[] webpLossless(BufferedImage image) {
        LsbBits bits = vp8lHeader(image.getWidth(), image.getHeight());
        eightBitLiterals(bits, 256 + 24);
        eightBitLiterals(bits, 256);
        eightBitLiterals(bits, 256);
        singleSymbol(bits, 255);
        singleSymbol(bits, 0);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                for (int shift : new int[] {8, 16, 0}) {
                    // Canonical codes of equal length are the symbols themselves, read most significant bit first.
                    int symbol = (rgb >> shift) & 0xFF;
                    for (int bit = 7; bit >= 0; bit--) {
                        bits.write((symbol >> bit) & 1, 1);
                    }
                }
            }
        }
        return riff("VP8L", bits.toByteArray());
    }

    /**
     * A lossless WebP of one colour, of any size up to 16384 px a side, in a few dozen bytes: each prefix code
     * has a single symbol, so the pixels take no bits at all.
     */
    public static byte[] webpLosslessSolid(int width, int height, int rgb) {
        LsbBits bits = vp8lHeader(width, height);
        singleSymbol(bits, (rgb >> 8) & 0xFF);
        singleSymbol(bits, (rgb >> 16) & 0xFF);
        singleSymbol(bits, rgb & 0xFF);
        singleSymbol(bits, 255);
        singleSymbol(bits, 0);
        return riff("VP8L", bits.toByteArray());
    }

    /** The VP8L signature and size, then none of the optional transforms, colour cache or meta prefix codes. */
    private static LsbBits vp8lHeader(int width, int height) {
        LsbBits bits = new LsbBits();
        bits.write(0x2F, 8);
        bits.write(width - 1, 14);
        bits.write(height - 1, 14);
        bits.write(0, 1 + 3 + 1 + 1 + 1);
        return bits;
    }

    /** A "simple" prefix code of one 8-bit symbol, which takes no bits to code. */
    private static void singleSymbol(LsbBits bits, int symbol) {
        bits.write(1, 1);
        bits.write(0, 1);
        bits.write(1, 1);
        bits.write(symbol, 8);
    }

    /**
     * A "normal" prefix code giving the first 256 symbols of the alphabet 8 bits and the rest none. Its code
     * length code has two symbols, 0 and 8, of one bit each (sent in the order 17, 18, 0, 1, 2, 3, 4, 5, 16, 6,
     * 7, 8: twelve three-bit lengths).
     */
    private static void eightBitLiterals(LsbBits bits, int alphabetSize) {
        bits.write(0, 1);
        bits.write(12 - 4, 4);
        for (int lengthOf : new int[] {17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8}) {
            bits.write(lengthOf == 0 || lengthOf == 8 ? 1 : 0, 3);
        }
        bits.write(0, 1);
        for (int symbol = 0; symbol < alphabetSize; symbol++) {
            bits.write(symbol < 256 ? 1 : 0, 1);
        }
    }

    /** A RIFF WebP file of one chunk. */
    public static byte[] riff(String fourCc, byte[] chunk) {
        int padded = chunk.length + (chunk.length & 1);
        ByteBuffer file = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
        file.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + padded).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        file.put(fourCc.getBytes(StandardCharsets.US_ASCII)).putInt(chunk.length).put(chunk);
        return file.array();
    }

    /** Bits packed from the least significant end of each byte, as VP8L reads them. */
    private static final class LsbBits {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long pending;
        private int count;

        void write(int value, int width) {
            pending |= (long) (value & ((1 << width) - 1)) << count;
            count += width;
            while (count >= 8) {
                out.write((int) pending & 0xFF);
                pending >>>= 8;
                count -= 8;
            }
        }

        byte[] toByteArray() {
            if (count > 0) {
                out.write((int) pending & 0xFF);
            }
            return out.toByteArray();
        }
    }

    /** A black 8-bit RGB PNG of any size, made cheaply: its rows of zeros compress some 200-fold. */
    public static byte[] solidPng(int width, int height) {
        return png(width, height, 8, 2, pngRows(width, height, 8, 2, 0, 0));
    }

    /**
     * A PNG of this header and these IDAT contents (no IDAT when null), whatever they say, its CRCs right;
     * colour type 3 gets a one-colour palette.
     */
    public static byte[] png(int width, int height, int bitDepth, int colourType, byte[] imageData) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        pngChunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) bitDepth).put((byte) colourType).put(new byte[3]).array());
        if (colourType == 3) {
            pngChunk(out, "PLTE", new byte[3]);
        }
        if (imageData != null) {
            pngChunk(out, "IDAT", imageData);
        }
        pngChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /**
     * The zlib data of an image's rows, each with filter type 0 (none): random samples for the first
     * {@code noisyBytes}, which keep the file from compressing below that, and zeros after them.
     */
    public static byte[] pngRows(int width, int height, int bitDepth, int colourType, int noisyBytes, long seed) {
        int channels = switch (colourType) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
        byte[] row = new byte[(int) (1 + ((long) width * channels * bitDepth + 7) / 8)];
        SplittableRandom random = new SplittableRandom(seed);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        long noise = noisyBytes;
        for (int y = 0; y < height; y++) {
            if (noise > 0) {
                random.nextBytes(row);
                row[0] = 0;
                noise -= row.length;
            } else {
                Arrays.fill(row, (byte) 0);
            }
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeAndData = concat(type.getBytes(StandardCharsets.US_ASCII), data);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeAndData);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
