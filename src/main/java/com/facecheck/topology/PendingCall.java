package com.facecheck.topology;

import com.facecheck.contract.VerificationRequest;

/**
 * A request whose result is not yet written: waiting for a permit, in flight, or waiting to be tried again.
 * It holds the photo, so it lives only in the changelogged pending-calls store and is deleted in the same
 * transaction that writes the result.
 *
 * @param receivedAt   the input record's timestamp (epoch ms): results use record time so replays are stable
 * @param attemptsMade calls that already failed in a way worth retrying
 * @param takenAt      wall-clock time (epoch ms) the worker took the request in: the retry deadline counts from it
 * @param dueAt        wall-clock time (epoch ms) before which no new attempt starts; 0 for at once
 */
public record PendingCall(VerificationRequest request, String sourceTopic, int sourcePartition, long sourceOffset,
                          long receivedAt, int replayCount, int attemptsMade, long takenAt, long dueAt) {

    PendingCall retryAt(long due) {
        return new PendingCall(request, sourceTopic, sourcePartition, sourceOffset, receivedAt, replayCount,
                attemptsMade + 1, takenAt, due);
    }

    @Override
    public String toString() {
        return "PendingCall[" + request + ", from " + sourceTopic + "-" + sourcePartition + "@" + sourceOffset
                + ", attemptsMade=" + attemptsMade + "]";
    }
}
