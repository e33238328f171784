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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageReaderWriterSpi;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Decides, before a billed call, whether a face photo can be sent and in what form. The provider takes at
 * most {@value #MAX_SENT_BYTES} bytes of image: a photo that is certainly unusable is rejected here with the
 * provider's wording, and a good photo that is too large is re-encoded as a smaller JPEG rather than sent to
 * fail. Whatever the bytes, the answer is a verdict: a photo that cannot be decoded or re-encoded is a
 * {@link Rejected}, never an exception, since an exception would stop the stream thread on every retry.
 *
 * <p>Thread-safe: no mutable state; every ImageIO reader and writer lives for one call. Nothing is logged,
 * and no detail text contains image bytes: the photo is biometric data.
 */
public final class PhotoCheck {

    /** The provider's limit on the decoded image. Its 100 KB limit on the base64 text is then met too. */
    public static final int MAX_SENT_BYTES = 50 * 1024;

    static final int MIN_SIDE = 100;
    /**
     * ID photos are 3:4, phone photos at most 9:21, panoramas about 1:4; a longer strip holds no face the
     * provider could compare. The limit also keeps every re-encoded side far below JPEG's 65,500 px.
     */
    static final int MAX_ASPECT_RATIO = 4;
    /** Face matching degrades below this; resolution is given up only when quality cannot be. */
    static final int PREFERRED_SHORT_SIDE = 300;
    /** Re-encoding starts here: more pixels would spend the byte budget on resolution matching does not use. */
    static final int START_SHORT_SIDE = 600;
    /** Decompression-bomb guard: judged from the header, before any pixel is decoded. */
    static final long MAX_PIXELS = 40_000_000L;
    /**
     * Larger images are subsampled while decoding so that one call's heap stays near 50 MB, not 120 MB;
     * pixels of 16-bit samples take twice the memory and count twice.
     */
    static final long DECODE_PIXEL_BUDGET = 16_000_000L;
    /**
     * Pixels kept while checking that a photo sent as it came decodes at all, a 64 × 64 thumbnail: the decoder
     * still reads every block of the file, and keeping fewer pixels took the check of a 400 × 500 photo from 1.8 to
     * 1.1 ms (the floor is the entropy decoding itself).
     */
    static final long VERIFY_PIXELS = 4_096L;

    private static final float MAX_QUALITY = 0.92f;
    /** Above {@link #PREFERRED_SHORT_SIDE} a smaller image is preferred to blockier compression. */
    private static final float GOOD_QUALITY = 0.7f;
    private static final float MIN_QUALITY = 0.5f;
    private static final float QUALITY_STEP = 0.03f;

    private static final String MISSING_MESSAGE = "未传入人像图片img";
    private static final String UNREADABLE_MESSAGE = "BASE64人像图片错误：无法处理图片信息";
    private static final String UNSUPPORTED_MESSAGE = "HTTP人像图片错误：不支持的文件格式";
    private static final String TOO_LONG_MESSAGE = "传入人像图片img字符串长度超限";

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private static final int NORMAL_ORIENTATION = 1;
    private static final int EXIF_ORIENTATION_TAG = 0x0112;
    private static final int TIFF_SHORT = 3;

    /** The JDK's own: TwelveMonkeys' JPEG writer only wraps it, and what is written here is always plain RGB. */
    private static final String JPEG_WRITER = "com.sun.imageio.plugins.jpeg.JPEGImageWriter";

    /**
     * The formats read, each with the one reader trusted with it. Chosen by class, not by registration order:
     * the JDK's JPEG reader also answers to "jpeg", and it turns CMYK pale and refuses whole files over a
     * broken ICC profile.
     */
    private enum Format {
        JPEG("JPEG", "com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader", true, MAX_PIXELS),
        PNG("PNG", "com.sun.imageio.plugins.png.PNGImageReader", true, MAX_PIXELS),
        // Re-encoded always, since the provider names only JPEG and PNG. Its reader decodes lossless images at
        // full size whatever the subsampling asked for, so a WebP must fit the decoding budget whole.
        WEBP("WebP", "com.twelvemonkeys.imageio.plugins.webp.WebPImageReader", false, DECODE_PIXEL_BUDGET);

        final String display;
        final String reader;
        final boolean sentAsReceived;
        final long maxPixels;

        Format(String display, String reader, boolean sentAsReceived, long maxPixels) {
            this.display = display;
            this.reader = reader;
            this.sentAsReceived = sentAsReceived;
            this.maxPixels = maxPixels;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Format, ImageReaderSpi> readers = new EnumMap<>(Format.class);
    private final ImageWriterSpi jpegWriter;

    /** @throws IllegalStateException when a reader or writer plugin is missing from the class path */
    public PhotoCheck() {
        this(plugin(ImageWriterSpi.class, JPEG_WRITER));
    }

    /** With another JPEG writer: how tests see what a writer's failure becomes. */
    PhotoCheck(ImageWriterSpi jpegWriter) {
        for (Format format : Format.values()) {
            readers.put(format, plugin(ImageReaderSpi.class, format.reader));
        }
        this.jpegWriter = jpegWriter;
    }

    /** {@code image} is the base64 text as the request carries it (the caller deals with URLs). */
    public PhotoVerdict check(String image) {
        try {
            byte[] bytes = decodeBase64(image);
            Format format = format(bytes);
            Header header = switch (format) {
                case JPEG -> jpegHeader(bytes);
                case PNG -> pngHeader(bytes);
                case WEBP -> webpHeader(bytes);
            };
            checkDimensions(format, header.width(), header.height());
            if (!header.complete()) {
                throw truncated(format);
            }
            // A sideways photo is re-encoded even when small: upright pixels are right whether or not the
            // provider honours the EXIF tag, sending them as they are is only right if it does.
            if (format.sentAsReceived && bytes.length <= MAX_SENT_BYTES && header.orientation() == NORMAL_ORIENTATION) {
                // A header with nothing decodable behind it would still be a billed call; what it decodes to is
                // not needed, so it is decoded small.
                decode(format, bytes, verifyingSubsampling(header));
                // PNG goes as PNG because docs/contracts.md takes JPEG or PNG and the provider's format
                // error is about file types; should it prove to want JPEG only, PNG belongs on the path below.
                return new Accepted(Base64.getEncoder().encodeToString(bytes), format.label(), header.width(),
                        header.height(), bytes.length, bytes.length, false);
            }
            BufferedImage decoded = decode(format, bytes, subsampling(header));
            return fit(decoded, header.orientation(), format, bytes.length);
        } catch (Refusal refusal) {
            return refusal.verdict;
        }
    }

    // ---- base64 ------------------------------------------------------------------------------------------

    /** Accepts what clients actually send: data: URLs, MIME line breaks, the URL-safe alphabet, no padding. */
    private static byte[] decodeBase64(String image) throws Refusal {
        String text = image == null ? "" : withoutDataUrlHeader(image.strip());
        // Most photos come as plain padded base64, which the JDK's decoder reads in one fast pass; anything it
        // refuses is read again, character by character, by the lenient reading below.
        try {
            byte[] strict = Base64.getDecoder().decode(text);
            if (strict.length > 0) {
                return strict;
            }
        } catch (IllegalArgumentException notPlainBase64) {
            // read leniently below
        }
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
    private static Format format(byte[] bytes) throws Refusal {
        if (startsWith(bytes, 0, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return Format.JPEG;
        }
        if (startsWith(bytes, 0, PNG_SIGNATURE)) {
            return Format.PNG;
        }
        if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBP"))) {
            return Format.WEBP;
        }
        throw refusal("image-unsupported-format", UNSUPPORTED_MESSAGE, "The photo is " + unsupportedKind(bytes)
                + ", not a JPEG, PNG or WebP image: convert it to JPEG before sending.");
    }

    private static String unsupportedKind(byte[] bytes) {
        if (startsWith(bytes, 0, ascii("GIF8"))) {
            return "a GIF image";
        }
        if (startsWith(bytes, 0, ascii("BM"))) {
            return "a BMP image";
        }
        if (startsWith(bytes, 4, ascii("ftyp"))) {
            return hasAvifBrand(bytes) ? "an AVIF image" : "a HEIC/HEIF image (as iPhones save them)";
        }
        if (startsWith(bytes, 0, ascii("II*\0")) || startsWith(bytes, 0, ascii("MM\0*"))) {
            return "a TIFF image";
        }
        return "of an unknown kind";
    }

    /** The major brand, then the compatible brands, of an ISO media file's leading ftyp box. */
    private static boolean hasAvifBrand(byte[] bytes) {
        long boxEnd = Math.min(bytes.length, Integer.toUnsignedLong(ByteBuffer.wrap(bytes).getInt(0)));
        for (int brand = 8; brand + 4 <= boxEnd; brand += brand == 8 ? 8 : 4) {
            if (startsWith(bytes, brand, ascii("avif")) || startsWith(bytes, brand, ascii("avis"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the file's own structure says, read without a decoder, so that a photo sent as received never
     * depends on a reader's parsing of its metadata.
     *
     * @param sampleBits 8, or 16 for samples wider than a byte
     * @param complete whether the file reaches its end
     * @param orientation how the camera says the stored pixels should be turned to stand upright
     */
    private record Header(int width, int height, int sampleBits, boolean complete, int orientation) {
    }

    /**
     * Walks the JPEG markers to the end-of-image marker, taking the size from the frame header. ImageIO fills
     * a truncated JPEG with grey without a word, and the walk costs far less than decoding; it also finds the
     * EXIF orientation on the way. Segments are skipped by their length, so broken ICC, EXIF or XMP contents
     * do not matter here.
     */
    private static Header jpegHeader(byte[] b) throws Refusal {
        int orientation = NORMAL_ORIENTATION;
        Header frame = null;
        boolean entropyCoded = false;
        boolean scanned = false;
        int i = 2;
        while (true) {
            if (entropyCoded) {
                i = nextMarkerAfterScanData(b, i);
            }
            if (i >= b.length) {
                return endOfJpeg(frame, false, orientation);
            }
            if (b[i] != (byte) 0xFF) {
                throw undecodable(Format.JPEG);
            }
            while (i < b.length && b[i] == (byte) 0xFF) {
                i++;
            }
            if (i >= b.length) {
                return endOfJpeg(frame, false, orientation);
            }
            int marker = b[i++] & 0xFF;
            if (marker == 0xD9) {
                if (!scanned) {
                    throw undecodable(Format.JPEG);
                }
                return endOfJpeg(frame, true, orientation);
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue;
            }
            if (marker == 0x00 || marker == 0xD8) {
                throw undecodable(Format.JPEG);
            }
            if (i + 2 > b.length) {
                return endOfJpeg(frame, false, orientation);
            }
            int length = ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
            if (length < 2) {
                throw undecodable(Format.JPEG);
            }
            if (i + length > b.length) {
                return endOfJpeg(frame, false, orientation);
            }
            if (isStartOfFrame(marker) && frame == null) {
                frame = startOfFrame(ByteBuffer.wrap(b, i + 2, length - 2).slice());
            } else if (marker == 0xE1) {
                orientation = exifOrientation(ByteBuffer.wrap(b, i + 2, length - 2).slice(), orientation);
            } else if (marker == 0xDA) {
                if (frame == null) {
                    throw undecodable(Format.JPEG);
                }
                scanned = true;
            }
            entropyCoded = marker == 0xDA;
            i += length;
        }
    }

    /**
     * Inside entropy-coded data 0xFF is always followed by 0x00 (stuffing), a restart marker or more 0xFF
     * (fill), so the next real marker starts at the last 0xFF before any other byte.
     */
    private static int nextMarkerAfterScanData(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            int next = b[i + 1] & 0xFF;
            if (b[i] == (byte) 0xFF && next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                return i;
            }
        }
        return b.length;
    }

    private static Header endOfJpeg(Header frame, boolean complete, int orientation) throws Refusal {
        if (frame == null) {
            throw truncated(Format.JPEG);
        }
        return new Header(frame.width(), frame.height(), frame.sampleBits(), complete, orientation);
    }

    /** SOF0–SOF15 but for DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** Precision, height, width and components; a height of 0 (defined later by DNL) is not supported. */
    private static Header startOfFrame(ByteBuffer sof) throws Refusal {
        if (sof.remaining() < 6) {
            throw undecodable(Format.JPEG);
        }
        int precision = sof.get(0) & 0xFF;
        int height = Short.toUnsignedInt(sof.getShort(1));
        int width = Short.toUnsignedInt(sof.getShort(3));
        int components = sof.get(5) & 0xFF;
        if (precision < 2 || precision > 16 || width == 0 || height == 0 || components == 0
                || sof.remaining() != 6 + 3 * components) {
            throw undecodable(Format.JPEG);
        }
        return new Header(width, height, precision > 8 ? 16 : 8, false, NORMAL_ORIENTATION);
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

    /** The IHDR chunk, then the chunks to IEND, for the same reason as {@link #jpegHeader}. */
    private static Header pngHeader(byte[] b) throws Refusal {
        ByteBuffer png = ByteBuffer.wrap(b);
        int ihdrEnd = PNG_SIGNATURE.length + 8 + 13;
        if (b.length < ihdrEnd) {
            throw truncated(Format.PNG);
        }
        if (png.getInt(8) != 13 || !startsWith(b, 12, ascii("IHDR"))) {
            throw undecodable(Format.PNG);
        }
        int width = png.getInt(16);
        int height = png.getInt(20);
        int bitDepth = b[24];
        int colourType = b[25];
        if (width <= 0 || height <= 0 || !isPngBitDepth(colourType, bitDepth) || b[26] != 0 || b[27] != 0
                || (b[28] != 0 && b[28] != 1)) {
            throw undecodable(Format.PNG);
        }
        boolean imageData = false;
        long i = PNG_SIGNATURE.length;
        while (i + 8 <= b.length) {
            long next = i + 12 + Integer.toUnsignedLong(png.getInt((int) i));
            if (next > b.length) {
                break;
            }
            imageData |= startsWith(b, (int) i + 4, ascii("IDAT"));
            if (startsWith(b, (int) i + 4, ascii("IEND"))) {
                if (!imageData) {
                    throw undecodable(Format.PNG);
                }
                return new Header(width, height, bitDepth == 16 ? 16 : 8, true, NORMAL_ORIENTATION);
            }
            i = next;
        }
        return new Header(width, height, bitDepth == 16 ? 16 : 8, false, NORMAL_ORIENTATION);
    }

    /** The combinations the PNG specification allows, by colour type: grey, RGB, palette, grey+alpha, RGBA. */
    private static boolean isPngBitDepth(int colourType, int bitDepth) {
        return switch (colourType) {
            case 0 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
            case 3 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
            case 2, 4, 6 -> bitDepth == 8 || bitDepth == 16;
            default -> false;
        };
    }

    /**
     * The RIFF chunks: the size from the first (VP8, VP8L, or VP8X for the extended format), complete when
     * the RIFF size fits and an image chunk lies whole within it.
     */
    private static Header webpHeader(byte[] b) throws Refusal {
        ByteBuffer riff = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long riffEnd = 8 + Integer.toUnsignedLong(riff.getInt(4));
        long end = Math.min(riffEnd, b.length);
        Dimension size = null;
        boolean imageData = false;
        long i = 12;
        while (i + 8 <= end) {
            int chunk = (int) i;
            long length = Integer.toUnsignedLong(riff.getInt(chunk + 4));
            if (size == null) {
                size = webpSize(b, chunk, Math.min(length, end - i - 8));
            }
            if (i + 8 + length > end) {
                break;
            }
            imageData |= startsWith(b, chunk, ascii("VP8 ")) || startsWith(b, chunk, ascii("VP8L"))
                    || startsWith(b, chunk, ascii("ANMF"));
            i += 8 + length + (length & 1);
        }
        if (size == null) {
            throw truncated(Format.WEBP);
        }
        return new Header(size.width, size.height, 8, imageData && riffEnd <= b.length, NORMAL_ORIENTATION);
    }

    /** From the first chunk's header: a VP8 key frame, a VP8L header or the VP8X canvas. */
    private static Dimension webpSize(byte[] b, int chunk, long available) throws Refusal {
        ByteBuffer data = ByteBuffer.wrap(b, chunk + 8, (int) available).slice().order(ByteOrder.LITTLE_ENDIAN);
        if (startsWith(b, chunk, ascii("VP8 ")) && data.remaining() >= 10 && (data.get(0) & 1) == 0
                && startsWith(data.slice(3, 3), new byte[] {(byte) 0x9D, 0x01, 0x2A})) {
            int width = data.getShort(6) & 0x3FFF;
            int height = data.getShort(8) & 0x3FFF;
            if (width > 0 && height > 0) {
                return new Dimension(width, height);
            }
        } else if (startsWith(b, chunk, ascii("VP8L")) && data.remaining() >= 5 && data.get(0) == 0x2F) {
            int bits = data.getInt(1);
            if (bits >>> 29 == 0) {
                return new Dimension((bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
            }
        } else if (startsWith(b, chunk, ascii("VP8X")) && data.remaining() >= 10) {
            return new Dimension((data.getInt(3) >>> 8) + 1, (data.getInt(6) >>> 8) + 1);
        }
        throw undecodable(Format.WEBP);
    }

    private static void checkDimensions(Format format, int width, int height) throws Refusal {
        long pixels = (long) width * height;
        if (pixels > format.maxPixels) {
            throw refusal("image-too-large-to-process", UNREADABLE_MESSAGE, String.format(
                    "The image header claims %d×%d px (%d megapixels), over the %d-megapixel limit for a %s. Send a smaller photo.",
                    width, height, pixels / 1_000_000, format.maxPixels / 1_000_000, format.display));
        }
        if (Math.min(width, height) < MIN_SIDE) {
            throw refusal("image-too-small", UNREADABLE_MESSAGE, String.format(
                    "The photo is %d×%d px; both sides must be at least %d px for a face to be compared. Send a larger photo.",
                    width, height, MIN_SIDE));
        }
        if (Math.max(width, height) > (long) MAX_ASPECT_RATIO * Math.min(width, height)) {
            throw refusal("image-bad-aspect-ratio", UNREADABLE_MESSAGE, String.format(
                    "The photo is %d×%d px; a face photo's long side is at most %d times its short side. Crop it to the face.",
                    width, height, MAX_ASPECT_RATIO));
        }
    }

    // ---- decoding ----------------------------------------------------------------------------------------

    /** The pixels, every {@code subsampling}-th; any failure of the reader makes the photo undecodable. */
    private BufferedImage decode(Format format, byte[] bytes, int subsampling) throws Refusal {
        try {
            ImageReader reader = readers.get(format).createReaderInstance();
            // Not ImageIO.createImageInputStream: that one may cache to a temporary file.
            try (ImageInputStream input = format == Format.WEBP ? new WebPInput(bytes)
                    : new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
                reader.setInput(input, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(subsampling, subsampling, 0, 0);
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO's decoders answer hostile input with assorted unchecked exceptions as well.
            throw undecodable(format);
        }
    }

    /**
     * The bytes, then {@value #PADDING} zeros, and reading further an error rather than the end of the file.
     * TwelveMonkeys' WebP decoders read past the end of their data rather than stop: when pixels take no bits
     * (one colour throughout) the lossless one meets the end of the file anew for every pixel, minutes for a
     * 16-megapixel image of a few dozen bytes, and on data cut short each decoder goes on to the last pixel.
     * The zeros serve the first, the error the second.
     */
    private static final class WebPInput extends ImageInputStreamImpl {

        private static final int PADDING = 64;

        private final byte[] bytes;

        WebPInput(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, buffer.length);
            bitOffset = 0;
            long available = length() - streamPos;
            if (length > 0 && available <= 0) {
                throw new IIOException("The decoder read past the end of the WebP data");
            }
            int count = (int) Math.min(length, available);
            for (int k = 0; k < count; k++) {
                long at = streamPos + k;
                buffer[offset + k] = at < bytes.length ? bytes[(int) at] : 0;
            }
            streamPos += count;
            return count;
        }

        @Override
        public long length() {
            return bytes.length + PADDING;
        }
    }

    /** Subsampling that leaves at most {@link #VERIFY_PIXELS} pixels: enough to see that the whole file decodes. */
    private static int verifyingSubsampling(Header header) {
        double pixels = (double) header.width() * header.height();
        return Math.max(1, (int) Math.ceil(Math.sqrt(pixels / VERIFY_PIXELS)));
    }

    private static int subsampling(Header header) {
        int width = header.width();
        int height = header.height();
        long weighted = (long) width * height * (header.sampleBits() / 8);
        if (weighted <= DECODE_PIXEL_BUDGET) {
            return 1;
        }
        int forBudget = (int) Math.ceil(Math.sqrt((double) weighted / DECODE_PIXEL_BUDGET));
        // Never below the size re-encoding starts from, so subsampling costs no output resolution.
        return Math.max(1, Math.min(forBudget, Math.min(width, height) / START_SHORT_SIDE));
    }

    // ---- re-encoding -------------------------------------------------------------------------------------

    /** {@link #reencode}, with any failure of Java2D or the JPEG writer as a verdict. */
    private PhotoVerdict fit(BufferedImage decoded, int orientation, Format format, int originalBytes) throws Refusal {
        try {
            return reencode(decoded, orientation, format, originalBytes);
        } catch (IOException | RuntimeException e) {
            throw refusal("image-reencoding-failed", UNREADABLE_MESSAGE, "The " + format.display
                    + " was decoded but could not be re-encoded as a JPEG. Re-save it as an ordinary RGB JPEG.");
        }
    }

    /**
     * The largest upright JPEG within {@link #MAX_SENT_BYTES}: from {@link #START_SHORT_SIDE} down to
     * {@link #PREFERRED_SHORT_SIDE} at no less than {@link #GOOD_QUALITY}, then at no less than
     * {@link #MIN_QUALITY} down to {@link #MIN_SIDE}. Nothing of the original's metadata (EXIF, GPS) survives.
     */
    private PhotoVerdict reencode(BufferedImage decoded, int orientation, Format format, int originalBytes)
            throws Refusal, IOException {
        boolean turned = orientation >= 5;
        int uprightWidth = turned ? decoded.getHeight() : decoded.getWidth();
        int uprightHeight = turned ? decoded.getWidth() : decoded.getHeight();
        int side = Math.min(Math.min(uprightWidth, uprightHeight), START_SHORT_SIDE);
        BufferedImage largest = resize(decoded, orientationTransform(orientation, decoded.getWidth(), decoded.getHeight()),
                uprightWidth, uprightHeight, side);
        ImageWriter writer = jpegWriter.createWriterInstance();
        try {
            while (true) {
                BufferedImage candidate = side == shortSide(largest) ? largest
                        : resize(largest, new AffineTransform(), largest.getWidth(), largest.getHeight(), side);
                byte[] jpeg = bestQualityWithin(writer, candidate, side > PREFERRED_SHORT_SIDE ? GOOD_QUALITY : MIN_QUALITY);
                if (jpeg.length <= MAX_SENT_BYTES) {
                    return new Accepted(Base64.getEncoder().encodeToString(jpeg), format.label(), candidate.getWidth(),
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
    private static byte[] bestQualityWithin(ImageWriter writer, BufferedImage image, float lowest) throws IOException {
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

    private static byte[] jpeg(ImageWriter writer, BufferedImage image, float quality) throws IOException {
        JPEGImageWriteParam param = new JPEGImageWriteParam(null);
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        param.setOptimizeHuffmanTables(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_SENT_BYTES);
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
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

    /** The registered plugin of this class; missing only when a build lost the plugins' META-INF/services. */
    private static <T extends ImageReaderWriterSpi> T plugin(Class<T> kind, String pluginClassName) {
        Iterator<T> providers = IIORegistry.getDefaultInstance().getServiceProviders(kind, false);
        while (providers.hasNext()) {
            T provider = providers.next();
            if (provider.getPluginClassName().equals(pluginClassName)) {
                return provider;
            }
        }
        throw new IllegalStateException("The ImageIO plugin " + pluginClassName + " is not registered");
    }

    private static Refusal truncated(Format format) {
        return refusal("image-undecodable", UNREADABLE_MESSAGE, "The " + format.display
                + " data stops before its end: the file is truncated or damaged. Send the whole file.");
    }

    private static Refusal undecodable(Format format) {
        return refusal("image-undecodable", UNREADABLE_MESSAGE, "The " + format.display
                + " could not be decoded: it is damaged or of a kind that cannot be read here. Re-save it as an ordinary JPEG.");
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
