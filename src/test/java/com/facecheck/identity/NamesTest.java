package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.UnicodeSet;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {

    /** Every block of CJK unified ideographs up to Unicode 17, with its first code point. */
    private static final List<String> CJK_BLOCKS = List.of("CJK_Unified_Ideographs:4E00",
            "CJK_Unified_Ideographs_Extension_A:3400", "CJK_Unified_Ideographs_Extension_B:20000",
            "CJK_Unified_Ideographs_Extension_C:2A700", "CJK_Unified_Ideographs_Extension_D:2B740",
            "CJK_Unified_Ideographs_Extension_E:2B820", "CJK_Unified_Ideographs_Extension_F:2CEB0",
            "CJK_Unified_Ideographs_Extension_G:30000", "CJK_Unified_Ideographs_Extension_H:31350",
            "CJK_Unified_Ideographs_Extension_I:2EBF0", "CJK_Unified_Ideographs_Extension_J:323B0");

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "李三|李三",
            "' 李三　'|李三",
            "李 三|李三",
            "阿依古丽·买买提|阿依古丽·买买提",
            "阿依古丽.买买提|阿依古丽·买买提",
            "阿依古丽•买买提|阿依古丽·买买提",
            "阿依古丽・买买提|阿依古丽·买买提",
            "阿依古丽‧买买提|阿依古丽·买买提",
            "ＪＯＨＮ|JOHN",
            // U+3007 is written as a character in names (rw-ideographic-zero)
            "李〇|李〇",
            // apostrophes as phones and word processors type them (rw-curly-apostrophe)
            "JOHN O’NEILL|JOHNO'NEILL",
            "O‘NEILL|O'NEILL",
            "O\u02BCNEILL|O'NEILL",
            "O＇NEILL|O'NEILL",
            // hyphens and dashes that inside a name can only be a hyphen (rw-unicode-hyphen)
            "ANNE‐MARIE DUPONT|ANNE-MARIEDUPONT",
            "ANNE\u2011MARIE|ANNE-MARIE",
            "ANNE\u2012MARIE|ANNE-MARIE",
            "ANNE – MARIE|ANNE-MARIE",
            "ANNE\u2212MARIE|ANNE-MARIE",
            "ANNE\uFE63MARIE|ANNE-MARIE",
            "ANNE－MARIE|ANNE-MARIE",
            // compatibility ideographs become the unified ones the registry holds (rw-compat-ideograph)
            "\uF9F4三|\u6797三",
            "\uD87E\uDC00三|\u4E3D三",
            // Kangxi radicals, as text copied out of PDFs holds them
            "王\u2F00|王一",
            "\u2F4A子|木子",
            // NFC: a letter and its combining accent become the composed letter
            "JOSE\u0301|JOS\u00C9",
            // invisible characters copied along with the name, and every kind of space
            "\u200B李三\uFEFF|李三",
            "李\u2060三|李三",
            "李\u00AD三|李三",
            "李\u200D三|李三",
            "李\u200E三|李三",
            "葛\uDB40\uDD00|葛",
            "李\u00A0三|李三",
            "李\u202F三|李三",
            "李\u2007三|李三",
            "'\t李三\u0085'|李三",
            "李\u2028三|李三",
            // letters of other scripts, with their marks and joiners where they shape the letters
            "ÅSA|ÅSA",
            "ИВАНОВ-ПЕТРОВ|ИВАНОВ-ПЕТРОВ",
            "ئابدۇرېھىم|ئابدۇرېھىم",
            "\u0645\u06CC\u200C\u062E|\u0645\u06CC\u200C\u062E",
            "\u0915\u094D\u200D\u0937|\u0915\u094D\u200D\u0937",
            "ᠪᠠᠲᠤ|ᠪᠠᠲᠤ",
            "ꆈꌠ|ꆈꌠ",
            "བཀྲ་ཤིས|བཀྲ་ཤིས",
            "བཀྲ\u0F0Cཤིས|བཀྲ་ཤིས",
            "佐々木|佐々木",
    })
    void normalisesOnlyWhatIsCertainlyTheSameName(String raw, String sent) {
        assertThat(Names.check(raw)).isEqualTo(new Names.NameCheck.Valid(sent));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "'   '|missing-name",
            "\u200B\uFEFF|missing-name",
            "李三3|name-has-digits",
            "李三３|name-has-digits",
            "李三\u0663|name-has-digits",
            "李三\u0F23|name-has-digits",
            "李三①|name-has-digits",
            "李三Ⅲ|name-has-digits",
            "李三\u3021|name-has-digits",
            "测试*|name-has-asterisk",
            "测试＊|name-has-asterisk",
            "李\u0007三|name-has-control-characters",
            "李\u0600三|name-has-control-characters",
            "李三@|name-has-invalid-characters",
            "·李三|name-has-invalid-characters",
            "李··三|name-has-invalid-characters",
            "-李三|name-has-invalid-characters",
            "李三'|name-has-invalid-characters",
            "李-·三|name-has-invalid-characters",
            "O`NEILL|name-has-invalid-characters",
            "O\u00B4NEILL|name-has-invalid-characters",
            "ANNE—MARIE|name-has-invalid-characters",
            "李三、|name-has-invalid-characters",
            "李三\uD83D\uDE00|name-has-invalid-characters",
            "李三\u2764\uFE0F|name-has-invalid-characters",
            "李三\uE000|name-has-invalid-characters",
            "李三\uFFFD|name-has-invalid-characters",
            "李三\u0378|name-has-invalid-characters",
            "李三\uDBBF\uDFFE|name-has-invalid-characters",
            "李\uD800三|name-has-invalid-characters",
            "\u0301李三|name-has-invalid-characters",
            "李三\u20DD|name-has-invalid-characters",
            "\u2FF0木木|name-has-invalid-characters",
            "李\u2E80|name-has-invalid-characters",
    })
    void refusesWhatCannotBeSentNamingTheReason(String raw, String reason) {
        assertThat(Names.check(raw)).isInstanceOfSatisfying(Names.NameCheck.Invalid.class, invalid -> {
            assertThat(invalid.reason()).isEqualTo(reason);
            assertThat(invalid.detail()).doesNotContain("李三").doesNotContain("NEILL").doesNotContain("MARIE");
        });
    }

    @Test
    void aRefusalSaysWhereAndWhatWithoutQuotingTheName() {
        assertThat(Names.check("李\u0600三")).isEqualTo(new Names.NameCheck.Invalid("name-has-control-characters",
                "真实姓名xm含有不可见的控制字符", "character 2 is a format character U+0600"));
        assertThat(((Names.NameCheck.Invalid) Names.check("李三\uD83D\uDE00")).detail())
                .isEqualTo("character 3 is a symbol U+1F600");
        assertThat(((Names.NameCheck.Invalid) Names.check("李三-")).detail())
                .startsWith("character 3 is a separator");
    }

    @ParameterizedTest
    @CsvSource({"50, true", "51, false"})
    void takesAtMostFiftyCharacters(int length, boolean valid) {
        assertThat(Names.check("李".repeat(length)) instanceof Names.NameCheck.Valid).isEqualTo(valid);
    }

    @Test
    void countsTheCharactersAfterNormalisation() {
        assertThat(Names.check("李 \u200B".repeat(50))).isEqualTo(new Names.NameCheck.Valid("李".repeat(50)));
        assertThat(Names.check("\uD840\uDC00".repeat(50))).isInstanceOf(Names.NameCheck.Valid.class);
        assertThat(Names.check("E\u0301".repeat(50))).isInstanceOf(Names.NameCheck.Valid.class);
    }

    @Test
    void everyBlockOfCjkIdeographsIsKnownFromItsFirstCodePoint() {
        for (String block : CJK_BLOCKS) {
            String[] nameAndFirst = block.split(":");
            String first = Character.toString(Integer.parseInt(nameAndFirst[1], 16));
            assertThat(ideographsOf(nameAndFirst[0])).as(block).startsWith(first.codePointAt(0));
            assertThat(Names.check("李" + first)).as(block).isEqualTo(new Names.NameCheck.Valid("李" + first));
        }
    }

    @Provide
    Arbitrary<Integer> cjkIdeographs() {
        return Arbitraries.oneOf(CJK_BLOCKS.stream()
                .map(block -> Arbitraries.of(ideographsOf(block.split(":")[0]))).toList());
    }

    @Property(tries = 3000)
    void everyIdeographOfEveryCjkExtensionIsSentAsItCame(@ForAll("cjkIdeographs") int ideograph) {
        String name = "王" + Character.toString(ideograph) + "\u00B7" + Character.toString(ideograph);
        assertThat(Names.check(name)).isEqualTo(new Names.NameCheck.Valid(name));
    }

    @Test
    void everyCompatibilityIdeographIsSentAsAUnifiedOne() {
        UnicodeSet compatibility = new UnicodeSet("[[:Block=CJK_Compatibility_Ideographs:]"
                + "[:Block=CJK_Compatibility_Ideographs_Supplement:]&[:Assigned:]]");
        assertThat(compatibility.size()).isGreaterThan(1000);
        for (String ideograph : compatibility) {
            var check = Names.check("李" + ideograph);
            assertThat(check).as(ideograph).isInstanceOfSatisfying(Names.NameCheck.Valid.class, valid ->
                    assertThat(UCharacter.hasBinaryProperty(valid.name().codePointBefore(valid.name().length()),
                            UProperty.UNIFIED_IDEOGRAPH)).as("U+%04X", ideograph.codePointAt(0)).isTrue());
        }
    }

    private static List<Integer> ideographsOf(String block) {
        UnicodeSet assigned = new UnicodeSet("[[:Block=" + block + ":]&[:Assigned:]]");
        return IntStream.range(0, assigned.size()).map(assigned::charAt).boxed().toList();
    }

    @Test
    void aNameOfMegabytesIsTooLongWithoutBeingCopiedInFull() {
        assertThat(Names.check("林".repeat(5_000_000))).isEqualTo(new Names.NameCheck.Invalid("name-too-long",
                "传入真实姓名xm字符串长度超限", "the name has more than 200 characters; the provider takes at most 50"));
        assertThat(Names.check("林小燕" + " ".repeat(1_000_000) + "\u200b".repeat(1_000)))
                .as("spaces and invisible characters do not count").isEqualTo(new Names.NameCheck.Valid("林小燕"));
        assertThat(Names.check("a\u0306\u0301".repeat(50))).as("150 code points that NFC composes into 50")
                .isInstanceOf(Names.NameCheck.Valid.class);
        assertThat(Names.check("e\u0301".repeat(51))).isInstanceOfSatisfying(Names.NameCheck.Invalid.class,
                invalid -> assertThat(invalid.detail()).startsWith("the name has 51 characters"));
    }
}
