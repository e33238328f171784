package com.facecheck.app;

import com.facecheck.crypto.FieldCipher;

/**
 * Opens {@link Worker#start(WorkerConfig, FieldCipher)} to the benchmarks, which live in a package of their own:
 * the hook stays out of the product's public surface.
 */
public final class WorkerWithCipher {

    private WorkerWithCipher() {
    }

    /** A running worker that seals with {@code cipher} instead of its keyset. */
    public static Worker start(WorkerConfig config, FieldCipher cipher) {
        return Worker.start(config, cipher);
    }
}
