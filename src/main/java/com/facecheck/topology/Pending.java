package com.facecheck.topology;

/**
 * A request of a person whose result is not yet written. The photo is kept apart, in the pending-photos
 * store, so that the request's state can change without writing the photo to the changelog again.
 *
 * @param seq            arrival order in the task: a person's requests are served in this order, also after a restore
 * @param stage          how far the request has come
 * @param attemptsMade   calls that already failed in a way worth retrying
 * @param takenAt        wall-clock time (epoch ms) the request was taken in
 * @param firstAttemptAt wall-clock time (epoch ms) its first call started, 0 before: the retry deadline counts from
 *                       it, so that time spent waiting out an outage does not use up the retries
 * @param dueAt          wall-clock time (epoch ms) before which no new attempt starts; 0 for at once
 */
public record Pending(CheckedRequest checked, long seq, Stage stage, int attemptsMade, long takenAt,
                      long firstAttemptAt, long dueAt) {

    /** Where a request stands. */
    public enum Stage {
        /** behind an earlier request of the same person */
        QUEUED,
        /** counted under its ID cap, waiting for the name stage's answer */
        CLAIMING_NAME,
        /** admitted under both caps: waiting for a permit, in flight, or waiting to be tried again */
        CALLING
    }

    static Pending queued(CheckedRequest checked, long seq, long takenAt) {
        return new Pending(checked.withoutImage(), seq, Stage.QUEUED, 0, takenAt, 0, 0);
    }

    Pending claimingName() {
        return new Pending(checked, seq, Stage.CLAIMING_NAME, 0, takenAt, 0, 0);
    }

    Pending calling() {
        return new Pending(checked, seq, Stage.CALLING, 0, takenAt, 0, 0);
    }

    /** After a failed attempt that started at {@code startedAt}: the next one is due at {@code due}. */
    Pending retryAt(long due, long startedAt) {
        return new Pending(checked, seq, stage, attemptsMade + 1, takenAt,
                attemptsMade == 0 ? startedAt : firstAttemptAt, due);
    }

    String requestId() {
        return checked.requestId();
    }

    String personKey() {
        return checked.personKey();
    }
}
