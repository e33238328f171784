package com.facecheck.cli;

import com.facecheck.app.ConfigException;
import com.facecheck.app.LoadedConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Prints the configuration {@code run} would start with, and where each value came from. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print the effective configuration as YAML, each value with its source (default, file,"
                + " environment, flag); secrets redacted, saying only whether each is set.",
                "Exits 2 with one line per problem when run would refuse the configuration; secrets that are not set"
                        + " are shown, not refused."})
final class ConfigCommand implements Callable<Integer> {

    @Mixin
    private ConfigOptions options;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private FacecheckCli cli;

    @Override
    public Integer call() {
        LoadedConfig loaded = options.load(cli.environment());
        spec.commandLine().getOut().print(loaded.yaml());
        spec.commandLine().getOut().flush();
        if (!loaded.problems().isEmpty()) {
            throw new ConfigException(loaded.problems());
        }
        return 0;
    }
}
