package com.facecheck.contract;

import java.util.Optional;

/**
 * The provider's error codes 0–9, each with the readable outcome name carried on results and the topic its
 * results go to unless the configuration maps the code elsewhere.
 */
public enum Outcome {
    VERIFIED(0, "verified", "身份证号与姓名匹配，照片核验成功。"),
    FACE_MISMATCH(1, "face-mismatch", "身份证号与姓名匹配，照片核验失败。"),
    INCONCLUSIVE(2, "inconclusive", "身份证号与姓名匹配，无法确定是否为同一人。"),
    NO_PHOTO_ON_FILE(3, "no-photo-on-file", "身份证号与姓名匹配，官方未采集用户照片。"),
    PHOTO_UNUSABLE(4, "photo-unusable", "身份证号与姓名匹配，照片检测失败。"),
    ID_NOT_FOUND(5, "id-not-found", "无此身份证号码"),
    NAME_MISMATCH(6, "name-mismatch", "身份证号与姓名不匹配"),
    INVALID_REQUEST(7, "invalid-request", "参数缺失。"),
    THROTTLED(8, "throttled", "查询过于频繁，请稍后再试。"),
    FAILED(9, "failed", "其他失败情况。");

    private static final Outcome[] BY_CODE = values();

    private final int code;
    private final String outcomeName;
    private final String providerMessage;

    Outcome(int code, String outcomeName, String providerMessage) {
        this.code = code;
        this.outcomeName = outcomeName;
        this.providerMessage = providerMessage;
    }

    public int code() {
        return code;
    }

    /** The readable name on results, e.g. {@code face-mismatch}. */
    public String outcomeName() {
        return outcomeName;
    }

    /** The provider's documented wording for this code, used when a result is decided without it. */
    public String providerMessage() {
        return providerMessage;
    }

    public String defaultTopic() {
        return "facecheck.result." + outcomeName;
    }

    /** Codes 0–6 are the provider's verdicts on a person; 7–9 say the check did not happen. */
    public boolean isVerdict() {
        return code <= NAME_MISMATCH.code;
    }

    public static Optional<Outcome> ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }
}
