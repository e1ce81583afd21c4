package dev.stepwise.serve.search.internal;

import dev.stepwise.serve.search.EvaluationRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Accuracy-versus-compute scatter plot, drawn headless with xchart. */
public final class AccuracyPlot {

    private AccuracyPlot() {}

    public static void write(List<EvaluationRow> rows, Path png) throws IOException {
        if (!png.getFileName().toString().endsWith(".png")) {
            throw new IllegalArgumentException("the plot path must end in .png, found " + png);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("cannot plot accuracy versus compute without rows");
        }
        // xchart draws with AWT, which needs headless mode on machines without a display. The
        // property has no effect once AWT has started, so a GUI application keeps its display.
        System.setProperty("java.awt.headless", "true");
        // Strategy names are long, so the legend goes below the plot, one row per strategy, and the
        // chart grows with the number of rows instead of squeezing the plot area.
        XYChart chart = new XYChartBuilder().width(900).height(480 + 22 * rows.size())
                .title("Accuracy versus compute")
                .xAxisTitle("compute tokens per problem (generated + scored)")
                .yAxisTitle("accuracy")
                .build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setMarkerSize(10)
                .setLegendPosition(Styler.LegendPosition.OutsideS)
                .setLegendLayout(Styler.LegendLayout.Vertical);
        for (EvaluationRow row : rows) {
            XYSeries series = chart.addSeries(row.strategy(), new double[] {row.averageComputeTokens()},
                    new double[] {row.accuracy()});
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        Path parent = png.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
