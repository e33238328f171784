package com.facecheck.identity;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Makes sure a photo can be sent: really a JPEG or PNG, whole, large enough to show a face, and within the
 * provider's 50 KB. A photo that is too large is decoded, turned upright, scaled and compressed again as a
 * JPEG instead of being sent to fail; what cannot be a usable photo is rejected here, before it costs a call.
 * The re-encoded photo carries no metadata (EXIF, GPS). Thread-safe; never logs image bytes.
 */
public final class PhotoCheck {

    /** The provider's limit for the photo itself. */
    public static final int MAX_SENT_BYTES = 50 * 1024;
    /** Below this on either side no face can be checked. */
    public static final int MIN_SIDE = 100;
    /** The short side kept when scaling down, unless the photo cannot fit otherwise. */
    public static final int PREFERRED_SHORT_SIDE = 300;
    /** Decoding more pixels than this could exhaust memory: such a header is refused before any decoding. */
    public static final long MAX_PIXELS = 40_000_000L;

    private static final String UNREADABLE = "BASE64人像图片错误：无法处理图片信息";
    private static final String UNSUPPORTED = "HTTP人像图片错误：不支持的文件格式";
    /** Short sides tried when scaling down, largest first; the photo's own short side comes before them. */
    private static final int[] SHORT_SIDES = {720, 600, 480, 400, 360, 300, 240, 180, 140, MIN_SIDE};
    private static final float MIN_QUALITY = 0.5f;
    private static final float MAX_QUALITY = 0.92f;

    public PhotoVerdict check(String image) {
        if (image == null || image.isBlank()) {
            return rejected("image-empty", UNREADABLE, "the photo is empty");
        }
        byte[] bytes;
        try {
            bytes = decodeBase64(image);
        } catch (IllegalArgumentException e) {
            return rejected("image-not-base64", UNREADABLE, "the photo is not base64: send the JPEG's bytes in base64");
        }
        if (bytes.length == 0) {
            return rejected("image-empty", UNREADABLE, "the photo is empty");
        }
        String format = format(bytes);
        if (format == null) {
            return rejected("image-unsupported-format", UNSUPPORTED, "the photo is neither JPEG nor PNG");
        }
        if (!isComplete(bytes, format)) {
            return rejected("image-undecodable", UNREADABLE, "the " + format + " data is cut short: send the whole file");
        }
        BufferedImage decoded;
        try {
            decoded = decode(bytes);
        } catch (TooLargeException e) {
            return rejected("image-too-large-to-process", UNREADABLE, e.getMessage());
        } catch (IOException | RuntimeException e) {
            return rejected("image-undecodable", UNREADABLE, "the " + format + " data cannot be decoded");
        }
        if (decoded == null) {
            return rejected("image-undecodable", UNREADABLE, "the " + format + " data cannot be decoded");
        }
        if (Math.min(decoded.getWidth(), decoded.getHeight()) < MIN_SIDE) {
            return rejected("image-too-small", UNREADABLE, "the photo is " + decoded.getWidth() + "x"
                    + decoded.getHeight() + " pixels; at least " + MIN_SIDE + " on each side are needed");
        }
        if (format.equals("jpeg") && bytes.length <= MAX_SENT_BYTES) {
            return new PhotoVerdict.Accepted(Base64.getEncoder().encodeToString(bytes), format, decoded.getWidth(),
                    decoded.getHeight(), bytes.length, bytes.length, false);
        }
        BufferedImage upright = upright(decoded, format.equals("jpeg") ? ExifOrientation.of(bytes) : 1);
        return reencode(upright, format, bytes.length);
    }

