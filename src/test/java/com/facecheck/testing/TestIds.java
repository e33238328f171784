package com.facecheck.testing;

import com.facecheck.identity.CheckCharacter;
import java.time.LocalDate;

/** Valid, distinct resident ID numbers for tests: the n-th one, from a Xiamen region code. */
public final class TestIds {

    private TestIds() {
    }

    public static String idNumber(int n) {
        String first17 = "350203" + LocalDate.of(1980, 1, 1).plusDays(n / 1000).toString().replace("-", "")
                + String.format("%03d", n % 1000);
        return first17 + CheckCharacter.of(first17);
    }
}
