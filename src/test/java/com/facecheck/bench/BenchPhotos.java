package com.facecheck.bench;

import com.facecheck.testing.TestImages;
import java.util.Base64;

/** The photos the benchmarks send, as base64: the same every run, and of the size each claims to be. */
final class BenchPhotos {

    private BenchPhotos() {
    }

    /** A typical request's photo: a 400×500 portrait, a JPEG of 35 to 48 KB. */
    static String typical40kJpeg() {
        return requireSize(TestImages.jpeg(TestImages.noisyPortrait(400, 500, 18, 1), 0.75f), 35_000, 48_000);
    }

    /** A phone's photo: 3000×4000, a JPEG of 1.8 to 2.6 MB. */
    static String photo2Mb() {
        return requireSize(TestImages.jpeg(TestImages.noisyPortrait(3000, 4000, 16, 2), 0.75f), 1_800_000, 2_600_000);
    }

    /** Decoded size of a photo, to print beside a benchmark's figures. */
    static int bytes(String base64) {
        return Base64.getDecoder().decode(base64).length;
    }

    /** Guards against measuring something else after a change to the generated images. */
    private static String requireSize(byte[] jpeg, int min, int max) {
        if (jpeg.length < min || jpeg.length > max) {
            throw new IllegalStateException("generated photo is " + jpeg.length + " bytes, expected " + min + ".."
                    + max);
        }
        return TestImages.base64(jpeg);
    }
}
