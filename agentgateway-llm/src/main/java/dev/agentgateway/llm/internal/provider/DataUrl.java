package dev.agentgateway.llm.internal.provider;

/**
 * A {@code data:<media type>;base64,<data>} URL split into its parts, as providers that take inline
 * images want them.
 *
 * @param mediaType such as {@code image/png}
 * @param data the base64 text
 */
public record DataUrl(String mediaType, String data) {

    /** Parses a base64 data URL, or returns {@code null} for any other URL. */
    public static DataUrl parse(String url) {
        if (url == null || !url.startsWith("data:")) {
            return null;
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            return null;
        }
        String meta = url.substring(5, comma);
        if (!meta.endsWith(";base64")) {
            return null;
        }
        String mediaType = meta.substring(0, meta.length() - ";base64".length());
        return new DataUrl(mediaType.isEmpty() ? "application/octet-stream" : mediaType, url.substring(comma + 1));
    }

    public String url() {
        return "data:" + mediaType + ";base64," + data;
    }
}
