package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void namesKeepTheirFirstCharacterOnlyAndHideTheirLength() {
        assertThat(Masking.name("李三")).isEqualTo("李**");
        assertThat(Masking.name("阿依古丽·买买提")).isEqualTo("阿**");
        assertThat(Masking.name("  王芳 ")).isEqualTo("王**");
        assertThat(Masking.name(null)).isNull();
        assertThat(Masking.name(" ")).isEmpty();
    }

    @Test
    void namesOutsideTheBasicPlaneAreNotCutInHalf() {
        String rare = new StringBuilder().appendCodePoint(0x20BB7).append("明").toString();
        assertThat(Masking.name(rare)).isEqualTo(new StringBuilder().appendCodePoint(0x20BB7).append("**").toString());
    }

    @Test
    void idNumbersKeepFirstFourAndLastTwo() {
        assertThat(Masking.idNumber("35020319900101123X")).isEqualTo("3502*****3X");
        assertThat(Masking.idNumber("110101850512204")).isEqualTo("1101*****04");
        assertThat(Masking.idNumber("12345")).isEqualTo("*****");
        assertThat(Masking.idNumber(null)).isNull();
    }

    @Test
    void excerptsMaskNamesInEveryCjkExtensionAndNamesSplitByInvisibleCharacters() {
        String extensionH = new String(Character.toChars(0x31350)) + new String(Character.toChars(0x31351));
        String rare = "李" + extensionH; // characters the JDK's own Unicode tables do not call Han
        assertThat(Masking.excerpt("xm=" + rare + " msg", 100)).isEqualTo("xm=李** msg");
        assertThat(Masking.excerpt("姓名 张\u200B三丰 与 阿卜杜·热合曼", 100)).isEqualTo("姓** 张** 与 阿**");
    }

    @Test
    void excerptsOfOutsideTextHideNumbersPhotosAndNames() {
        String body = "<html>error for 李三丰 35020319900101123X img=" + "A".repeat(60) + "</html>";
        String excerpt = Masking.excerpt(body, 200);
        assertThat(excerpt).doesNotContain("35020319900101123X").doesNotContain("三丰").doesNotContain("AAAAAAAAAA")
                .contains("<number>").contains("<data>").contains("李**");
        assertThat(Masking.excerpt("ab ".repeat(200), 10)).hasSize(11).endsWith("…");
    }
}
