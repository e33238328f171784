package com.facecheck.cli;

/** A mistake the user can fix: printed as one line saying what to do, never as a stack trace. */
public final class CliError extends RuntimeException {

    public CliError(String message) {
        super(message, null, false, false);
    }
}
