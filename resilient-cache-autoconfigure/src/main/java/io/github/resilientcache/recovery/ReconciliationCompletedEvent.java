package io.github.resilientcache.recovery;

import org.springframework.context.ApplicationEvent;

/**
 * Published after every anti-entropy run with what it checked and repaired.
 */
public class ReconciliationCompletedEvent extends ApplicationEvent {

	private final ReconciliationResult result;

	public ReconciliationCompletedEvent(Object source, ReconciliationResult result) {
		super(source);
		this.result = result;
	}

	public ReconciliationResult getResult() {
		return this.result;
	}

}