    /** Accepts a data: URI prefix, line breaks and spaces, the URL-safe alphabet and missing padding. */
    static byte[] decodeBase64(String image) {
        String data = image.strip();
        if (data.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = data.indexOf(',');
            if (comma < 0) {
                throw new IllegalArgumentException("a data: URI without data");
            }
            data = data.substring(comma + 1);
        }
        StringBuilder clean = new StringBuilder(data.length());
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '-') {
                clean.append('+');
            } else if (c == '_') {
                clean.append('/');
            } else if (!Character.isWhitespace(c)) {
                clean.append(c);
            }
        }
        while (clean.length() % 4 != 0) {
            clean.append('=');
        }
        return Base64.getDecoder().decode(clean.toString());
    }

    private static String format(byte[] b) {
        if (b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "jpeg";
        }
        if (b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return "png";
        }
        return null;
    }

    /**
     * ImageIO decodes a truncated JPEG without complaint, grey where data is missing: so look for the end
     * marker (JPEG's EOI, PNG's IEND chunk) near the end, allowing some trailing padding.
     */
    private static boolean isComplete(byte[] b, String format) {
        int from = Math.max(0, b.length - 64);
        if (format.equals("jpeg")) {
            for (int i = b.length - 2; i >= from; i--) {
                if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                    return true;
                }
            }
            return false;
        }
        for (int i = b.length - 4; i >= from; i--) {
            if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') {
                return true;
            }
        }
        return false;
    }

    private static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    private static BufferedImage decode(byte[] bytes) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new TooLargeException("the photo claims " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels, more than can safely be decoded; send a smaller photo");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Applies an EXIF orientation (1–8) so the face is upright once the metadata is gone. */
    static BufferedImage upright(BufferedImage image, int orientation) {
        int w = image.getWidth();
        int h = image.getHeight();
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);
            default -> null;
        };
        boolean swapped = orientation >= 5 && orientation <= 8;
        BufferedImage rgb = new BufferedImage(swapped ? h : w, swapped ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        // White under transparent PNG areas, as a photo printed on paper would show.
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
        g.drawImage(image, t == null ? new AffineTransform() : t, null);
        g.dispose();
        return rgb;
    }

    private static PhotoVerdict reencode(BufferedImage upright, String format, int originalBytes) {
        int shortSide = Math.min(upright.getWidth(), upright.getHeight());
        boolean triedOwnSize = false;
        for (int i = -1; i < SHORT_SIDES.length; i++) {
            int target = i < 0 ? shortSide : SHORT_SIDES[i];
            if (target > shortSide || (target == shortSide && triedOwnSize)) {
                continue;
            }
            triedOwnSize |= target == shortSide;
            BufferedImage scaled = scale(upright, target);
            byte[] jpeg = largestFitting(scaled);
            if (jpeg != null) {
                return new PhotoVerdict.Accepted(Base64.getEncoder().encodeToString(jpeg), format, scaled.getWidth(),
                        scaled.getHeight(), originalBytes, jpeg.length, true);
            }
        }
        return rejected("image-cannot-fit", UNREADABLE, "the photo cannot be compressed under "
                + MAX_SENT_BYTES / 1024 + " KB while keeping a usable face; send a plainer, smaller photo");
    }

    /** The best-quality JPEG of the image that fits, by binary search over quality; null when none fits. */
    private static byte[] largestFitting(BufferedImage image) {
        byte[] best = null;
        float low = MIN_QUALITY;
        float high = MAX_QUALITY;
        byte[] atHigh = jpeg(image, high);
        if (atHigh.length <= MAX_SENT_BYTES) {
            return atHigh;
        }
        for (int step = 0; step < 5; step++) {
            float mid = (low + high) / 2;
            byte[] attempt = jpeg(image, step == 0 ? low : mid);
            if (attempt.length <= MAX_SENT_BYTES) {
                best = attempt;
                low = step == 0 ? low : mid;
            } else if (step == 0) {
                return null; // not even the lowest quality fits at this size
            } else {
                high = mid;
            }
        }
        return best;
    }

    private static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_SENT_BYTES);
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG encoding failed in memory", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Scales so the short side is {@code shortSide}, halving step by step so detail is averaged, not dropped. */
    private static BufferedImage scale(BufferedImage image, int shortSide) {
        int currentShort = Math.min(image.getWidth(), image.getHeight());
        if (shortSide >= currentShort) {
            return image;
        }
        double ratio = (double) shortSide / currentShort;
        int targetW = Math.max(1, (int) Math.round(image.getWidth() * ratio));
        int targetH = Math.max(1, (int) Math.round(image.getHeight() * ratio));
        BufferedImage current = image;
        int w = image.getWidth();
        int h = image.getHeight();
        do {
            w = Math.max(targetW, w / 2);
            h = Math.max(targetH, h / 2);
            BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(current, 0, 0, w, h, null);
            g.dispose();
            current = next;
        } while (w != targetW || h != targetH);
        return current;
    }

    private static PhotoVerdict.Rejected rejected(String reason, String message, String detail) {
        return new PhotoVerdict.Rejected(reason, message, detail);
    }
}
