package dev.stepwise.serve.client;

/**
 * Outcome score of one {@link OrmItem}.
 *
 * @param score float32 score in [0, 1]
 * @param computedTokens tokens the model ran for this item
 */
public record OrmResult(float score, int computedTokens) {}
