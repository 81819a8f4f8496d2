package org.causalcvr.experiments.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots for reports, drawn with XChart (headless; 900x600 pixels). */
public final class Plots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 600;

    private Plots() {}

    /** A named line: x and y of equal length. */
    public record Line(String name, double[] x, double[] y) {}

    /**
     * Lines on common axes (ROC curves, calibration curves, sweeps).
     *
     * @param diagonal whether to draw the y = x reference line (ROC, calibration)
     * @param markers whether to mark each point (few points, as in sweeps)
     */
    public static void lines(
            Path png,
            String title,
            String xLabel,
            String yLabel,
            List<Line> lines,
            boolean diagonal,
            boolean markers) {
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle(xLabel)
                        .yAxisTitle(yLabel)
                        .build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setMarkerSize(markers ? 7 : 0);
        for (Line line : lines) {
            XYSeries series = chart.addSeries(line.name(), line.x(), line.y());
            series.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        if (diagonal) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Line line : lines) {
                for (double v : line.x()) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (lo < hi) {
                XYSeries ref =
                        chart.addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi});
                ref.setMarker(SeriesMarkers.NONE);
                ref.setLineColor(Color.GRAY);
                ref.setLineStyle(
                        new BasicStroke(
                                1f,
                                BasicStroke.CAP_BUTT,
                                BasicStroke.JOIN_MITER,
                                10f,
                                new float[] {6f, 6f},
                                0f));
            }
        }
        save(chart, png);
    }

    /**
     * Grouped bars with error bars: for each metric (a series), one bar per estimator (a category),
     * its height the mean and its error bar one standard deviation.
     */
    public static void barsWithErrors(
            Path png,
            String title,
            String yLabel,
            List<String> categories,
            Map<String, double[][]> meanAndStdBySeries) {
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(WIDTH + 200)
                        .height(HEIGHT)
                        .title(title)
                        .yAxisTitle(yLabel)
                        .build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisLabelRotation(20);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (var entry : meanAndStdBySeries.entrySet()) {
            double[] mean = entry.getValue()[0];
            double[] std = entry.getValue()[1];
            for (int i = 0; i < mean.length; i++) {
                if (Double.isFinite(mean[i])) {
                    lo = Math.min(lo, mean[i] - (Double.isFinite(std[i]) ? std[i] : 0));
                    hi = Math.max(hi, mean[i] + (Double.isFinite(std[i]) ? std[i] : 0));
                }
            }
            chart.addSeries(entry.getKey(), categories, toList(mean), toList(std));
        }
        if (lo < hi) {
            // Zoom onto the range of the bars: AUCs differ in the second decimal.
            double pad = (hi - lo) * 0.25 + 1e-3;
            chart.getStyler().setYAxisMin(Math.max(0, lo - pad));
            chart.getStyler().setYAxisMax(hi + pad);
        }
        save(chart, png);
    }

    private static List<Double> toList(double[] values) {
        return java.util.Arrays.stream(values)
                .map(v -> Double.isFinite(v) ? v : 0.0)
                .boxed()
                .toList();
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setAntiAlias(true);
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) {
        try {
            Path target = png.toAbsolutePath();
            String name = target.getFileName().toString();
            String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
            BitmapEncoder.saveBitmap(
                    chart, target.resolveSibling(base).toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(png + ": cannot write plot: " + e.getMessage(), e);
        }
    }
}
