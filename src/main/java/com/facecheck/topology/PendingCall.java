package com.facecheck.topology;

import com.facecheck.contract.VerificationRequest;

/**
 * A request whose provider call has started but whose result is not yet written. It holds the photo, so it
 * lives only in the changelogged pending-calls store and is deleted in the same transaction that writes
 * the result.
 *
 * @param receivedAt the input record's timestamp (epoch ms): results use record time so replays are stable
 */
public record PendingCall(VerificationRequest request, String sourceTopic, int sourcePartition, long sourceOffset,
                          long receivedAt, int replayCount, int attempts) {

    @Override
    public String toString() {
        return "PendingCall[" + request + ", from " + sourceTopic + "-" + sourcePartition + "@" + sourceOffset
                + ", attempts=" + attempts + "]";
    }
}
