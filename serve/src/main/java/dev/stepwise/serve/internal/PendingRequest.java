package dev.stepwise.serve.internal;

import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One admitted scoring request on its way through the batcher: its inputs, the scores that have arrived, its
 * deadline and timing. Batcher threads fill in scores; the outcome is delivered once, on the Vert.x context of the
 * HTTP request.
 */
public final class PendingRequest {

    private final Context context;
    private final long arrivalNanos;
    private final long deadlineNanos;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile boolean cancelled;
    private volatile Consumer<PendingRequest> onSuccess;
    private volatile Consumer<ApiException> onFailure;

    private List<ScoringInput> inputs = List.of();
    private float[][] scores;
    private int[] computedTokens;
    private int[] reusedTokens;
    private volatile long tokenizedNanos;
    private volatile long firstBatchStartNanos;
    private volatile long lastBatchEndNanos;

    public PendingRequest(Context context, long arrivalNanos, long timeoutNanos) {
        this.context = context;
        this.arrivalNanos = arrivalNanos;
        this.deadlineNanos = arrivalNanos + timeoutNanos;
    }

    /** Sets the callbacks; each runs on the request's context, and only one of them runs, once. */
    public void onOutcome(Consumer<PendingRequest> success, Consumer<ApiException> failure) {
        this.onSuccess = success;
        this.onFailure = failure;
    }

    /**
     * Stores the tokenized inputs; called once, before the request is queued. Inputs without score positions (a text
     * with no step tag) get an empty score array now and never reach the model.
     */
    public void setInputs(List<ScoringInput> tokenized, long nowNanos) {
        this.inputs = List.copyOf(tokenized);
        this.scores = new float[tokenized.size()][];
        this.computedTokens = new int[tokenized.size()];
        this.reusedTokens = new int[tokenized.size()];
        int toScore = 0;
        for (int i = 0; i < tokenized.size(); i++) {
            if (tokenized.get(i).scorePositions().length == 0) {
                scores[i] = new float[0];
            } else {
                toScore++;
            }
        }
        this.remaining.set(toScore);
        this.tokenizedNanos = nowNanos;
    }

    /** Whether item {@code index} has score positions and so must be run by the model. */
    public boolean needsScoring(int index) {
        return inputs.get(index).scorePositions().length > 0;
    }

    /** Items that must be run by the model. */
    public int itemsToScore() {
        return (int) inputs.stream().filter(input -> input.scorePositions().length > 0).count();
    }

    public List<ScoringInput> inputs() {
        return inputs;
    }

    /**
     * Returns whether the client went away, the deadline passed or the outcome was already sent, so that the work can
     * be skipped.
     */
    public boolean isAbandoned(long nowNanos) {
        return cancelled || finished.get() || nowNanos - deadlineNanos >= 0;
    }

    public boolean isPastDeadline(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    /** Marks the request as no longer wanted (client disconnected); queued items are dropped. */
    public void cancel() {
        cancelled = true;
    }

    /** Records that a batch holding one of this request's items starts now. */
    public void batchStarted(long nowNanos) {
        if (firstBatchStartNanos == 0) {
            firstBatchStartNanos = nowNanos;
        }
    }

    public void batchEnded(long nowNanos) {
        lastBatchEndNanos = nowNanos;
    }

    /**
     * Stores the scores of item {@code index}; the last item delivers the success outcome. A non-finite or out-of-range
     * score fails the request instead, because such a value must never reach JSON.
     */
    public void completeItem(int index, float[] itemScores, int computed, int reused) {
        for (int j = 0; j < itemScores.length; j++) {
            float score = itemScores[j];
            if (!Float.isFinite(score)) {
                fail(new ApiException(ErrorType.NON_FINITE_SCORE, "the model produced a non-finite score (" + score
                        + ") for item " + index + " at score position " + j + "; no scores are returned for it"));
                return;
            }
            if (score < 0f || score > 1f) {
                fail(new ApiException(ErrorType.BACKEND_ERROR, "the model produced a score outside [0, 1] (" + score
                        + ") for item " + index + " at score position " + j + "; this is a bug in the model head"));
                return;
            }
        }
        scores[index] = itemScores;
        computedTokens[index] = computed;
        reusedTokens[index] = reused;
        if (remaining.decrementAndGet() == 0) {
            succeed();
        }
    }

    /** Delivers the success outcome of a request none of whose items needs the model. */
    public void succeedWithoutScoring() {
        succeed();
    }

    /** Delivers an error outcome unless an outcome was already delivered. */
    public void fail(ApiException error) {
        if (finished.compareAndSet(false, true)) {
            context.runOnContext(v -> onFailure.accept(error));
        }
    }

    private void succeed() {
        if (finished.compareAndSet(false, true)) {
            context.runOnContext(v -> onSuccess.accept(this));
        }
    }

    public float[] scores(int index) {
        return scores[index];
    }

    public int computedTokens(int index) {
        return computedTokens[index];
    }

    public int reusedTokens(int index) {
        return reusedTokens[index];
    }

    public long arrivalNanos() {
        return arrivalNanos;
    }

    /** Milliseconds spent parsing and tokenizing, 0 before tokenization ends. */
    public double tokenizeMillis() {
        return tokenizedNanos == 0 ? 0 : (tokenizedNanos - arrivalNanos) / 1e6;
    }

    /** Milliseconds from the end of tokenization to the start of the first batch holding one of the items. */
    public double queueMillis() {
        return tokenizedNanos == 0 || firstBatchStartNanos == 0 ? 0 : (firstBatchStartNanos - tokenizedNanos) / 1e6;
    }

    /** Milliseconds from the start of the first batch holding one of the items to the end of the last. */
    public double inferenceMillis() {
        return firstBatchStartNanos == 0 || lastBatchEndNanos == 0 ? 0 : (lastBatchEndNanos - firstBatchStartNanos) / 1e6;
    }
}
