package io.github.resilientcache.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A payment service whose account reads go through resilient-cache. Nothing here configures the
 * cache: the starter, the regions in {@code application.yml} and {@code @Cacheable} are all it takes.
 */
@SpringBootApplication
public class SamplePaymentApplication {

	public static void main(String[] args) {
		SpringApplication.run(SamplePaymentApplication.class, args);
	}

}
