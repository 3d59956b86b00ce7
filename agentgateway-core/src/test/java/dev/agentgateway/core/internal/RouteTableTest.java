package dev.agentgateway.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.agentgateway.core.DirectResponse;
import dev.agentgateway.core.Route;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.Test;

/** Which route wins when several match: the precedence documented on {@link Route}. */
class RouteTableTest {
    private static final DirectResponse OK = DirectResponse.of(200, "ok");

    private static RouteTable<String> table(Route.Builder... routes) {
        List<RouteTable.Entry<String>> entries = new ArrayList<>();
        for (int i = 0; i < routes.length; i++) {
            Route route = routes[i].backend(OK).build();
            entries.add(new RouteTable.Entry<>(route, route.name(), i));
        }
        return new RouteTable<>(entries);
    }

    private static String winner(RouteTable<String> table, String method, String host, String path) {
        return winner(table, method, host, path, HttpFields.EMPTY, null);
    }

    private static String winner(RouteTable<String> table, String method, String host, String path, HttpFields headers, Fields query) {
        RouteTable.Match<String> match = table.match(method, host, path, headers, query);
        return match == null ? null : match.value();
    }

    @Test
    void exactPathBeatsTemplateRegexAndPrefix() {
        RouteTable<String> table = table(
                Route.builder("prefix").pathPrefix("/users"),
                Route.builder("regex").pathRegex("/users/[a-z]+"),
                Route.builder("template").pathTemplate("/users/{id}"),
                Route.builder("exact").path("/users/me"));
        assertThat(winner(table, "GET", "h", "/users/me")).isEqualTo("exact");
        assertThat(winner(table, "GET", "h", "/users/bob")).isEqualTo("template");
        assertThat(winner(table, "GET", "h", "/users/bob/x")).isEqualTo("prefix");
    }

    @Test
    void regexBeatsPrefix() {
        RouteTable<String> table = table(Route.builder("prefix").pathPrefix("/files"), Route.builder("regex").pathRegex("/files/.*\\.png"));
        assertThat(winner(table, "GET", "h", "/files/a.png")).isEqualTo("regex");
        assertThat(winner(table, "GET", "h", "/files/a.txt")).isEqualTo("prefix");
    }

    @Test
    void longestPrefixWins() {
        RouteTable<String> table = table(Route.builder("root").pathPrefix("/"), Route.builder("api").pathPrefix("/api"),
                Route.builder("v1").pathPrefix("/api/v1"));
        assertThat(winner(table, "GET", "h", "/api/v1/x")).isEqualTo("v1");
        assertThat(winner(table, "GET", "h", "/api/v2")).isEqualTo("api");
        assertThat(winner(table, "GET", "h", "/other")).isEqualTo("root");
    }

    @Test
    void prefixMatchesAtSegmentBoundariesOnly() {
        RouteTable<String> table = table(Route.builder("api").pathPrefix("/api/"));
        assertThat(winner(table, "GET", "h", "/api")).isEqualTo("api");
        assertThat(winner(table, "GET", "h", "/api/x")).isEqualTo("api");
        assertThat(winner(table, "GET", "h", "/apix")).isNull();
    }

    @Test
    void templateWithMoreLiteralTextWins() {
        RouteTable<String> table = table(Route.builder("generic").pathTemplate("/{kind}/{id}"),
                Route.builder("users").pathTemplate("/users/{id}"));
        assertThat(winner(table, "GET", "h", "/users/7")).isEqualTo("users");
        assertThat(winner(table, "GET", "h", "/teams/7")).isEqualTo("generic");
    }

    @Test
    void templateCapturesSegmentsAndTheRest() {
        RouteTable<String> table = table(Route.builder("files").pathTemplate("/repos/{owner}/files/{*path}"));
        RouteTable.Match<String> match = table.match("GET", "h", "/repos/acme/files/src/Main.java", HttpFields.EMPTY, null);
        assertThat(match.pathParameters()).containsExactly(Map.entry("owner", "acme"), Map.entry("path", "src/Main.java"));
    }

    @Test
    void exactHostBeatsWildcardBeatsAnyHost() {
        RouteTable<String> table = table(Route.builder("any").pathPrefix("/"),
                Route.builder("wild").host("*.example.com").pathPrefix("/"),
                Route.builder("deeper").host("*.api.example.com").pathPrefix("/"),
                Route.builder("exact").host("www.example.com").pathPrefix("/"));
        assertThat(winner(table, "GET", "www.example.com", "/")).isEqualTo("exact");
        assertThat(winner(table, "GET", "Shop.Example.com", "/")).isEqualTo("wild");
        assertThat(winner(table, "GET", "v1.api.example.com", "/")).isEqualTo("deeper");
        assertThat(winner(table, "GET", "example.com", "/")).isEqualTo("any");
    }

    @Test
    void hostWinsOverPathSpecificity() {
        RouteTable<String> table = table(Route.builder("exactPath").path("/x"), Route.builder("hosted").host("a.test").pathPrefix("/"));
        assertThat(winner(table, "GET", "a.test", "/x")).isEqualTo("hosted");
    }

    @Test
    void methodConditionBeatsNone() {
        RouteTable<String> table = table(Route.builder("any").pathPrefix("/api"), Route.builder("post").pathPrefix("/api").method("POST"));
        assertThat(winner(table, "POST", "h", "/api")).isEqualTo("post");
        assertThat(winner(table, "GET", "h", "/api")).isEqualTo("any");
    }

    @Test
    void moreHeaderConditionsWinThenMoreQueryConditions() {
        RouteTable<String> table = table(
                Route.builder("plain").pathPrefix("/"),
                Route.builder("oneHeader").pathPrefix("/").header("X-Env", "beta"),
                Route.builder("twoHeaders").pathPrefix("/").header("X-Env", "beta").headerRegex("X-User", "u[0-9]+"),
                Route.builder("query").pathPrefix("/").header("X-Env", "beta").queryParameter("debug", "1"));
        HttpFields beta = HttpFields.build().add("X-Env", "beta");
        HttpFields betaUser = HttpFields.build().add("x-env", "beta").add("X-User", "u42");
        Fields debug = new Fields();
        debug.add("debug", "1");
        assertThat(winner(table, "GET", "h", "/", HttpFields.EMPTY, null)).isEqualTo("plain");
        assertThat(winner(table, "GET", "h", "/", beta, null)).isEqualTo("oneHeader");
        assertThat(winner(table, "GET", "h", "/", betaUser, null)).isEqualTo("twoHeaders");
        assertThat(winner(table, "GET", "h", "/", beta, debug)).isEqualTo("query");
    }

    @Test
    void declarationOrderBreaksTies() {
        RouteTable<String> table = table(Route.builder("first").pathPrefix("/").headerPresent("A"),
                Route.builder("second").pathPrefix("/").headerPresent("B"));
        assertThat(winner(table, "GET", "h", "/", HttpFields.build().add("A", "1").add("B", "1"), null)).isEqualTo("first");
    }

    @Test
    void noMatchGivesNull() {
        RouteTable<String> table = table(Route.builder("api").path("/api").method("GET"));
        assertThat(winner(table, "POST", "h", "/api")).isNull();
        assertThat(winner(table, "GET", "h", "/other")).isNull();
    }
}
