package io.github.resilientcache.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by this JVM and by other processes (the benchmark's Redis servers), in
 * seconds. On a shared machine the CPU a piece of work costs is steadier than its wall-clock time:
 * other builds delay it, they do not make it use more CPU.
 */
final class CpuTime {

	/** Linux's clock ticks per second for /proc/PID/stat ({@code getconf CLK_TCK}: 100 on every common kernel). */
	private static final double TICKS_PER_SECOND = 100;

	private CpuTime() {
	}

	static double ofThisProcess() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
	}

	/**
	 * @param pid a process of this machine
	 * @return its user and system CPU seconds, {@code 0} where /proc is not available
	 */
	static double of(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// The command name, in parentheses, may hold spaces: count fields after its closing one.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

}
