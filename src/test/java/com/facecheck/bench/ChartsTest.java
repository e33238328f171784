package com.facecheck.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The charts are read back as images: of the right size, with text on them, and with each contender drawn in its
 * colour where its figures put it. The first contender in the maps is named last in the alphabet, so that a chart
 * that sorted its series or categories would fail.
 */
class ChartsTest {

    private static final Color FIRST = Charts.PALETTE.get(0);
    private static final Color SECOND = Charts.PALETTE.get(1);

    @TempDir
    Path dir;

    @Test
    void throughputIsALinePerContenderWithTheFirstContenderInTheFirstColour() throws IOException {
        Map<String, SortedMap<Integer, Double>> rates = new LinkedHashMap<>();
        rates.put("worker", new TreeMap<>(Map.of(64, 310.0, 256, 1_180.0, 1024, 2_950.0)));
        rates.put("synchronous", new TreeMap<>(Map.of(64, 290.0, 256, 610.0, 1024, 640.0)));
        Path png = dir.resolve("throughput.png");

        Charts.throughputByInFlight("Requests/s by calls in flight", rates, png);

        BufferedImage image = read(png);
        assertThat(pixels(image, FIRST)).isGreaterThan(300);
        assertThat(pixels(image, SECOND)).isGreaterThan(300);
        assertThat(pixels(image, Charts.PALETTE.get(2))).isZero();
        // At 1024 in flight, the rightmost point of each line: the worker's far above the synchronous one's.
        assertThat(topAtRightmost(image, FIRST)).isLessThan(topAtRightmost(image, SECOND) - 100);
    }

    @Test
    void latencyIsAGroupOfBarsPerPercentileInTheMapsOrder() throws IOException {
        Map<String, Map<String, Double>> millis = new LinkedHashMap<>();
        millis.put("worker", percentiles(40, 180, 900));
        millis.put("synchronous", percentiles(35, 700, 3_000));
        Path png = dir.resolve("latency.png");

        Charts.latencyPercentiles("Latency", millis, png);

        BufferedImage image = read(png);
        List<Integer> worker = barTops(image, FIRST);
        List<Integer> synchronous = barTops(image, SECOND);
        assertThat(worker).hasSize(3).isSortedAccordingTo((a, b) -> b - a).doesNotHaveDuplicates();
        assertThat(synchronous).hasSize(3).isSortedAccordingTo((a, b) -> b - a).doesNotHaveDuplicates();
        assertThat(synchronous.get(1)).isLessThan(worker.get(1));
        assertThat(synchronous.get(2)).isLessThan(worker.get(2));
        // Over 40 to 900 ms, more than a decade: bars that barely differ would say the axis lost the figures.
        assertThat(worker.get(0) - worker.get(2)).isGreaterThan(100);
    }

    private static Map<String, Double> percentiles(double p50, double p99, double max) {
        Map<String, Double> percentiles = new LinkedHashMap<>();
        percentiles.put("p50", p50);
        percentiles.put("p99", p99);
        percentiles.put("max", max);
        return percentiles;
    }

    /** The chart, after checking its size and that it has text: the title and the axes' labels are dark. */
    private static BufferedImage read(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Charts.HEIGHT);
        int dark = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                Color c = new Color(image.getRGB(x, y));
                dark += c.getRed() + c.getGreen() + c.getBlue() < 150 ? 1 : 0;
            }
        }
        assertThat(dark).as("dark pixels: text").isGreaterThan(500);
        return image;
    }

    private static int pixels(BufferedImage image, Color colour) {
        int count = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            count += column(image, colour, x);
        }
        return count;
    }

    private static int column(BufferedImage image, Color colour, int x) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            count += image.getRGB(x, y) == colour.getRGB() ? 1 : 0;
        }
        return count;
    }

    private static int top(BufferedImage image, Color colour, int x) {
        for (int y = 0; y < image.getHeight(); y++) {
            if (image.getRGB(x, y) == colour.getRGB()) {
                return y;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** The top of the colour in the rightmost column that has it: the legend is at the bottom, in the middle. */
    private static int topAtRightmost(BufferedImage image, Color colour) {
        for (int x = image.getWidth() - 1; x >= 0; x--) {
            if (column(image, colour, x) > 0) {
                return top(image, colour, x);
            }
        }
        throw new AssertionError("no pixel of " + colour);
    }

    /**
     * The tops of the bars of the colour, left to right: runs of columns with more of it than the legend's small
     * square has.
     */
    private static List<Integer> barTops(BufferedImage image, Color colour) {
        List<Integer> tops = new ArrayList<>();
        int runTop = Integer.MAX_VALUE;
        for (int x = 0; x <= image.getWidth(); x++) {
            if (x < image.getWidth() && column(image, colour, x) > 20) {
                runTop = Math.min(runTop, top(image, colour, x));
            } else if (runTop != Integer.MAX_VALUE) {
                tops.add(runTop);
                runTop = Integer.MAX_VALUE;
            }
        }
        return tops;
    }
}
