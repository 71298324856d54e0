package io.github.resilientcache.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class one embedded Redis per named region, optionally each behind a {@link ChaosProxy}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisRegions regions = RedisRegions.named("east", "west");
 * }</pre>
 *
 * Servers start once per class (in parallel) and are closed after it; before each test every server is reset to running,
 * resumed, not client-paused and empty, and every proxy to {@link ChaosProxy#pass()}, so tests are independent. Ports stay
 * the same for the whole class. Must be registered on a static field; nested classes share the outer class's servers.
 */
public final class RedisRegions implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private static final Pattern REGION_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String PROPERTY_PREFIX = "resilient-cache.regions.";

    private final List<String> names;
    private final boolean proxied;
    private final Map<String, EmbeddedRedis> servers = new LinkedHashMap<>();
    private final Map<String, ChaosProxy> proxies = new LinkedHashMap<>();
    private String ownerContextId;

    private RedisRegions(List<String> names, boolean proxied) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("RedisRegions needs at least one region name");
        }
        if (new LinkedHashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("Region names must be distinct: " + names);
        }
        names.forEach(name -> {
            if (!REGION_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Region name '" + name + "' must match " + REGION_NAME + " (it becomes a property key)");
            }
        });
        this.names = List.copyOf(names);
        this.proxied = proxied;
    }

    /** One embedded Redis per region; {@link #address(String)} is the server itself. */
    public static RedisRegions named(String... names) {
        return new RedisRegions(Arrays.asList(names), false);
    }

    /** One embedded Redis per region behind a {@link ChaosProxy}; {@link #address(String)} is the proxy. */
    public static RedisRegions withProxies(String... names) {
        return new RedisRegions(Arrays.asList(names), true);
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (ownerContextId != null) {
            // A @Nested class: the enclosing class's servers are already up.
            return;
        }
        List<Supplier<EmbeddedRedis>> starters = new ArrayList<>();
        names.forEach(name -> starters.add(() -> EmbeddedRedis.start(name)));
        List<EmbeddedRedis> started = Parallel.startAll("redis-regions-start", starters);
        for (int i = 0; i < names.size(); i++) {
            servers.put(names.get(i), started.get(i));
        }
        try {
            if (proxied) {
                names.forEach(name -> proxies.put(name, ChaosProxy.start(name, servers.get(name).port())));
            }
        }
        catch (RuntimeException ex) {
            closeAll();
            throw ex;
        }
        ownerContextId = context.getUniqueId();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(ownerContextId)) {
            closeAll();
            ownerContextId = null;
        }
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        requireStarted();
        proxies.values().forEach(ChaosProxy::pass);
        servers.values().forEach(EmbeddedRedis::reset);
    }

    /** The region's server (always the server itself, even with proxies). */
    public synchronized EmbeddedRedis get(String name) {
        requireStarted();
        return require(servers, name);
    }

    /** The region's proxy; only for {@link #withProxies}. */
    public synchronized ChaosProxy proxy(String name) {
        requireStarted();
        if (!proxied) {
            throw new IllegalStateException("Regions " + names + " have no proxies: create them with RedisRegions.withProxies(...)");
        }
        return require(proxies, name);
    }

    /** The address clients should use: the proxy's with {@link #withProxies}, else the server's. */
    public synchronized String address(String name) {
        return proxied ? proxy(name).address() : get(name).address();
    }

    /** Region name to {@link #address(String)}, in declaration order. */
    public synchronized Map<String, String> addresses() {
        Map<String, String> addresses = new LinkedHashMap<>();
        names.forEach(name -> addresses.put(name, address(name)));
        return Collections.unmodifiableMap(addresses);
    }

    /** The region names, in declaration order. */
    public List<String> names() {
        return names;
    }

    /** {@code resilient-cache.regions.<name>.address=<address>} per region, for {@code ApplicationContextRunner.withPropertyValues}. */
    public synchronized String[] properties() {
        return names.stream().map(name -> PROPERTY_PREFIX + name + ".address=" + address(name)).toArray(String[]::new);
    }

    @Override
    public synchronized String toString() {
        return "RedisRegions" + (ownerContextId == null ? names : addresses());
    }

    private void requireStarted() {
        if (ownerContextId == null) {
            throw new IllegalStateException("RedisRegions " + names + " are not started: register the extension on a static "
                    + "@RegisterExtension field and use it from tests or @BeforeEach methods");
        }
    }

    private <T> T require(Map<String, T> byName, String name) {
        T value = byName.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Unknown region '" + name + "'; regions are " + names);
        }
        return value;
    }

    private void closeAll() {
        RuntimeException failure = null;
        for (AutoCloseable closeable : concat(proxies.values(), servers.values())) {
            try {
                closeable.close();
            }
            catch (Exception ex) {
                RuntimeException runtime = ex instanceof RuntimeException r ? r : new IllegalStateException(ex);
                failure = failure == null ? runtime : failure;
            }
        }
        proxies.clear();
        servers.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private static List<AutoCloseable> concat(Iterable<? extends AutoCloseable> first, Iterable<? extends AutoCloseable> second) {
        List<AutoCloseable> all = new ArrayList<>();
        first.forEach(all::add);
        second.forEach(all::add);
        return all;
    }
}
