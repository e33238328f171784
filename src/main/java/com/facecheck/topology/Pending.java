package com.facecheck.topology;

/**
 * A request of a person whose result is not yet written. The photo is kept apart, in the pending-photos
 * store, so that the request's state can change without writing the photo to the changelog again.
 *
 * @param seq          arrival order in the task: a person's requests are served in this order, also after a restore
 * @param stage        how far the request has come
 * @param idAt         record time it was counted at under the per-ID cap (while it holds a reservation)
 * @param nameAt       record time it was counted at under the per-name cap (once granted)
 * @param attemptsMade calls that already failed in a way worth retrying
 * @param takenAt      wall-clock time (epoch ms) the request was taken in: the retry deadline counts from it
 * @param dueAt        wall-clock time (epoch ms) before which no new attempt starts; 0 for at once
 */
public record Pending(CheckedRequest checked, long seq, Stage stage, long idAt, long nameAt, int attemptsMade,
                      long takenAt, long dueAt) {

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
        return new Pending(checked.withoutImage(), seq, Stage.QUEUED, 0, 0, 0, takenAt, 0);
    }

    Pending claimingName(long at) {
        return new Pending(checked, seq, Stage.CLAIMING_NAME, at, 0, 0, takenAt, 0);
    }

    Pending calling(long at) {
        return new Pending(checked, seq, Stage.CALLING, idAt, at, 0, takenAt, 0);
    }

    Pending retryAt(long due) {
        return new Pending(checked, seq, stage, idAt, nameAt, attemptsMade + 1, takenAt, due);
    }

    String requestId() {
        return checked.requestId();
    }

    String personKey() {
        return checked.personKey();
    }
}
