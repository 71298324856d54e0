package io.github.resilientcache.region;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * All regions in failover order: the local region first, then the others in declaration order.
 */
public final class Regions implements AutoCloseable {

	private final List<Region> ordered;

	private final Map<String, Region> byName;

	private final KeySpace keys;

	private final BackgroundThreads threads = new BackgroundThreads();

	/**
	 * Creates the group.
	 * @param regions the regions, local one first
	 * @param keys the key space of this application
	 */
	public Regions(List<Region> regions, KeySpace keys) {
		Assert.notEmpty(regions, "'regions' must not be empty");
		Assert.isTrue(regions.get(0).isLocal(), "The local region must come first");
		this.ordered = List.copyOf(regions);
		Map<String, Region> map = new LinkedHashMap<>();
		regions.forEach((region) -> map.put(region.name(), region));
		this.byName = Collections.unmodifiableMap(map);
		this.keys = keys;
		this.ordered.forEach((region) -> region.useThreads(this.threads));
	}

	/**
	 * The names of every Redis key and channel of this application.
	 * @return the key space
	 */
	public KeySpace keys() {
		return this.keys;
	}

	/**
	 * The owner of every background thread of the starter.
	 * @return the threads
	 */
	public BackgroundThreads threads() {
		return this.threads;
	}

	/**
	 * All regions, local first.
	 * @return the regions in failover order
	 */
	public List<Region> all() {
		return this.ordered;
	}

	public Region local() {
		return this.ordered.get(0);
	}

	public @Nullable Region find(String name) {
		return this.byName.get(name);
	}

	/**
	 * The region of that name.
	 * @param name the name
	 * @return the region
	 * @throws IllegalArgumentException naming the known regions if there is none of that name
	 */
	public Region get(String name) {
		Region region = this.byName.get(name);
		Assert.isTrue(region != null, () -> "No region named '" + name + "'; regions are " + this.byName.keySet());
		return region;
	}

	/**
	 * Shuts down every region's client and every background thread.
	 */
	@Override
	public void close() {
		this.ordered.forEach(Region::close);
		this.threads.close();
	}

	/**
	 * The regions other than the given one, in failover order.
	 * @param region the region to leave out
	 * @return the others
	 */
	public List<Region> others(Region region) {
		List<Region> others = new ArrayList<>(this.ordered.size() - 1);
		for (Region candidate : this.ordered) {
			if (candidate != region) {
				others.add(candidate);
			}
		}
		return others;
	}

}
