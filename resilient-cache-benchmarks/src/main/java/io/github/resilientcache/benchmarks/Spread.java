package io.github.resilientcache.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A figure over the rounds of an interleaved benchmark: the median of the per-round values and their
 * range. Every benchmark that reports rounds reports them through this.
 * @param median median
 * @param min smallest
 * @param max largest
 */
record Spread(double median, double min, double max) {

	/**
	 * @param values per-round values; values that are not finite (a round with no baseline call) are left out
	 * @return their median and range, NaN when none is finite
	 */
	static Spread of(double... values) {
		double[] sorted = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
		if (sorted.length == 0) {
			return new Spread(Double.NaN, Double.NaN, Double.NaN);
		}
		int n = sorted.length;
		double median = (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
		return new Spread(median, sorted[0], sorted[n - 1]);
	}

	static Spread of(List<Double> values) {
		return of(values.stream().mapToDouble(Double::doubleValue).toArray());
	}

	/**
	 * @param values a contender's per-round values
	 * @param baseline the baseline's values of the same rounds
	 * @return the per-round ratios' median and range
	 */
	static Spread ofRatios(double[] values, double[] baseline) {
		double[] ratios = new double[values.length];
		for (int i = 0; i < values.length; i++) {
			ratios[i] = values[i] / baseline[i];
		}
		return of(ratios);
	}

	static double median(double... values) {
		return of(values).median();
	}

	/** As in the tables: {@code 1.23 (0.98-1.40)}. */
	String ratio() {
		return format("%.2f");
	}

	/**
	 * @param pattern the format of one number, e.g. {@code %.2f}
	 * @return median (min-max) in that format
	 */
	String format(String pattern) {
		return String.format(Locale.ROOT, pattern + " (" + pattern + "-" + pattern + ")", this.median, this.min, this.max);
	}

}
