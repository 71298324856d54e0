package io.github.resilientcache.sample.demo;

import java.util.List;
import java.util.Map;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.sample.embedded.EmbeddedRedisRecoveryAction;
import io.github.resilientcache.sample.embedded.EmbeddedRedisRegions;
import io.github.resilientcache.sample.embedded.ServerState;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Fails and restores the embedded regions' Redis servers, for demos and game days
 * ({@code demo} profile). Each call acts on the server only: what the cache makes of it (the
 * region going OPEN, then RECOVERING and UP again) is the starter's doing, visible in the
 * answer's {@code state}, in {@code /actuator/health} and on the dashboard's live stream.
 * <ul>
 * <li>{@code stop}: the server exits; connections are refused (a crash, a lost host).</li>
 * <li>{@code hang}: the server is frozen with SIGSTOP; connections are accepted and nothing is
 * answered (the failure that only shows as timeouts).</li>
 * <li>{@code restore}: a hung server continues; a stopped one restarts empty on its port.</li>
 * </ul>
 * Reads the cache's view of the regions through the starter's {@code Regions} bean.
 */
@RestController
@RequestMapping("/demo/regions")
@Profile("demo")
public class DemoRegionController {

	private final Regions regions;

	private final ObjectProvider<EmbeddedRedisRegions> embedded;

	private final boolean autoHeal;

	public DemoRegionController(Regions regions, ObjectProvider<EmbeddedRedisRegions> embedded,
			@Value("${" + EmbeddedRedisRecoveryAction.ENABLED_PROPERTY + ":false}") boolean autoHeal) {
		this.regions = regions;
		this.embedded = embedded;
		this.autoHeal = autoHeal;
	}

	@GetMapping
	public List<RegionView> all() {
		return this.regions.all().stream().map(this::view).toList();
	}

	@GetMapping("/{name}")
	public RegionView get(@PathVariable String name) {
		return view(region(name));
	}

	@PostMapping("/{name}/stop")
	public RegionView stop(@PathVariable String name) {
		Region region = region(name);
		embedded().stop(name);
		return view(region);
	}

	@PostMapping("/{name}/hang")
	public RegionView hang(@PathVariable String name) {
		Region region = region(name);
		EmbeddedRedisRegions servers = embedded();
		if (servers.state(name) != ServerState.RUNNING) {
			throw problem(HttpStatus.CONFLICT, "Region not running",
					"The Redis server of region '" + name + "' is " + servers.state(name) + ": restore it before hanging it.");
		}
		servers.hang(name);
		return view(region);
	}

	/**
	 * The demo's auto-heal over HTTP: receives the fleet webhook of another sample instance
	 * ({@code resilient-cache.fleet.webhook.url}) and restores the failed region's server here, when
	 * {@code sample.auto-heal.enabled}.
	 * @param payload the webhook's body: {@code event} and {@code incident}
	 * @return whether a server was restored
	 */
	@PostMapping("/heal")
	public Map<String, Object> heal(@RequestBody Map<String, Object> payload) {
		Object incident = payload.get("incident");
		if (!this.autoHeal || !"region-failed".equals(payload.get("event")) || !(incident instanceof Map<?, ?> fields)
				|| !(fields.get("region") instanceof String name)) {
			return Map.of("restored", false);
		}
		region(name);
		return Map.of("restored", EmbeddedRedisRecoveryAction.heal(embedded(), name, String.valueOf(fields.get("id"))));
	}

	@PostMapping("/{name}/restore")
	public RegionView restore(@PathVariable String name) {
		Region region = region(name);
		embedded().restore(name);
		return view(region);
	}

	private Region region(String name) {
		Region region = this.regions.find(name);
		if (region == null) {
			throw problem(HttpStatus.NOT_FOUND, "Region not found",
					"No region named '" + name + "'; regions are " + this.regions.all().stream().map(Region::name).toList() + ".");
		}
		return region;
	}

	private EmbeddedRedisRegions embedded() {
		EmbeddedRedisRegions servers = this.embedded.getIfAvailable();
		if (servers == null) {
			throw problem(HttpStatus.CONFLICT, "Regions not embedded",
					"Region controls act on the embedded Redis servers, and this instance uses external ones "
							+ "(sample.embedded-redis.enabled=false). Use /actuator/resilientcache to take a region offline.");
		}
		return servers;
	}

	private RegionView view(Region region) {
		EmbeddedRedisRegions servers = this.embedded.getIfAvailable();
		@Nullable ServerState server = (servers != null && servers.regions().contains(region.name())) ? servers.state(region.name()) : null;
		return RegionView.of(region, server);
	}

	private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

}
