package io.github.resilientcache.sample.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;

/**
 * The application as the README's command runs it (no configuration: embedded Redis regions,
 * embedded H2, the {@code demo} profile named on the command line) on a real server on a random
 * port. Every end-to-end test class uses
 * this one configuration, so that they share one running application (Spring's test context
 * cache) and the module's tests stay fast.
 * <p>
 * The only change: failed regions are probed every 200 ms instead of every second, so that a
 * failback takes under a second instead of about 3.3 s.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "resilient-cache.probe.interval=200ms", "resilient-cache.probe.jitter=50ms" })
@ActiveProfiles("demo")
public @interface PaymentAppTest {

}
