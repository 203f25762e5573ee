import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prints the line coverage of a JaCoCo CSV report and fails under a floor. Run by the build in the verify phase:
 * {@code java src/build/CoverageSummary.java target/jacoco-report/jacoco.csv 0.85}.
 */
public class CoverageSummary {

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args[0]);
        double floor = Double.parseDouble(args[1]);
        if (!Files.exists(csv)) {
            System.err.println("Coverage: no report at " + csv + " (were the tests skipped?)");
            System.exit(1);
        }
        List<String> rows = Files.readAllLines(csv);
        List<String> header = List.of(rows.get(0).split(","));
        int missedColumn = header.indexOf("LINE_MISSED");
        int coveredColumn = header.indexOf("LINE_COVERED");
        long missed = 0;
        long covered = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",");
            missed += Long.parseLong(cells[missedColumn]);
            covered += Long.parseLong(cells[coveredColumn]);
        }
        double ratio = covered + missed == 0 ? 0 : (double) covered / (covered + missed);
        System.out.printf("Line coverage: %.1f%% (%d of %d lines; floor %.0f%%)%n", ratio * 100, covered,
                covered + missed, floor * 100);
        if (ratio < floor) {
            System.err.printf("Line coverage %.1f%% is under the floor of %.0f%%%n", ratio * 100, floor * 100);
            System.exit(1);
        }
    }
}
