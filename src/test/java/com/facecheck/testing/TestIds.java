package com.facecheck.testing;

import com.facecheck.identity.CheckCharacter;
import java.time.LocalDate;

/** Valid, distinct resident ID numbers and names for tests. */
public final class TestIds {

    private TestIds() {
    }

    private static final String FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁";
    private static final String GIVEN = "安白博晨达东方刚国海浩华佳建杰俊凯兰磊丽林玲敏明娜宁鹏琴秋荣瑞山涛婷伟文霞欣雪阳怡勇宇玉云振志";

    /** The n-th ID number, from a Xiamen region code. */
    public static String idNumber(int n) {
        String first17 = "350203" + LocalDate.of(1980, 1, 1).plusDays(n / 1000).toString().replace("-", "")
                + String.format("%03d", n % 1000);
        return first17 + CheckCharacter.of(first17);
    }

    /** The n-th name of three characters; distinct for the first hundred thousand. */
    public static String name(int n) {
        return "" + FAMILY.charAt(n % FAMILY.length()) + GIVEN.charAt(n / FAMILY.length() % GIVEN.length())
                + GIVEN.charAt(n / (FAMILY.length() * GIVEN.length()) % GIVEN.length());
    }
}
