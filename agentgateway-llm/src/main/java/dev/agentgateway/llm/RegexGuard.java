package dev.agentgateway.llm;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Masks or rejects text matching patterns, in request messages and in responses. Streams are checked
 * as they flow: text that could be the start of a match is held back until it is known (at most
 * {@link Builder#maxHeldBack} characters), so a masked value never reaches the client even when it is
 * split over several chunks.
 *
 * <pre>{@code
 * RegexGuard.builder()
 *     .mask(RegexGuard.EMAIL)                                           // -> <EMAIL>
 *     .reject(RegexGuard.CARD_NUMBER)                                   // Luhn-checked
 *     .mask(RegexGuard.Detector.of("api_key", "sk-[A-Za-z0-9]{20,}"), "<SECRET>")
 *     .requests(true).responses(true)
 *     .build();
 * }</pre>
 *
 * <p>A rejected request gets 403 in the client's dialect; a rejected response (or stream) is replaced
 * by (or ends with) an error, and the provider's stream is cancelled.
 */
public final class RegexGuard implements LlmGuard {
    /** E-mail addresses. */
    public static final Detector EMAIL = Detector.of("email", "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    /** Payment card numbers: 13 to 19 digits, optionally grouped by spaces or dashes, passing the Luhn check. */
    public static final Detector CARD_NUMBER = new Detector("card_number",
            Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])"), RegexGuard::luhn);

    private final List<Rule> rules;
    private final boolean requests;
    private final boolean responses;
    private final int maxHeldBack;

    private RegexGuard(Builder builder) {
        this.rules = List.copyOf(builder.rules);
        this.requests = builder.requests;
        this.responses = builder.responses;
        this.maxHeldBack = builder.maxHeldBack;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What a rule does with a match. */
    public enum Action {
        /** Replace the match. */
        MASK,
        /** Refuse the whole request or response. */
        REJECT
    }

    /**
     * A named pattern with an optional check of each match (such as the Luhn checksum).
     *
     * @param name names the detector in rejection messages and replacements
     * @param pattern what to look for
     * @param check whether a match really is one
     */
    public record Detector(String name, Pattern pattern, Predicate<String> check) {
        public Detector {
            requireNonNull(name, "name");
            requireNonNull(pattern, "pattern");
            requireNonNull(check, "check");
        }

        /** A detector for a regular expression. */
        public static Detector of(String name, String regex) {
            return new Detector(name, Pattern.compile(regex), match -> true);
        }
    }

    /**
     * One rule of the guard.
     *
     * @param detector what to look for
     * @param action mask or reject
     * @param replacement what a masked match becomes
     */
    public record Rule(Detector detector, Action action, String replacement) {
        public Rule {
            requireNonNull(detector, "detector");
            requireNonNull(action, "action");
            requireNonNull(replacement, "replacement");
        }
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Whether request messages are checked. */
    public boolean requests() {
        return requests;
    }

    /** Whether responses (and streams) are checked. */
    public boolean responses() {
        return responses;
    }

    /** The most characters of a stream held back while a match may be forming. */
    public int maxHeldBack() {
        return maxHeldBack;
    }

    static boolean luhn(String match) {
        int sum = 0;
        boolean doubled = false;
        int digits = 0;
        for (int i = match.length() - 1; i >= 0; i--) {
            char c = match.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
            digits++;
        }
        return digits >= 13 && sum % 10 == 0;
    }

    /** Builds a {@link RegexGuard}. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private boolean requests = true;
        private boolean responses = true;
        private int maxHeldBack = 128;

        private Builder() {
        }

        /** Replaces matches with {@code <NAME>} (the detector's name in upper case). */
        public Builder mask(Detector detector) {
            return mask(detector, "<" + requireNonNull(detector, "detector").name().toUpperCase(java.util.Locale.ROOT) + ">");
        }

        /** Replaces matches with {@code replacement}. */
        public Builder mask(Detector detector, String replacement) {
            rules.add(new Rule(detector, Action.MASK, replacement));
            return this;
        }

        /** Refuses any request or response with a match. */
        public Builder reject(Detector detector) {
            rules.add(new Rule(detector, Action.REJECT, ""));
            return this;
        }

        /** Whether request messages are checked (default true). */
        public Builder requests(boolean enabled) {
            this.requests = enabled;
            return this;
        }

        /** Whether responses and streams are checked (default true). */
        public Builder responses(boolean enabled) {
            this.responses = enabled;
            return this;
        }

        /** The most characters of a stream held back while a match may be forming (default 128). */
        public Builder maxHeldBack(int characters) {
            if (characters < 1) {
                throw new IllegalArgumentException("maxHeldBack must be at least 1: " + characters);
            }
            this.maxHeldBack = characters;
            return this;
        }

        public RegexGuard build() {
            if (rules.isEmpty()) {
                throw new IllegalStateException("a regex guard needs at least one rule (mask or reject)");
            }
            if (!requests && !responses) {
                throw new IllegalStateException("a regex guard must check requests, responses or both");
            }
            return new RegexGuard(this);
        }
    }
}
