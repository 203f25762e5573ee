package dev.agentruntime.testing;

import java.util.Map;

/** Reads values out of a Prometheus text exposition, summing the series that carry the given labels. */
public final class Prometheus {

    private Prometheus() {
    }

    public static double value(String exposition, String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean matches = labels.entrySet().stream()
                    .allMatch(label -> line.contains(label.getKey() + "=\"" + label.getValue() + "\""));
            if (matches) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
