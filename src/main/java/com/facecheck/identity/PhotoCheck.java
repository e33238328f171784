package com.facecheck.identity;

import com.facecheck.identity.PhotoVerdict.Accepted;
import com.facecheck.identity.PhotoVerdict.Rejected;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Decides, before a billed call, whether a face photo can be sent and in what form. The provider takes at
 * most {@value #MAX_SENT_BYTES} bytes of image: a photo that is certainly unusable is rejected here with the
 * provider's wording, and a good photo that is too large is re-encoded as a smaller JPEG rather than sent to
 * fail.
 *
 * <p>Thread-safe: no mutable state; every ImageIO reader and writer lives for one call. Nothing is logged,
 * and no detail text contains image bytes: the photo is biometric data.
 */
public final class PhotoCheck {

    /** The provider's limit on the decoded image. Its 100 KB limit on the base64 text is then met too. */
    public static final int MAX_SENT_BYTES = 50 * 1024;

    static final int MIN_SIDE = 100;
    /** Face matching degrades below this; resolution is given up only when quality cannot be. */
    static final int PREFERRED_SHORT_SIDE = 300;
    /** Re-encoding starts here: more pixels would spend the byte budget on resolution matching does not use. */
    static final int START_SHORT_SIDE = 600;
    /** Decompression-bomb guard: judged from the header, before any pixel is decoded. */
    static final long MAX_PIXELS = 40_000_000L;
    /** Larger images are subsampled while decoding so that one call's heap stays near 50 MB, not 120 MB. */
    static final long DECODE_PIXEL_BUDGET = 16_000_000L;

    private static final float MAX_QUALITY = 0.92f;
    /** Above {@link #PREFERRED_SHORT_SIDE} a smaller image is preferred to blockier compression. */
    private static final float GOOD_QUALITY = 0.7f;
    private static final float MIN_QUALITY = 0.5f;
    private static final float QUALITY_STEP = 0.03f;

    private static final String MISSING_MESSAGE = "未传入人像图片img";
    private static final String UNREADABLE_MESSAGE = "BASE64人像图片错误：无法处理图片信息";
    private static final String UNSUPPORTED_MESSAGE = "HTTP人像图片错误：不支持的文件格式";
    private static final String TOO_LONG_MESSAGE = "传入人像图片img字符串长度超限";

    private static final String JPEG = "jpeg";
    private static final String PNG = "png";
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private static final int NORMAL_ORIENTATION = 1;
    private static final int EXIF_ORIENTATION_TAG = 0x0112;
    private static final int TIFF_SHORT = 3;

    /** {@code image} is the base64 text as the request carries it (the caller deals with URLs). */
    public PhotoVerdict check(String image) {
        try {
            byte[] bytes = decodeBase64(image);
            String format = format(bytes);
            Layout layout = JPEG.equals(format) ? jpegLayout(bytes) : pngLayout(bytes);
            try (Decoder decoder = new Decoder(format, bytes)) {
                Dimension size = decoder.size();
                int width = size.width;
                int height = size.height;
                checkDimensions(width, height);
                if (!layout.complete()) {
                    throw refusal("image-undecodable", UNREADABLE_MESSAGE, "The " + format.toUpperCase(Locale.ROOT)
                            + " data stops before its end marker: the file is truncated or damaged. Send the whole file.");
                }
                // A sideways photo is re-encoded even when small: upright pixels are right whether or not the
                // provider honours the EXIF tag, sending them as they are is only right if it does.
                if (bytes.length <= MAX_SENT_BYTES && layout.orientation() == NORMAL_ORIENTATION) {
                    // PNG goes as PNG because docs/contracts.md takes JPEG or PNG and the provider's format
                    // error is about file types; should it prove to want JPEG only, PNG belongs on the path below.
                    return new Accepted(Base64.getEncoder().encodeToString(bytes), format, width, height,
                            bytes.length, bytes.length, false);
                }
                BufferedImage decoded = decoder.read(subsampling(width, height));
                return fit(decoded, layout.orientation(), format, bytes.length);
            }
        } catch (Refusal refusal) {
            return refusal.verdict;
        }
    }

    // ---- base64 ------------------------------------------------------------------------------------------

    /** Accepts what clients actually send: data: URLs, MIME line breaks, the URL-safe alphabet, no padding. */
    private static byte[] decodeBase64(String image) throws Refusal {
        String text = image == null ? "" : withoutDataUrlHeader(image.strip());
        char[] clean = new char[text.length()];
        int length = 0;
        int padding = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (c == '=') {
                padding++;
            } else if (padding > 0 || !isBase64Character(c)) {
                throw notBase64("character " + (i + 1) + " cannot occur in base64");
            } else {
                clean[length++] = c == '-' ? '+' : c == '_' ? '/' : c;
            }
        }
        if (length == 0) {
            throw refusal("image-empty", MISSING_MESSAGE, "The photo is empty. Send a JPEG or PNG photo, base64-encoded.");
        }
        if (length % 4 == 1 || padding > 2 || (padding > 0 && (length + padding) % 4 != 0)) {
            throw notBase64("its length is not that of base64 data (cut short?)");
        }
        return Base64.getDecoder().decode(new String(clean, 0, length));
    }

    private static String withoutDataUrlHeader(String text) throws Refusal {
        if (!text.regionMatches(true, 0, "data:", 0, 5)) {
            return text;
        }
        int comma = text.indexOf(',');
        if (comma < 0 || !text.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
            throw notBase64("it is a data: URL without ;base64,");
        }
        return text.substring(comma + 1);
    }

    private static boolean isBase64Character(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '+' || c == '/' || c == '-' || c == '_';
    }

    private static Refusal notBase64(String why) {
        return refusal("image-not-base64", UNREADABLE_MESSAGE,
                "The photo is not valid base64: " + why + ". Send the JPEG or PNG file's bytes, base64-encoded.");
    }

    // ---- format and structure ----------------------------------------------------------------------------

    /** By magic bytes, never by a declared type: clients label HEIC and WebP files "image/jpeg". */
    private static String format(byte[] bytes) throws Refusal {
        if (startsWith(bytes, 0, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return JPEG;
        }
        if (startsWith(bytes, 0, PNG_SIGNATURE)) {
            return PNG;
        }
        throw refusal("image-unsupported-format", UNSUPPORTED_MESSAGE,
                "The photo is " + unsupportedKind(bytes) + ", not a JPEG or PNG image. Convert it to JPEG.");
    }

    private static String unsupportedKind(byte[] bytes) {
        if (startsWith(bytes, 0, ascii("GIF8"))) {
            return "a GIF image";
        }
        if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBP"))) {
            return "a WebP image";
        }
        if (startsWith(bytes, 0, ascii("BM"))) {
            return "a BMP image";
        }
        if (startsWith(bytes, 4, ascii("ftyp"))) {
            return "a HEIF/HEIC or AVIF image";
        }
        if (startsWith(bytes, 0, ascii("II*\0")) || startsWith(bytes, 0, ascii("MM\0*"))) {
            return "a TIFF image";
        }
        return "of an unknown kind";
    }

    /** Whether the file reaches its end, and how the camera says it should be turned to stand upright. */
    private record Layout(boolean complete, int orientation) {
    }

    /**
     * Walks the JPEG markers to the end-of-image marker. ImageIO fills a truncated JPEG with grey without a
     * word, and the walk costs far less than decoding; it also finds the EXIF orientation on the way.
     */
    private static Layout jpegLayout(byte[] b) {
        int orientation = NORMAL_ORIENTATION;
        boolean scanned = false;
        int i = 2;
        while (true) {
            // Entropy-coded data after SOS is skipped byte by byte: inside it 0xFF is always followed by 0x00
            // (stuffing) or a restart marker, so the next real marker is the first other 0xFF xx.
            while (i < b.length && b[i] != (byte) 0xFF) {
                i++;
            }
            while (i < b.length && b[i] == (byte) 0xFF) {
                i++;
            }
            if (i >= b.length) {
                return new Layout(false, orientation);
            }
            int marker = b[i++] & 0xFF;
            if (marker == 0xD9) {
                return new Layout(scanned, orientation);
            }
            boolean standalone = marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7);
            if (standalone) {
                continue;
            }
            if (i + 2 > b.length) {
                return new Layout(false, orientation);
            }
            int length = ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
            if (length < 2 || i + length > b.length) {
                return new Layout(false, orientation);
            }
            if (marker == 0xE1) {
                orientation = exifOrientation(ByteBuffer.wrap(b, i + 2, length - 2).slice(), orientation);
            }
            scanned |= marker == 0xDA;
            i += length;
        }
    }

    /** Tag 0x0112 of IFD0 in an APP1 Exif segment; {@code otherwise} when the segment has none or is malformed. */
    private static int exifOrientation(ByteBuffer app1, int otherwise) {
        if (!startsWith(app1, ascii("Exif\0\0")) || app1.remaining() < 14) {
            return otherwise;
        }
        ByteBuffer tiff = app1.position(6).slice();
        if (startsWith(tiff, ascii("II"))) {
            tiff.order(ByteOrder.LITTLE_ENDIAN);
        } else if (!startsWith(tiff, ascii("MM"))) {
            return otherwise;
        }
        long ifd = Integer.toUnsignedLong(tiff.getInt(4));
        if (tiff.getShort(2) != 42 || ifd < 8 || ifd + 2 > tiff.limit()) {
            return otherwise;
        }
        int entries = Short.toUnsignedInt(tiff.getShort((int) ifd));
        for (int k = 0; k < entries; k++) {
            int entry = (int) ifd + 2 + 12 * k;
            if (entry + 12 > tiff.limit()) {
                return otherwise;
            }
            if (Short.toUnsignedInt(tiff.getShort(entry)) == EXIF_ORIENTATION_TAG
                    && tiff.getShort(entry + 2) == TIFF_SHORT) {
                int value = Short.toUnsignedInt(tiff.getShort(entry + 8));
                return value >= 1 && value <= 8 ? value : otherwise;
            }
        }
        return otherwise;
    }

    /** Walks the PNG chunks to IEND, for the same reason as {@link #jpegLayout}. */
    private static Layout pngLayout(byte[] b) {
        long i = PNG_SIGNATURE.length;
        while (i + 8 <= b.length) {
            long length = Integer.toUnsignedLong(ByteBuffer.wrap(b).getInt((int) i));
            long next = i + 12 + length;
            if (next > b.length) {
                break;
            }
            if (startsWith(b, (int) i + 4, ascii("IEND"))) {
                return new Layout(true, NORMAL_ORIENTATION);
            }
            i = next;
        }
        return new Layout(false, NORMAL_ORIENTATION);
    }

    private static void checkDimensions(int width, int height) throws Refusal {
        long pixels = (long) width * height;
        if (pixels > MAX_PIXELS) {
            throw refusal("image-too-large-to-process", UNREADABLE_MESSAGE, String.format(
                    "The image header claims %d×%d px (%d megapixels), over the %d-megapixel limit. Send a smaller photo.",
                    width, height, pixels / 1_000_000, MAX_PIXELS / 1_000_000));
        }
        if (Math.min(width, height) < MIN_SIDE) {
            throw refusal("image-too-small", UNREADABLE_MESSAGE, String.format(
                    "The photo is %d×%d px; both sides must be at least %d px for a face to be compared. Send a larger photo.",
                    width, height, MIN_SIDE));
        }
    }

    private static int subsampling(int width, int height) {
        long pixels = (long) width * height;
        if (pixels <= DECODE_PIXEL_BUDGET) {
            return 1;
        }
        int forBudget = (int) Math.ceil(Math.sqrt((double) pixels / DECODE_PIXEL_BUDGET));
        // Never below the size re-encoding starts from, so subsampling costs no output resolution.
        return Math.max(1, Math.min(forBudget, Math.min(width, height) / START_SHORT_SIDE));
    }

    // ---- re-encoding -------------------------------------------------------------------------------------

    /**
     * The largest upright JPEG within {@link #MAX_SENT_BYTES}: from {@link #START_SHORT_SIDE} down to
     * {@link #PREFERRED_SHORT_SIDE} at no less than {@link #GOOD_QUALITY}, then at no less than
     * {@link #MIN_QUALITY} down to {@link #MIN_SIDE}. Nothing of the original's metadata (EXIF, GPS) survives.
     */
    private static PhotoVerdict fit(BufferedImage decoded, int orientation, String format, int originalBytes)
            throws Refusal {
        boolean turned = orientation >= 5;
        int uprightWidth = turned ? decoded.getHeight() : decoded.getWidth();
        int uprightHeight = turned ? decoded.getWidth() : decoded.getHeight();
        int side = Math.min(Math.min(uprightWidth, uprightHeight), START_SHORT_SIDE);
        BufferedImage largest = resize(decoded, orientationTransform(orientation, decoded.getWidth(), decoded.getHeight()),
                uprightWidth, uprightHeight, side);
        ImageWriter writer = ImageIO.getImageWritersByFormatName(JPEG).next();
        try {
            while (true) {
                BufferedImage candidate = side == shortSide(largest) ? largest
                        : resize(largest, new AffineTransform(), largest.getWidth(), largest.getHeight(), side);
                byte[] jpeg = bestQualityWithin(writer, candidate, side > PREFERRED_SHORT_SIDE ? GOOD_QUALITY : MIN_QUALITY);
                if (jpeg.length <= MAX_SENT_BYTES) {
                    return new Accepted(Base64.getEncoder().encodeToString(jpeg), format, candidate.getWidth(),
                            candidate.getHeight(), originalBytes, jpeg.length, true);
                }
                if (side == MIN_SIDE) {
                    throw refusal("image-cannot-fit", TOO_LONG_MESSAGE, String.format(
                            "The photo does not compress to %d KB even at %d px. Send a plainer, smaller photo.",
                            MAX_SENT_BYTES / 1024, MIN_SIDE));
                }
                side = smallerSide(side, jpeg.length);
            }
        } finally {
            writer.dispose();
        }
    }

    /** JPEG size grows roughly with the pixel count, so the next try aims just under the limit. */
    private static int smallerSide(int side, int bytesAtLowestQuality) {
        int estimate = (int) (side * Math.sqrt((double) MAX_SENT_BYTES / bytesAtLowestQuality) * 0.95);
        int next = Math.min(estimate, side * 9 / 10);
        return Math.max(next, side > PREFERRED_SHORT_SIDE ? PREFERRED_SHORT_SIDE : MIN_SIDE);
    }

    /** The highest quality that fits, to {@link #QUALITY_STEP}; or, when none does, the bytes at {@code lowest}. */
    private static byte[] bestQualityWithin(ImageWriter writer, BufferedImage image, float lowest) {
        byte[] best = jpeg(writer, image, MAX_QUALITY);
        if (best.length <= MAX_SENT_BYTES) {
            return best;
        }
        best = jpeg(writer, image, lowest);
        float fits = lowest;
        float tooBig = MAX_QUALITY;
        while (best.length <= MAX_SENT_BYTES && tooBig - fits > QUALITY_STEP) {
            float quality = (fits + tooBig) / 2;
            byte[] attempt = jpeg(writer, image, quality);
            if (attempt.length <= MAX_SENT_BYTES) {
                best = attempt;
                fits = quality;
            } else {
                tooBig = quality;
            }
        }
        return best;
    }

    private static byte[] jpeg(ImageWriter writer, BufferedImage image, float quality) {
        JPEGImageWriteParam param = new JPEGImageWriteParam(null);
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        param.setOptimizeHuffmanTables(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_SENT_BYTES);
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding into memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Turns and scales {@code source} to an opaque RGB image whose short side is {@code shortSide}: halving
     * with bilinear interpolation (each step averages 2×2 pixels) while the image is at least twice too big,
     * then one bicubic step to the exact size. One big step would skip most pixels and alias.
     */
    private static BufferedImage resize(BufferedImage source, AffineTransform orientation, int uprightWidth,
            int uprightHeight, int shortSide) {
        double scale = (double) shortSide / Math.min(uprightWidth, uprightHeight);
        int targetWidth = Math.max(1, (int) Math.round(uprightWidth * scale));
        int targetHeight = Math.max(1, (int) Math.round(uprightHeight * scale));
        BufferedImage current = source;
        AffineTransform pending = orientation;
        int width = uprightWidth;
        int height = uprightHeight;
        while (true) {
            boolean halve = width / 2 >= targetWidth && height / 2 >= targetHeight;
            int nextWidth = halve ? width / 2 : targetWidth;
            int nextHeight = halve ? height / 2 : targetHeight;
            current = draw(current, pending, width, height, nextWidth, nextHeight,
                    halve ? RenderingHints.VALUE_INTERPOLATION_BILINEAR : RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            if (!halve) {
                return current;
            }
            pending = new AffineTransform();
            width = nextWidth;
            height = nextHeight;
        }
    }

    /** Transparent pixels come out white: over black, a cut-out portrait would be a different photo. */
    private static BufferedImage draw(BufferedImage source, AffineTransform orientation, int uprightWidth,
            int uprightHeight, int width, int height, Object interpolation) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            AffineTransform transform = AffineTransform.getScaleInstance(
                    (double) width / uprightWidth, (double) height / uprightHeight);
            transform.concatenate(orientation);
            g.drawImage(source, transform, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    /**
     * Maps stored pixels to upright ones for the EXIF orientation values: 2 mirror, 3 rotate 180°, 4 flip,
     * 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise.
     */
    private static AffineTransform orientationTransform(int orientation, int width, int height) {
        return switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, width, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, width, height);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, height);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, 1, -1, 0, height, 0);
            case 7 -> new AffineTransform(0, -1, -1, 0, height, width);
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, width);
            default -> new AffineTransform();
        };
    }

    private static int shortSide(BufferedImage image) {
        return Math.min(image.getWidth(), image.getHeight());
    }

    // ---- plumbing ----------------------------------------------------------------------------------------

    /** One ImageIO reader over the received bytes. Its failures on bad data become image-undecodable. */
    private static final class Decoder implements AutoCloseable {

        private final String format;
        private final ImageReader reader;
        private final ImageInputStream input;

        Decoder(String format, byte[] bytes) {
            this.format = format;
            this.reader = ImageIO.getImageReadersByFormatName(format).next();
            // Not ImageIO.createImageInputStream: that one may cache to a temporary file.
            this.input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
            reader.setInput(input, true, true);
        }

        /** Reads the header only. */
        Dimension size() throws Refusal {
            try {
                return new Dimension(reader.getWidth(0), reader.getHeight(0));
            } catch (IOException | RuntimeException e) {
                throw undecodable();
            }
        }

        BufferedImage read(int subsampling) throws Refusal {
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(subsampling, subsampling, 0, 0);
            try {
                return reader.read(0, param);
            } catch (IOException | RuntimeException e) {
                // ImageIO's decoders answer hostile input with assorted unchecked exceptions as well.
                throw undecodable();
            }
        }

        private Refusal undecodable() {
            return refusal("image-undecodable", UNREADABLE_MESSAGE, "The " + format.toUpperCase(Locale.ROOT)
                    + " could not be decoded: it is damaged or of an unsupported kind (such as CMYK). Re-save it as an RGB JPEG.");
        }

        @Override
        public void close() {
            reader.dispose();
            try {
                input.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing an in-memory stream failed", e);
            }
        }
    }

    /** Carries a rejection out of the steps; never escapes {@link #check}, so no stack trace is needed. */
    private static final class Refusal extends Exception {

        final transient Rejected verdict;

        Refusal(Rejected verdict) {
            super(verdict.reason(), null, false, false);
            this.verdict = verdict;
        }
    }

    private static Refusal refusal(String reason, String message, String detail) {
        return new Refusal(new Rejected(reason, message, detail));
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        return startsWith(ByteBuffer.wrap(bytes).position(Math.min(offset, bytes.length)), prefix);
    }

    private static boolean startsWith(ByteBuffer buffer, byte[] prefix) {
        return buffer.remaining() >= prefix.length
                && buffer.slice().limit(prefix.length).equals(ByteBuffer.wrap(prefix));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
