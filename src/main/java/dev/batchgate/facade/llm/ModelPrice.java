package dev.batchgate.facade.llm;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** A model's list price in USD per million input and output tokens ({@code batchgate.llm.prices.<model>=in,out}). */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {

    public static final ModelPrice FREE = new ModelPrice(BigDecimal.ZERO, BigDecimal.ZERO);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    /** Cost is kept to 12 decimals: a single token of the cheapest model still counts. */
    public static final int COST_SCALE = 12;

    public static ModelPrice parse(String model, String text) {
        String[] parts = text.split(",");
        if (parts.length != 2) {
            throw new IllegalArgumentException("batchgate.llm.prices." + model + " must be 'input,output' USD per million tokens, got '"
                    + text + "'");
        }
        try {
            BigDecimal in = new BigDecimal(parts[0].trim());
            BigDecimal out = new BigDecimal(parts[1].trim());
            if (in.signum() < 0 || out.signum() < 0) {
                throw new NumberFormatException();
            }
            return new ModelPrice(in, out);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("batchgate.llm.prices." + model + " must be two non-negative numbers, got '" + text + "'");
        }
    }

    /** The estimated cost in USD of one call with these token counts. */
    public BigDecimal cost(long inputTokens, long outputTokens) {
        BigDecimal total = inputPerMillion.multiply(BigDecimal.valueOf(inputTokens))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(outputTokens)));
        return total.divide(MILLION, COST_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
    }
}
