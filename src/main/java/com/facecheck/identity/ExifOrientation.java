package com.facecheck.identity;

/**
 * Reads the EXIF orientation (tag 0x0112) of a JPEG: phones store photos sideways and say so there, and
 * ImageIO ignores it. Anything unexpected means "as stored" (1): a wrong guess would rotate a face.
 */
final class ExifOrientation {

    private static final int SOS = 0xDA;
    private static final int APP1 = 0xE1;
    private static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {
    }

    static int of(byte[] jpeg) {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
            int marker = jpeg[i + 1] & 0xFF;
            int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            if (marker == SOS || length < 2) {
                return 1;
            }
            if (marker == APP1 && length >= 16 && i + 2 + length <= jpeg.length && isExif(jpeg, i + 4)) {
                return fromTiff(jpeg, i + 10, i + 2 + length);
            }
            i += 2 + length;
        }
        return 1;
    }

    private static boolean isExif(byte[] b, int at) {
        return b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i' && b[at + 3] == 'f' && b[at + 4] == 0 && b[at + 5] == 0;
    }

    private static int fromTiff(byte[] b, int tiff, int end) {
        boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
        if (!little && !(b[tiff] == 'M' && b[tiff + 1] == 'M')) {
            return 1;
        }
        int ifd = tiff + read32(b, tiff + 4, little);
        if (ifd < tiff || ifd + 2 > end) {
            return 1;
        }
        int entries = read16(b, ifd, little);
        for (int e = 0; e < entries; e++) {
            int entry = ifd + 2 + e * 12;
            if (entry + 12 > end) {
                return 1;
            }
            if (read16(b, entry, little) == ORIENTATION_TAG) {
                int value = read16(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int read16(byte[] b, int at, boolean little) {
        int a = b[at] & 0xFF;
        int c = b[at + 1] & 0xFF;
        return little ? (c << 8) | a : (a << 8) | c;
    }

    private static int read32(byte[] b, int at, boolean little) {
        return little ? read16(b, at, true) | (read16(b, at + 2, true) << 16)
                : (read16(b, at, false) << 16) | read16(b, at + 2, false);
    }
}
