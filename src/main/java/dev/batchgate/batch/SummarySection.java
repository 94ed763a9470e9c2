package dev.batchgate.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A section a facade adds to its batches' summaries (the LLM facade's usage), kept typed by the run. */
public interface SummarySection {

    /** The section's field in the batch summary. */
    String field();

    /** The section as the summary shows it and the job store keeps it. */
    ObjectNode toJson();
}
