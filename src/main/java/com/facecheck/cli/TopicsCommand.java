package com.facecheck.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The worker's topics: {@code create} and {@code describe}. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage the topics the worker uses.",
        subcommands = {TopicsCreateCommand.class, TopicsDescribeCommand.class})
final class TopicsCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private FacecheckCli cli;

    FacecheckCli cli() {
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
