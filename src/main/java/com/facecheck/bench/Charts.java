package com.facecheck.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The bench's charts, as PNG files. Series come in the order of the maps given, so that the contenders keep their
 * colours from chart to chart.
 */
public final class Charts {

    static final int WIDTH = 900;
    static final int HEIGHT = 540;

    /**
     * The contenders' colours, in series order: Tableau's ten, distinct on white and in print, unlike JFreeChart's
     * default sequence, whose fourth colour is a pale yellow.
     */
    static final List<Color> PALETTE = List.of(
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
            new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf));

    private static final String FONT = Font.SANS_SERIF;

    static {
        // The bench runs on build machines and servers without a display; AWT must not look for one.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Charts() {
    }

    /**
     * Requests per second against calls in flight, one line per contender, on a base-2 logarithmic x axis (the
     * in-flight levels double, or quadruple: 64, 256, 1024).
     *
     * @param requestsPerSecondByContender per contender, requests/s by calls in flight (each at least 1)
     */
    public static void throughputByInFlight(String title,
                                            Map<String, SortedMap<Integer, Double>> requestsPerSecondByContender,
                                            Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        requestsPerSecondByContender.forEach((contender, points) -> {
            XYSeries series = new XYSeries(contender);
            points.forEach(series::add);
            data.addSeries(series);
        });
        LogAxis inFlight = new LogAxis("calls in flight");
        inFlight.setBase(2);
        inFlight.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        inFlight.setNumberFormatOverride(plainNumber());
        NumberAxis rate = new NumberAxis("requests/s");
        rate.setNumberFormatOverride(plainNumber());
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        lines.setDefaultStroke(new BasicStroke(2.5f));
        lines.setAutoPopulateSeriesStroke(false);
        save(title, new XYPlot(data, inFlight, rate, lines), png);
    }

    /**
     * Latency percentiles as grouped bars: one group per percentile, in the order of each contender's map (e.g.
     * p50, p99, max), one bar per contender, on a logarithmic axis: a maximum is often a hundred times the median.
     *
     * @param millisByContender per contender, milliseconds (each above 0) by percentile label
     */
    public static void latencyPercentiles(String title, Map<String, Map<String, Double>> millisByContender, Path png)
            throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        millisByContender.forEach((contender, percentiles) ->
                percentiles.forEach((percentile, millis) -> data.addValue(millis, contender, percentile)));
        DoubleSummaryStatistics range = millisByContender.values().stream().flatMap(m -> m.values().stream())
                .mapToDouble(Double::doubleValue).summaryStatistics();
        LogAxis millis = new LogAxis("milliseconds");
        millis.setStandardTickUnits(NumberAxis.createIntegerTickUnits()); // ticks at the powers of ten
        millis.setNumberFormatOverride(plainNumber());
        // Bars rise from the axis's lower end: fitted to the data, it would leave the shortest bar no height.
        millis.setRange(Math.pow(10, Math.ceil(Math.log10(range.getMin())) - 1), range.getMax() * 1.5);
        BarRenderer bars = new BarRenderer();
        bars.setItemMargin(0.05);
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", plainNumber()));
        bars.setDefaultItemLabelsVisible(true); // a log axis is hard to read values from
        save(title, new CategoryPlot(data, new CategoryAxis("percentile"), millis, bars), png);
    }

    private static void save(String title, Plot plot, Path png) throws IOException {
        JFreeChart chart = new JFreeChart(title, plot);
        theme().apply(chart);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    /** 1,024 rather than 2^10 or 1.024E3. A new one each time: formats are not thread-safe. */
    private static DecimalFormat plainNumber() {
        return new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
    }

    private static StandardChartTheme theme() {
        StandardChartTheme theme = new StandardChartTheme("bench", false);
        theme.setExtraLargeFont(new Font(FONT, Font.BOLD, 20));
        theme.setLargeFont(new Font(FONT, Font.BOLD, 15));
        theme.setRegularFont(new Font(FONT, Font.PLAIN, 13));
        theme.setSmallFont(new Font(FONT, Font.PLAIN, 11));
        theme.setChartBackgroundPaint(Color.WHITE);
        theme.setPlotBackgroundPaint(Color.WHITE);
        theme.setLegendBackgroundPaint(Color.WHITE);
        theme.setDomainGridlinePaint(Color.LIGHT_GRAY);
        theme.setRangeGridlinePaint(Color.LIGHT_GRAY);
        theme.setBarPainter(new StandardBarPainter());
        theme.setShadowVisible(false);
        theme.setDrawingSupplier(new DefaultDrawingSupplier(PALETTE.toArray(Paint[]::new), DefaultDrawingSupplier.DEFAULT_FILL_PAINT_SEQUENCE,
                DefaultDrawingSupplier.DEFAULT_OUTLINE_PAINT_SEQUENCE, DefaultDrawingSupplier.DEFAULT_STROKE_SEQUENCE,
                DefaultDrawingSupplier.DEFAULT_OUTLINE_STROKE_SEQUENCE, DefaultDrawingSupplier.DEFAULT_SHAPE_SEQUENCE));
        return theme;
    }
}
