package com.facecheck.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The worker's topics; today one subcommand, {@code create}. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage the topics the worker uses.",
        subcommands = TopicsCreateCommand.class)
final class TopicsCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
