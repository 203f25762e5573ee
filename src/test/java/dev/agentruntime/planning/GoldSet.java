package dev.agentruntime.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The planner gold set ({@code eval/rule-planner-gold.jsonl}) shared by the rule and the LLM evaluations. */
final class GoldSet {

    /**
     * {@code tools}: the expected tool sequence (empty: the prompt must be refused). {@code family}: the kind of
     * phrasing a case stands for (e.g. "abbreviated verbs"), when it was added to measure one.
     */
    record Case(String prompt, List<String> tools, String result, boolean trap, boolean paraphrase, String family) {
    }

    private GoldSet() {
    }

    static List<Case> load() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<Case> cases = new ArrayList<>();
        try (InputStream in = GoldSet.class.getResourceAsStream("/eval/rule-planner-gold.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode json = mapper.readTree(line);
                List<String> tools = new ArrayList<>();
                json.get("tools").forEach(t -> tools.add(t.asText()));
                cases.add(new Case(json.get("prompt").asText(), tools,
                        json.hasNonNull("result") ? json.get("result").asText() : null,
                        json.hasNonNull("trap"), json.path("paraphrase").asBoolean(false),
                        json.hasNonNull("family") ? json.get("family").asText() : null));
            }
        }
        return cases;
    }

    static <T> double rate(List<T> outcomes, Predicate<T> right) {
        return outcomes.isEmpty() ? 1.0 : (double) outcomes.stream().filter(right).count() / outcomes.size();
    }

    /** Prints an evaluation report and keeps it under {@code target/eval/}. */
    static void publish(String fileName, String report) throws IOException {
        System.out.println(report);
        Path file = Path.of("target", "eval", fileName);
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
    }

    static String row(String measure, double value) {
        return "| " + measure + " | " + String.format("%.1f%%", value * 100) + " |\n";
    }
}
