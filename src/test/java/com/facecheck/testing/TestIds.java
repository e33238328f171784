package com.facecheck.testing;

import com.facecheck.local.SyntheticPeople;

/** Valid, distinct resident ID numbers and names for tests. */
public final class TestIds {

    private TestIds() {
    }

    /** The n-th ID number, from a Xiamen region code. */
    public static String idNumber(int n) {
        return SyntheticPeople.idNumber(n);
    }

    /** The n-th name of three characters; distinct for the first hundred thousand. */
    public static String name(int n) {
        return SyntheticPeople.name(n);
    }
}
