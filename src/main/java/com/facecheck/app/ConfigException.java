package com.facecheck.app;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration cannot work: every problem found, one line each. */
public final class ConfigException extends IllegalArgumentException {

    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::line).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
