package dev.batchgate.batch;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Folds each finished item of the split into its batch's live summary. Stateless: the state lives
 * in the {@link BatchRun} carried by every item exchange, and the folding rules in
 * {@link SummaryRules}.
 */
public final class SummaryAggregationStrategy implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange summary, Exchange item) {
        BatchRun run = item.getProperty(BatchFlow.RUN_PROPERTY, BatchRun.class);
        ItemResult result = item.getMessage().getBody(ItemResult.class);
        if (run != null && result != null) {
            SummaryRules.fold(run, result, item.getProperty(BatchFlow.FINISH_SEQ_PROPERTY, 0, Integer.class));
        }
        return summary == null ? item : summary;
    }
}
