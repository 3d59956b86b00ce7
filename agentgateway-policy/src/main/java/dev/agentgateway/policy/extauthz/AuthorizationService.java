package dev.agentgateway.policy.extauthz;

import dev.agentgateway.core.Exchange;

/** One transport to the authorization service, bound to one gateway. */
interface AuthorizationService extends AutoCloseable {

    /**
     * Asks the service about the exchange.
     *
     * @throws Exception when the service cannot be reached, is too slow or answers something unusable:
     *     a failure, decided by the failure mode, never a denial
     */
    Verdict check(Exchange exchange, CheckFacts facts) throws Exception;

    @Override
    void close() throws Exception;
}
