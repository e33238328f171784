package com.facecheck.app;

/**
 * One thing wrong with the configuration, said in one line: the key (or variable, or file), the value given and
 * where it came from when there is one, and what is expected instead.
 *
 * @param key     a key such as {@code caps.per-id}, a variable, an option or a file
 * @param value   the value given, as it may be shown (never a secret); null when there is none to show
 * @param source  where the value or key came from ({@code file app.yaml}); null when it is the key's default
 * @param problem what is wrong and what is expected
 */
public record ConfigProblem(String key, String value, String source, String problem) {

    public String line() {
        return key + (value == null ? "" : " = " + value) + (source == null ? "" : " (" + source + ")") + ": "
                + problem;
    }
}
