package dev.agentgateway.policy.cedar;

import com.cedarpolicy.model.exception.InternalException;
import com.cedarpolicy.model.schema.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The schema policies are validated against: the module's entity model
 * ({@code agentgateway.cedarschema}, next to this class) and the gateway's extension. The extension
 * may declare {@code type Arguments = {...}}, the tool arguments policies read; without it, Arguments
 * is an empty record, and a policy that reads an argument draws Cedar's "impossible policy" warning.
 */
final class CedarSchema {
    static final String RESOURCE = "agentgateway.cedarschema";
    private static final Pattern DECLARES_ARGUMENTS = Pattern.compile("(?m)^\\s*type\\s+Arguments\\s*=");

    private CedarSchema() {
    }

    /** The module's schema text, without the extension. */
    static String base() {
        try (InputStream in = CedarSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the agentgateway-policy jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses the module's schema with {@code extension} appended.
     *
     * @throws IllegalArgumentException with Cedar's message when the extension does not parse or clashes
     */
    static Schema parse(String extension) {
        StringBuilder text = new StringBuilder(base()).append('\n');
        if (!DECLARES_ARGUMENTS.matcher(extension).find()) {
            text.append("type Arguments = {};\n");
        }
        text.append(extension);
        try {
            Schema schema = Schema.parse(Schema.JsonOrCedar.Cedar, text.toString());
            schema.cache();
            return schema;
        } catch (InternalException e) {
            throw new IllegalArgumentException("the Cedar schema (with the gateway's extension) does not parse: "
                    + String.join("; ", e.getErrors()), e);
        } catch (Exception e) {
            throw new IllegalArgumentException("the Cedar schema could not be loaded: " + e.getMessage(), e);
        }
    }
}
