package dev.agentgateway.benchmarks.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (Debian package {@code wrk}) and reads its summary. */
public final class Wrk {
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|90|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)|Error bodies: (\\d+)|Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** What one run measured. */
    public record Result(double requestsPerSecond, double p50Millis, double p90Millis, double p99Millis, String errors) {
    }

    private Wrk() {
    }

    /**
     * @param delayMillis pause each connection makes between requests (0 for none), to hold a rate below saturation
     */
    static Result run(String url, int threads, int connections, int seconds, int delayMillis) throws IOException, InterruptedException {
        return run(url, threads, connections, seconds, delayMillis > 0 ? "function delay() return " + delayMillis + " end\n" : null);
    }

    /** Whether {@code wrk} is on the PATH. */
    public static boolean installed() {
        try {
            Process process = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor();
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @param luaScript a wrk script (method, body, headers, delay), or {@code null} */
    public static Result run(String url, int threads, int connections, int seconds, String luaScript) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency"));
        if (luaScript != null) {
            Path script = Files.createTempFile("wrk-script", ".lua");
            Files.writeString(script, luaScript);
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("wrk failed: " + output);
        }
        Matcher rate = RATE.matcher(output);
        if (!rate.find()) {
            throw new IOException("no Requests/sec in wrk output:\n" + output);
        }
        double p50 = 0;
        double p90 = 0;
        double p99 = 0;
        Matcher percentile = PERCENTILE.matcher(output);
        while (percentile.find()) {
            double value = Double.parseDouble(percentile.group(2)) * switch (percentile.group(3)) {
                case "us" -> 0.001;
                case "ms" -> 1;
                default -> 1000;
            };
            switch (percentile.group(1)) {
                case "50" -> p50 = value;
                case "90" -> p90 = value;
                default -> p99 = value;
            }
        }
        Matcher errors = ERRORS.matcher(output);
        StringBuilder errorText = new StringBuilder();
        while (errors.find()) {
            errorText.append(errors.group()).append("; ");
        }
        return new Result(Double.parseDouble(rate.group(1)), p50, p90, p99, errorText.toString());
    }
}
