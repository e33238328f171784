package com.facecheck.identity;

import static com.facecheck.identity.PhotoAssertions.UNREADABLE;
import static com.facecheck.identity.PhotoAssertions.accepted;
import static com.facecheck.identity.PhotoAssertions.bytes;
import static com.facecheck.identity.PhotoAssertions.decode;
import static com.facecheck.identity.PhotoAssertions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.identity.PhotoVerdict.Accepted;
import com.facecheck.identity.PhotoVerdict.Rejected;
import com.facecheck.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.ImageWriterSpi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Photos that once made {@link PhotoCheck} throw, or could: each must come out as a verdict. */
class PhotoCheckFailuresTest {

    private final PhotoCheck check = new PhotoCheck();

    // ---- shape ----

    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"401, 100", "100, 401", "2000, 499", "65501, 100"})
    void aPhotoWhoseLongSideIsOverFourTimesItsShortSideHasABadAspectRatio(int width, int height) {
        byte[] png = TestImages.solidPng(width, height);

        Rejected rejected = rejected(check.check(TestImages.base64(png)));

        assertThat(rejected.reason()).isEqualTo("image-bad-aspect-ratio");
        assertThat(rejected.message()).isEqualTo(UNREADABLE);
        assertThat(rejected.detail()).contains(width + "×" + height, "at most 4 times", "Crop it to the face");
    }

    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"400, 100", "100, 400", "2000, 500"})
    void aPhotoFourTimesAsLongAsItIsWideIsStillAccepted(int width, int height) {
        assertThat(check.check(TestImages.base64(TestImages.solidPng(width, height)))).isInstanceOf(Accepted.class);
    }

    @Test
    void aLargePhotoOfTheWidestShapeIsReencodedWellWithinJpegLimits() throws IOException {
        byte[] original = TestImages.jpeg(TestImages.noisyPortrait(4800, 1200, 16, 31), 0.8f);
        assertThat(original.length).isGreaterThan(PhotoCheck.MAX_SENT_BYTES);

        Accepted accepted = accepted(check.check(TestImages.base64(original)));

        BufferedImage sent = decode(bytes(accepted.base64()));
        assertThat(sent.getWidth()).isEqualTo(4 * sent.getHeight()).isLessThanOrEqualTo(4 * PhotoCheck.START_SHORT_SIDE);
    }

    // ---- re-encoding ----

    @Test
    void aJpegWriterThatFailsGivesAVerdict() {
        byte[] large = TestImages.jpeg(TestImages.noisyPortrait(1200, 1600, 16, 32), 0.9f);
        String small = TestImages.jpegBase64(320, 400);

        for (Exception failure : List.of(new IIOException("Maximum supported image dimension is 65500 pixels"),
                new IllegalStateException("writer broke"))) {
            PhotoCheck failing = new PhotoCheck(failingWriter(failure));

            Rejected rejected = rejected(failing.check(TestImages.base64(large)));

            assertThat(rejected.reason()).isEqualTo("image-reencoding-failed");
            assertThat(rejected.message()).isEqualTo(UNREADABLE);
            assertThat(rejected.detail()).contains("JPEG").doesNotContain(failure.getMessage());
            assertThat(failing.check(small)).as("sent as received, no writer needed").isInstanceOf(Accepted.class);
        }
    }

    // ---- structure ----

    @Test
    void aJpegWithAScanBeforeItsFrameHeaderIsUndecodable() {
        byte[] jpeg = bytes(TestImages.jpegBase64(320, 400));
        int sof = indexOf(jpeg, (byte) 0xC0);
        int sos = indexOf(jpeg, (byte) 0xDA);
        byte[] swapped = jpeg.clone();
        swapped[sof + 1] = (byte) 0xDA;
        swapped[sos + 1] = (byte) 0xC0;

        assertThat(rejected(check.check(TestImages.base64(swapped))).reason()).isEqualTo("image-undecodable");
    }

    @Test
    void aJpegWhoseHeightIsLeftToADnlMarkerIsUndecodable() {
        byte[] jpeg = bytes(TestImages.jpegBase64(320, 400));
        ByteBuffer.wrap(jpeg).putShort(indexOf(jpeg, (byte) 0xC0) + 5, (short) 0);

        assertThat(rejected(check.check(TestImages.base64(jpeg))).reason()).isEqualTo("image-undecodable");
    }

    @Test
    void aJpegThatEndsBeforeAnyScanIsUndecodable() {
        byte[] jpeg = bytes(TestImages.jpegBase64(320, 400));
        byte[] headerOnly = TestImages.concat(Arrays.copyOf(jpeg, indexOf(jpeg, (byte) 0xDA)), new byte[] {(byte) 0xFF, (byte) 0xD9});

        assertThat(rejected(check.check(TestImages.base64(headerOnly))).reason()).isEqualTo("image-undecodable");
    }

    @ParameterizedTest(name = "bit depth {0}, colour type {1}")
    @CsvSource({"8, 1", "3, 2", "16, 3", "4, 6", "8, 7"})
    void aPngWhoseHeaderIsImpossibleIsUndecodable(int bitDepth, int colourType) {
        byte[] png = TestImages.png(300, 400, bitDepth, colourType, new byte[0]);

        assertThat(rejected(check.check(TestImages.base64(png))).reason()).isEqualTo("image-undecodable");
    }

    @Test
    void aPngWithoutImageDataIsUndecodable() {
        byte[] png = TestImages.png(300, 400, 8, 2, null);

        assertThat(rejected(check.check(TestImages.base64(png))).reason()).isEqualTo("image-undecodable");
    }

    // ---- helpers ----

    /** The first marker of this kind; the test images have no 0xFF byte in their headers' data. */
    private static int indexOf(byte[] jpeg, byte marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if (jpeg[i] == (byte) 0xFF && jpeg[i + 1] == marker) {
                return i;
            }
        }
        throw new IllegalArgumentException("no such marker");
    }

    /** A JPEG writer whose every write fails so, as the JDK's does for sides over 65,500 px. */
    private static ImageWriterSpi failingWriter(Exception failure) {
        return new ImageWriterSpi() {
            {
                outputTypes = STANDARD_OUTPUT_TYPE;
            }

            @Override
            public boolean canEncodeImage(ImageTypeSpecifier type) {
                return true;
            }

            @Override
            public ImageWriter createWriterInstance(Object extension) {
                return new ImageWriter(this) {
                    @Override
                    public void write(IIOMetadata streamMetadata, IIOImage image, ImageWriteParam param) throws IOException {
                        if (failure instanceof IOException io) {
                            throw io;
                        }
                        throw (RuntimeException) failure;
                    }

                    @Override
                    public IIOMetadata getDefaultStreamMetadata(ImageWriteParam param) {
                        return null;
                    }

                    @Override
                    public IIOMetadata getDefaultImageMetadata(ImageTypeSpecifier type, ImageWriteParam param) {
                        return null;
                    }

                    @Override
                    public IIOMetadata convertStreamMetadata(IIOMetadata in, ImageWriteParam param) {
                        return null;
                    }

                    @Override
                    public IIOMetadata convertImageMetadata(IIOMetadata in, ImageTypeSpecifier type, ImageWriteParam param) {
                        return null;
                    }
                };
            }

            @Override
            public String getDescription(Locale locale) {
                return "a JPEG writer that fails";
            }
        };
    }
}
