package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class IdNumbersPropertiesTest {

    private static final LocalDate TODAY = IdNumbersTest.TODAY;
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    /** An ID number built independently of the code under test: GB 11643's weights, written out again here. */
    record Generated(String number, LocalDate birthday, boolean male) {
    }

    private static char checkCharacter(String first17) {
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * weights[i];
        }
        return "10X98765432".charAt(sum % 11);
    }

    @Provide
    Arbitrary<Generated> validNumbers() {
        Arbitrary<String> province = Arbitraries.of("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33",
                "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
                "63", "64", "65", "71", "81", "82", "83");
        Arbitrary<String> rest = Arbitraries.strings().numeric().ofLength(4);
        Arbitrary<LocalDate> birthday = Arbitraries.longs().between(LocalDate.of(1900, 1, 1).toEpochDay(), TODAY.toEpochDay())
                .map(LocalDate::ofEpochDay);
        Arbitrary<Integer> sequence = Arbitraries.integers().between(0, 999);
        return Combinators.combine(province, rest, birthday, sequence).as((p, r, b, s) -> {
            String first17 = p + r + b.format(YYYYMMDD) + String.format("%03d", s);
            return new Generated(first17 + checkCharacter(first17), b, s % 2 == 1);
        });
    }

    @Property
    void everyValidNumberIsAcceptedAndRoundTrips(@ForAll("validNumbers") Generated generated) {
        IdCheck check = IdNumbers.check(generated.number(), TODAY);
        assertThat(check).isInstanceOf(IdCheck.Valid.class);
        IdNumber id = ((IdCheck.Valid) check).id();
        assertThat(id.normalized()).isEqualTo(generated.number());
        assertThat(id.birthday()).isEqualTo(generated.birthday());
        assertThat(id.sex()).isEqualTo(generated.male() ? IdNumber.Sex.MALE : IdNumber.Sex.FEMALE);
        assertThat(CheckCharacter.of(id.normalized().substring(0, 17))).isEqualTo(generated.number().charAt(17));
    }

    @Property
    void anySingleCharacterChangeIsRejected(@ForAll("validNumbers") Generated generated,
                                             @ForAll("positions") int position,
                                             @ForAll("characters") char replacement) {
        String number = generated.number();
        if (number.charAt(position) == replacement) {
            return;
        }
        String changed = number.substring(0, position) + replacement + number.substring(position + 1);
        assertThat(IdNumbers.check(changed, TODAY)).isInstanceOf(IdCheck.Invalid.class);
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 17);
    }

    @Provide
    Arbitrary<Character> characters() {
        return Arbitraries.of('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X');
    }

    @Property
    void invisibleCharactersAnywhereChangeNothing(@ForAll("validNumbers") Generated generated,
                                                  @ForAll("gaps") int gap, @ForAll("invisibles") String invisible) {
        String number = generated.number();
        String pasted = number.substring(0, gap) + invisible + number.substring(gap);
        assertThat(IdNumbers.check(pasted, TODAY)).isEqualTo(IdNumbers.check(number, TODAY));
    }

    @Provide
    Arbitrary<Integer> gaps() {
        return Arbitraries.integers().between(0, 18);
    }

    /** Zero-width space and joiners, word joiner, BOM, soft hyphen, direction marks, Mongolian vowel separator, tag. */
    @Provide
    Arbitrary<String> invisibles() {
        return Arbitraries.of("\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u200E", "\u202E",
                "\u180E", "\uDB40\uDC01");
    }

    @Property
    void fifteenDigitNumbersConvertToTheirEighteenDigitForm(@ForAll("validNumbers") Generated generated) {
        String number = generated.number();
        if (!number.substring(6, 8).equals("19")) {
            return; // only people born in the 1900s had 15-digit numbers
        }
        String legacy = number.substring(0, 6) + number.substring(8, 17);
        IdCheck check = IdNumbers.check(legacy, TODAY);
        assertThat(check).isInstanceOf(IdCheck.Valid.class);
        assertThat(((IdCheck.Valid) check).id().normalized()).isEqualTo(number);
        assertThat(((IdCheck.Valid) check).id().convertedFrom15()).isTrue();
    }
}
