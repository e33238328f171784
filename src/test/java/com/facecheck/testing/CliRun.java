package com.facecheck.testing;

import com.facecheck.cli.FacecheckCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One run of the command line in this JVM: its exit code and what it printed. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        return withEnvironment(System.getenv(), args);
    }

    /** A run that reads {@code environment} instead of the process's. */
    public static CliRun withEnvironment(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FacecheckCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), environment);
        return new CliRun(code, out.toString(), err.toString());
    }
}
