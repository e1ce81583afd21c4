package dev.stepwise.cli.quickstart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of the quickstart report, drawn with XChart in headless mode. */
public final class Charts {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private Charts() {}

    /**
     * Plots training loss against optimizer step, one series per run, each smoothed by a trailing
     * mean over {@code window} steps.
     */
    public static void trainingLoss(Map<String, List<Double>> lossesByRun, int window, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Training loss (mean of the last " + window + " steps)")
                .xAxisTitle("optimizer step").yAxisTitle("loss").build();
        lossesByRun.forEach((name, losses) -> {
            List<Double> steps = new ArrayList<>(losses.size());
            for (int i = 0; i < losses.size(); i++) {
                steps.add(i + 1.0);
            }
            chart.addSeries(name, steps, trailingMean(losses, window)).setMarker(SeriesMarkers.NONE);
        });
        save(chart, png);
    }

    /**
     * Plots Best-of-N accuracy against N (log2 axis), one series per selector.
     *
     * @param table the key {@code N} contains the N values, every other key a selector's accuracies
     */
    public static void bestOfN(Map<String, List<Double>> table, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Best-of-N accuracy on held-out problems")
                .xAxisTitle("N (candidates per problem)").yAxisTitle("accuracy").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        List<Double> ns = table.get("N");
        table.forEach((name, accuracies) -> {
            if (!name.equals("N")) {
                chart.addSeries(name, ns, accuracies);
            }
        });
        save(chart, png);
    }

    static List<Double> trailingMean(List<Double> values, int window) {
        List<Double> smoothed = new ArrayList<>(values.size());
        double sum = 0;
        for (int i = 0; i < values.size(); i++) {
            sum += values.get(i);
            if (i >= window) {
                sum -= values.get(i - window);
            }
            smoothed.add(sum / Math.min(i + 1, window));
        }
        return smoothed;
    }

    private static void save(XYChart chart, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
