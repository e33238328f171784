package com.facecheck.provider;

/**
 * Whether a call was billed. The gateway bills by HTTP status alone, whatever the body says, so the worker can
 * know only when a status came back; a call that failed on the way may or may not have been seen and billed.
 */
public enum Billing {

    /** An HTTP 2xx status: billed, even when the body cannot be read. */
    BILLED("billed"),

    /**
     * Any other status, a call that cannot have reached the provider (no connection, no address, no TLS session),
     * or no call at all.
     */
    UNBILLED("unbilled"),

    /**
     * The request may have reached the provider but no status came back (a response timeout, a connection closed
     * or reset mid-call, a client that failed): the provider may have counted and billed it.
     */
    UNKNOWN("unknown");

    private final String label;

    Billing(String label) {
        this.label = label;
    }

    /** As results and metrics spell it. */
    public String label() {
        return label;
    }

    /** The gateway's rule: a status from 200 to 299 is billed, any other is not. */
    public static Billing ofStatus(int status) {
        return status >= 200 && status < 300 ? BILLED : UNBILLED;
    }
}
