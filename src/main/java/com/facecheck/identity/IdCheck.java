package com.facecheck.identity;

/** The verdict on an ID number. */
public sealed interface IdCheck {

    record Valid(IdNumber id) implements IdCheck {
    }

    /**
     * @param reason machine-readable, e.g. {@code id-number-bad-check-character}
     * @param detail what is wrong, in a sentence that never quotes the number
     */
    record Invalid(String reason, String detail) implements IdCheck {
    }
}
