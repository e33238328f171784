package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
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
    void acceptsAnAddressCodeRetiredSinceTheNumberWasIssued() {
        String first17 = "11010319700101123"; // 110103: Beijing Chongwen district, merged into Dongcheng in 2010
        IdNumber id = valid(first17 + CheckCharacter.of(first17));
        assertThat(Regions.isRetired("110103")).isTrue();
        assertThat(id.region()).contains("北京市崇文区");
    }

    @Test
    void itsTextIsMasked() {
        assertThat(valid("35020319900101123X").toString()).doesNotContain("35020319900101123X").contains("3502*****3X");
    }
}
