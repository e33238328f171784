package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class IdNumbersTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 28);

    private static IdNumber valid(String raw) {
        IdCheck check = IdNumbers.check(raw, TODAY);
        assertThat(check).as(raw).isInstanceOf(IdCheck.Valid.class);
        return ((IdCheck.Valid) check).id();
    }

    private static IdCheck.Invalid invalid(String raw) {
        IdCheck check = IdNumbers.check(raw, TODAY);
        assertThat(check).as(raw).isInstanceOf(IdCheck.Invalid.class);
        return (IdCheck.Invalid) check;
    }

    @Test
    void readsBirthdaySexAndRegion() {
        IdNumber id = valid("35020319900101123X");
        assertThat(id.birthday()).isEqualTo(LocalDate.of(1990, 1, 1));
        assertThat(id.sex()).isEqualTo(IdNumber.Sex.MALE);
        assertThat(id.region()).contains("福建省厦门市思明区");
        assertThat(valid("110101198505122040").sex()).isEqualTo(IdNumber.Sex.FEMALE);
    }

    @Test
    void normalisesLowerCaseXFullWidthDigitsAndSurroundingSpaces() {
        assertThat(valid(" 11010519491231002x\u3000").normalized()).isEqualTo("11010519491231002X");
        assertThat(valid("１１０１０５１９４９１２３１００２Ｘ").normalized()).isEqualTo("11010519491231002X");
        assertThat(valid("\u00A011010519491231002X").normalized()).isEqualTo("11010519491231002X");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // copied along with the number (rw-zero-width-after-x), before, after or inside it
            "11010519491231002X\u200B", "\uFEFF11010519491231002X", "1101051949\u20601231002X",
            "110105\u200D19491231002X\u200C", "11010519491231002\u00ADX", "\u200E11010519491231002X\u200F",
            // every kind of space around it
            "'\u202F11010519491231002X\u2007'", "'\t11010519491231002X\u3000'", "'\u205F11010519491231002X\u0085'",
    })
    void stripsInvisibleCharactersAnywhereAndSpacesAround(String raw) {
        assertThat(valid(raw).normalized()).isEqualTo("11010519491231002X");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "1101051949\u00A01231002X|character 11 is a space U+00A0, not a digit",
            "1101051949\u30001231002X|character 11 is a space U+3000, not a digit",
            "'11010519491231002X\u0007'|character 19 is a control character U+0007, not a digit",
            "'11010519491231002\u0007'|character 18 is a control character U+0007, not a digit or X",
            "1101051949A231002X|character 11 is a letter, not a digit",
            "11010519491231002－|character 18 is punctuation U+002D, not a digit or X",
            "11010519491231002\uE000|character 18 is a private-use character U+E000, not a digit or X",
            "11X10519491231002X|character 3 is an X, which only the 18th and last character may be",
    })
    void aBadCharacterIsNamedForWhatItIsNotBlamedOnAValidOne(String raw, String detail) {
        IdCheck.Invalid result = invalid(raw);
        assertThat(result.reason()).isEqualTo("id-number-bad-characters");
        assertThat(result.detail()).isEqualTo(detail);
    }

    @Test
    void aValidXFollowedByMoreIsTooLongNotABadCharacter() {
        IdCheck.Invalid result = invalid("11010519491231002X5");
        assertThat(result.reason()).isEqualTo("id-number-bad-length");
        assertThat(result.detail()).endsWith("this one has 19");
    }

    @Test
    void convertsLegacyFifteenDigitNumbers() {
        IdNumber id = valid("110105491231002");
        assertThat(id.normalized()).isEqualTo("11010519491231002X");
        assertThat(id.convertedFrom15()).isTrue();
        assertThat(id.birthday()).isEqualTo(LocalDate.of(1949, 12, 31));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "1101051949 1231002X, id-number-bad-characters",
            "1101051949A231002X, id-number-bad-characters",
            "11010519491231002, id-number-bad-length",
            "110105194912310021, id-number-bad-check-character",
            "110105194902300020, id-number-bad-birth-date",
            "110105209912310029, id-number-birth-date-in-future",
            "110105189912310023, id-number-born-before-1900",
            "990105194912310023, id-number-unknown-province",
            "110105491331002, id-number-bad-birth-date",
    })
    void rejectsWithASpecificReasonNeverQuotingTheNumber(String raw, String reason) {
        IdCheck.Invalid result = invalid(raw);
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(result.detail()).doesNotContain(raw.strip()).doesNotContain(raw.strip().substring(0, 6));
    }

    @Test
    void acceptsResidencePermitsAndTheForeignPermanentResidenceCard() {
        for (String prefix17 : new String[] {"81000019900101123", "82000019900101123", "83000019900101123",
                "71000019900101123", "91110019900101123"}) {
            String number = prefix17 + CheckCharacter.of(prefix17);
            assertThat(IdNumbers.check(number, TODAY)).as(prefix17).isInstanceOf(IdCheck.Valid.class);
        }
        assertThat(valid("91110019900101123" + CheckCharacter.of("91110019900101123")).region()).contains("北京市");
    }

    @Test
    void everyAcceptedPrefixNamesARegion() {
        for (String prefix : IdNumbers.PROVINCES) {
            // a foreign permanent-residence card carries its mainland province after the 9
            List<String> firstSixes = prefix.startsWith("9") ? IdNumbers.PROVINCES.stream()
                    .filter(p -> p.charAt(0) == prefix.charAt(1)).map(p -> "9" + p + "156").toList()
                    : List.of(prefix + "0000");
            assertThat(firstSixes).as(prefix).isNotEmpty();
            for (String firstSix : firstSixes) {
                String first17 = firstSix + "19900101123";
                assertThat(valid(first17 + CheckCharacter.of(first17)).region()).as(firstSix).isNotEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"830000, 台湾", "710000, 台湾", "810000, 香港", "820000, 澳门", "911156, 北京", "965156, 新疆"})
    void residencePermitsAndForeignersCardsNameTheirRegion(String firstSix, String region) {
        String first17 = firstSix + "19880808033";
        assertThat(valid(first17 + CheckCharacter.of(first17)).region()).hasValueSatisfying(name ->
                assertThat(name).contains(region));
    }

    @Test
    void aForeignersCardNeedsAProvinceAfterThe9() {
        String first17 = "91015619900101123";
        assertThat(invalid(first17 + CheckCharacter.of(first17)).reason()).isEqualTo("id-number-unknown-province");
    }

    @Test
    void acceptsAnAddressCodeRetiredSinceTheNumberWasIssued() {
        String first17 = "11010319700101123"; // 110103: Beijing Chongwen district, merged into Dongcheng in 2010
        IdNumber id = valid(first17 + CheckCharacter.of(first17));
        assertThat(id.region()).contains("北京市崇文区");
    }

    @Test
    void itsTextIsMasked() {
        assertThat(valid("35020319900101123X").toString()).doesNotContain("35020319900101123X").contains("3502*****3X");
    }

    @Test
    void anIdNumberOfMegabytesIsJudgedLikeAnyOther() {
        assertThat(invalid("1".repeat(10_000_000)).reason()).isEqualTo("id-number-bad-length");
        assertThat(invalid("1".repeat(10_000_000) + "a").detail()).isEqualTo("character 10000001 is a letter, not a digit");
    }
}
