package dev.savepoints.query.web.ui;

import dev.savepoints.query.QuerySideProperties;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Who may see the pages: the REST API's setting for reads. Open reads leave them open; closed reads ask a browser
 * for HTTP Basic credentials whose password is one of the API's tokens (the user name is not checked; the token's
 * principal is who reads). The pages only read, so there is no session and no CSRF token. Their Content Security
 * Policy lets only the service's own scripts run: text from a FlinkCluster that escaped the templates would still
 * not execute.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class PageSecurity {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    @Bean
    @Order(1)
    SecurityFilterChain pagesFilterChain(HttpSecurity http, QuerySideProperties properties,
                                         OpaqueTokenIntrospector tokens) throws Exception {
        http.securityMatcher("/", "/ui", "/ui/**", "/webjars/**", "/ui-assets/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .authorizeHttpRequests(requests -> {
                    requests.requestMatchers(HttpMethod.GET, "/webjars/**", "/ui-assets/**").permitAll();
                    if (properties.readsOpen()) {
                        requests.requestMatchers(HttpMethod.GET, "/", "/ui", "/ui/**").permitAll();
                    }
                    requests.anyRequest().authenticated();
                });
        if (!properties.readsOpen()) {
            http.httpBasic(basic -> basic.realmName("savepoint orchestrator"))
                    .authenticationManager(authentication -> {
                        Object password = authentication.getCredentials();
                        try {
                            OAuth2AuthenticatedPrincipal principal = tokens.introspect(
                                    password == null ? "" : password.toString());
                            return UsernamePasswordAuthenticationToken.authenticated(principal.getName(), null,
                                    List.of(new SimpleGrantedAuthority("savepoints:read")));
                        } catch (RuntimeException e) {
                            throw new BadCredentialsException("not a token of this service");
                        }
                    });
        }
        return http.build();
    }
}
