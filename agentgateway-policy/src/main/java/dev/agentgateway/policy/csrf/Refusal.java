package dev.agentgateway.policy.csrf;

/** Why a request was refused; {@link #tag} is the bounded {@code reason} tag of the refusal counter. */
enum Refusal {
    /** The browser said {@code Sec-Fetch-Site: cross-site} or {@code same-site} and the origin is not trusted. */
    CROSS_SITE("sec_fetch_site"),
    /** No {@code Sec-Fetch-Site}; the {@code Origin} is another origin than the request's own and not trusted. */
    ORIGIN_MISMATCH("origin_mismatch"),
    /** No {@code Sec-Fetch-Site}; the {@code Origin} is {@code "null"}, malformed or sent more than once. */
    ORIGIN_INVALID("origin_invalid");

    final String tag;

    Refusal(String tag) {
        this.tag = tag;
    }
}
