package dev.batchgate.target;

import java.util.Map;

/**
 * The live retunes of the targets ({@code PATCH /v1/targets/{t}}) as the nodes of a cluster share them:
 * kept in the job store, so that a retune on one node applies on every node, restarts included, until it
 * is changed again. The properties give the limits before any retune.
 */
public interface SharedTunings {

    /** A target's retuned limits; null: not retuned (the properties' value); rpm 0: no limit. */
    record Tuning(Integer rpm, Integer concurrency) {
    }

    /** Records a retune of {@code target}; a null limit keeps what an earlier retune set. */
    void save(String target, Integer rpm, Integer concurrency);

    /** Every target retuned so far, by name. */
    Map<String, Tuning> all();
}
