package dev.scalpel.core.generate;

import java.util.List;

/**
 * The result of generating from each prompt, in the order of the request.
 *
 * @param sequences per prompt: the prompt's ids followed by the new ids (no padding)
 * @param newTokens per prompt: only the new ids
 * @param texts per prompt: the decoded new ids, cut just after a stop string if one ended it; null without a tokenizer
 * @param reasons per prompt: why it stopped
 */
public record Generation(List<long[]> sequences, List<long[]> newTokens, List<String> texts, List<StopReason> reasons) {

    /** Why a sequence stopped growing. */
    public enum StopReason {
        /** it emitted one of the stop (EOS) token ids */
        STOP_TOKEN,
        /** its text came to contain a stop string */
        STOP_STRING,
        /** it reached the token limit */
        LENGTH
    }
}
