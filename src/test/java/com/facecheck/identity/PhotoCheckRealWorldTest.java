package com.facecheck.identity;

import static com.facecheck.identity.PhotoAssertions.accepted;
import static com.facecheck.identity.PhotoAssertions.assertClose;
import static com.facecheck.identity.PhotoAssertions.bytes;
import static com.facecheck.identity.PhotoAssertions.decode;
import static com.facecheck.identity.PhotoAssertions.meanRgb;
import static com.facecheck.identity.PhotoAssertions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Json;
import com.facecheck.identity.PhotoVerdict.Accepted;
import com.facecheck.identity.PhotoVerdict.Rejected;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The photos of the real-world cases (src/test/resources/cases/real-world, copied from the shared case folder
 * so that a fresh clone has them): each stands for a kind of photo that broke the check in production.
 */
class PhotoCheckRealWorldTest {

    private static final Map<String, JsonNode> REQUESTS = requests();
    private static final JsonNode EXPECTED = json("expected.json");

    private final PhotoCheck check = new PhotoCheck();

    @Test
    @DisplayName("rw-wide-png: a 65,501 × 100 px strip is refused for its shape, not thrown on while re-encoding")
    void rwWidePngIsRefusedForItsShape() {
        assertThat(EXPECTED.path("rw-wide-png").path("ok").asBoolean(true)).isFalse();

        Rejected rejected = rejected(check.check(image("rw-wide-png")));

        assertThat(rejected.reason()).isEqualTo("image-bad-aspect-ratio");
        assertThat(rejected.detail()).contains("65501×100");
    }

    @Test
    @DisplayName("rw-cmyk-jpeg: a CMYK JPEG without a profile is sent as an RGB JPEG of the original's colours")
    void rwCmykJpegIsSentAsAnRgbJpegOfItsColours() throws IOException {
        assertThat(EXPECTED.path("rw-cmyk-jpeg").path("ok").asBoolean()).isTrue();
        byte[] original = bytes(image("rw-cmyk-jpeg"));

        Accepted accepted = accepted(check.check(image("rw-cmyk-jpeg")));

        BufferedImage sent = decode(bytes(accepted.base64()));
        assertThat(accepted.reencoded()).isTrue();
        assertThat(accepted.sentBytes()).isLessThanOrEqualTo(PhotoCheck.MAX_SENT_BYTES);
        assertThat(sent.getColorModel().getNumComponents()).as("sent as RGB").isEqualTo(3);
        // What browsers show for a CMYK JPEG without a profile: R = (255 − C)(255 − K) / 255 from Adobe's
        // inverted samples, worked out here from the raw components rather than by any reader's conversion.
        assertClose(meanRgb(sent), inverseCmykMean(original), 3);
        // And pixel by pixel against TwelveMonkeys' decoding of the original, scaled to the size sent.
        BufferedImage reference = scaled(decodeWithTwelveMonkeys(original), sent.getWidth(), sent.getHeight());
        assertThat(meanAbsoluteError(sent, reference)).isLessThan(4.0);
    }

    @Test
    @DisplayName("rw-*: the photos of the cases that are about names, ID numbers and URLs are accepted")
    void theOtherCasesPhotosAreAccepted() {
        List<String> others = REQUESTS.keySet().stream()
                .filter(id -> !id.equals("rw-wide-png") && !id.equals("rw-cmyk-jpeg") && REQUESTS.get(id).hasNonNull("image"))
                .toList();
        assertThat(others).isNotEmpty();

        for (String id : others) {
            assertThat(EXPECTED.path(id).path("ok").asBoolean()).as(id).isTrue();
            assertThat(check.check(image(id))).as(id).isInstanceOf(Accepted.class);
        }
    }

    // ---- helpers ----

    private static String image(String requestId) {
        return REQUESTS.get(requestId).path("image").asText();
    }

    private static Map<String, JsonNode> requests() {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(resource("requests.jsonl"), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    JsonNode request = Json.MAPPER.readTree(line);
                    byId.put(request.path("requestId").asText(), request);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byId;
    }

    private static JsonNode json(String name) {
        try (InputStream in = resource(name)) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = PhotoCheckRealWorldTest.class.getResourceAsStream("/cases/real-world/" + name);
        assertThat(in).as("cases/real-world/%s on the test class path", name).isNotNull();
        return in;
    }

    private static ImageReader twelveMonkeysJpegReader() {
        for (Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg"); readers.hasNext(); ) {
            ImageReader reader = readers.next();
            if (reader.getClass().getName().equals("com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader")) {
                return reader;
            }
        }
        throw new IllegalStateException("TwelveMonkeys' JPEG reader is not registered");
    }

    private static BufferedImage decodeWithTwelveMonkeys(byte[] jpeg) throws IOException {
        ImageReader reader = twelveMonkeysJpegReader();
        try {
            reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg)));
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    private static int[] inverseCmykMean(byte[] jpeg) throws IOException {
        ImageReader reader = twelveMonkeysJpegReader();
        Raster cmyk;
        try {
            reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg)));
            cmyk = reader.readRaster(0, null);
        } finally {
            reader.dispose();
        }
        assertThat(cmyk.getNumBands()).isEqualTo(4);
        double[] sum = new double[3];
        int[] pixel = new int[4];
        for (int y = 0; y < cmyk.getHeight(); y++) {
            for (int x = 0; x < cmyk.getWidth(); x++) {
                cmyk.getPixel(x, y, pixel);
                for (int c = 0; c < 3; c++) {
                    sum[c] += pixel[c] * pixel[3] / 255.0;
                }
            }
        }
        double n = (double) cmyk.getWidth() * cmyk.getHeight();
        return new int[] {(int) Math.round(sum[0] / n), (int) Math.round(sum[1] / n), (int) Math.round(sum[2] / n)};
    }

    private static BufferedImage scaled(BufferedImage image, int width, int height) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        g.drawImage(image.getScaledInstance(width, height, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        return target;
    }

    /** Mean absolute difference of the RGB channels, in levels of 255. */
    private static double meanAbsoluteError(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                }
            }
        }
        return (double) sum / (3L * a.getWidth() * a.getHeight());
    }
}

