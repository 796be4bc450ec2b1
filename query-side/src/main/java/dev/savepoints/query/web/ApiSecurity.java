package dev.savepoints.query.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.query.QuerySideProperties;
import jakarta.servlet.DispatcherType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Who may call the REST API: health and the API description are open, reads are open unless configured
 * otherwise, writes need a bearer token from {@link QuerySideProperties#tokens()}; the token's principal is the
 * actor recorded with what it asked. Failures answer 401 with a problem+json body.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(QuerySideProperties.class)
public class ApiSecurity {

    private static final Logger log = LoggerFactory.getLogger(ApiSecurity.class);

    @Bean
    SecurityFilterChain apiFilterChain(HttpSecurity http, QuerySideProperties properties, ObjectMapper json,
                                    OpaqueTokenIntrospector tokens) throws Exception {
        log.info("REST API: reads {}, writes with a bearer token of {} configured principal(s)",
                properties.readsOpen() ? "open" : "need a token", properties.tokens().size());
        AuthenticationEntryPoint unauthorized = (request, response, e) -> {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                    "a valid bearer token is needed (Authorization: Bearer <token>)");
            problem.setTitle("Unauthorized");
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            response.setHeader("WWW-Authenticate", "Bearer");
            response.setContentType("application/problem+json");
            response.getOutputStream().write(json.writeValueAsBytes(problem));
        };
        http.csrf(csrf -> csrf.disable()) // no cookies or sessions: tokens only
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> {
                    // the error page of a request that was let in (its status is the request's, not a 401)
                    requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    requests.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                            "/actuator/prometheus").permitAll();
                    requests.requestMatchers(HttpMethod.GET, "/api/v1/openapi", "/api/v1/openapi/**",
                            "/swagger-ui.html", "/swagger-ui/**").permitAll();
                    if (properties.readsOpen()) {
                        requests.requestMatchers(HttpMethod.GET, "/api/**").permitAll();
                    }
                    requests.anyRequest().authenticated();
                })
                .exceptionHandling(handling -> handling.authenticationEntryPoint(unauthorized))
                .oauth2ResourceServer(server -> server
                        .authenticationEntryPoint(unauthorized)
                        .opaqueToken(opaque -> opaque.introspector(tokens)));
        return http.build();
    }

    /** A request the firewall refuses (an encoded '.', '/', '%' or NUL in the path: traversal) gets a problem too. */
    @Bean
    RequestRejectedHandler problemForRejectedRequests(ObjectMapper json) {
        return (request, response, e) -> {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
            problem.setTitle("Request rejected");
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType("application/problem+json");
            response.getOutputStream().write(json.writeValueAsBytes(problem));
        };
    }

    /**
     * Tomcat's own refusals are problems too: an encoded '/' in the path reaches the firewall (which refuses it
     * with a problem) instead of Tomcat's HTML page, and what Tomcat refuses before any filter (a NUL in the path)
     * is reported by {@link ProblemErrorReportValve}.
     */
    @Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
    static class TomcatProblems {
        @Bean
        org.springframework.boot.web.server.WebServerFactoryCustomizer<
                org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory> tomcatProblems() {
            return factory -> {
                factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling(
                        org.apache.tomcat.util.buf.EncodedSolidusHandling.PASS_THROUGH.getValue()));
                factory.addContextCustomizers(context -> {
                    if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
                        host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                    } else {
                        log.warn("Tomcat's host not found: its own error pages stay HTML");
                    }
                });
            };
        }
    }

    /**
     * Tokens are compared in constant time; none is ever logged. (As a bean it also keeps Spring Boot from
     * creating a default user with a generated password.)
     */
    @Bean
    OpaqueTokenIntrospector configuredTokens(QuerySideProperties properties) {
        return token -> {
            byte[] offered = token.getBytes(StandardCharsets.UTF_8);
            String principal = null;
            for (Map.Entry<String, String> entry : properties.tokens().entrySet()) {
                if (MessageDigest.isEqual(offered, entry.getValue().getBytes(StandardCharsets.UTF_8))) {
                    principal = entry.getKey();
                }
            }
            if (principal == null) {
                throw new BadOpaqueTokenException("unknown token");
            }
            OAuth2AuthenticatedPrincipal authenticated = new OAuth2IntrospectionAuthenticatedPrincipal(principal,
                    Map.of("sub", principal), List.of(new SimpleGrantedAuthority("savepoints:write")));
            return authenticated;
        };
    }
}
