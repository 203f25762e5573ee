package dev.agentruntime.bench;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link ExecutorBenchmark} with JMH inside this started application and writes a Markdown table (median and
 * p99 per run, bytes allocated per run) to {@code bench.results} (bench/jmh.sh points it at bench/results/).
 * Tagged "benchmark": the test command skips it; {@code ./mvnw test -Pbench} runs it alone.
 */
@QuarkusTest
@Tag("benchmark")
class ExecutorBenchmarkTest {

    @Test
    void measureExecutorOverhead() throws Exception {
        warmUpEveryPath();
        Options options = new OptionsBuilder()
                .include(ExecutorBenchmark.class.getName() + "." + System.getProperty("bench.include", ""))
                .forks(0)
                .threads(1)
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .warmupIterations(Integer.getInteger("bench.warmups", 3))
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(Integer.getInteger("bench.iterations", 5))
                .measurementTime(TimeValue.seconds(2))
                .addProfiler(GCProfiler.class)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        List<String> rows = new ArrayList<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark().replaceAll(".*\\.", "");
            var stats = result.getPrimaryResult().getStatistics();
            Result<?> allocation = result.getSecondaryResults().get("gc.alloc.rate.norm");
            assertThat(stats.getN()).as("samples of %s", name).isPositive();
            assertThat(allocation).as("allocation of %s", name).isNotNull();
            rows.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %,.0f |", name, stats.getPercentile(50),
                    stats.getPercentile(99), stats.getMean(), allocation.getScore()));
        }
        assertThat(rows).isNotEmpty();

        String table = String.join("\n", List.of(
                "# Executor overhead (JMH) " + Instant.now().toString().substring(0, 16) + "Z",
                "",
                "Memory store, one thread, JMH SampleTime inside the started application (forks = 0), "
                        + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version()
                        + ", dev.agentruntime log level " + System.getenv().getOrDefault("AGENT_LOG_LEVEL", "INFO") + ".",
                "plan*: rule planner + validation; noop*: executing a made plan of a tool that does nothing;",
                "run*: plan a calculator prompt, store the run, execute it (a POST minus HTTP and the queue).",
                "",
                "| benchmark | median µs/run | p99 µs/run | mean µs/run | bytes allocated/run |",
                "|---|---|---|---|---|",
                String.join("\n", rows.stream().sorted().toList()),
                ""));
        System.out.println(table);
        Path out = Path.of(System.getProperty("bench.results", "target/jmh.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, table);
    }

    /**
     * JMH without forks shares one JIT across benchmarks: the first one measured would pay for compiling the whole
     * path. Running every benchmark a while first makes the order not matter.
     */
    private static void warmUpEveryPath() {
        ExecutorBenchmark benchmark = new ExecutorBenchmark();
        benchmark.lookUpBeans();
        for (int i = 0; i < Integer.getInteger("bench.prewarm", 3000); i++) {
            benchmark.planOneStep();
            benchmark.planFiveSteps();
            benchmark.noopOneStep();
            benchmark.noopFiveSteps();
            benchmark.runOneStep();
            benchmark.runFiveSteps();
        }
    }
}
