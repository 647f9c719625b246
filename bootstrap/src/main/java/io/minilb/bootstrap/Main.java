package io.minilb.bootstrap;

import io.minilb.bootstrap.cli.MiniLbCommand;
import io.minilb.bootstrap.config.InvalidConfigurationException;
import io.minilb.bootstrap.config.MiniLbConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** {@code java -jar mini-lb.jar --prefill URL [PORT|none] --decode URL ...} */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_CANNOT_START = 1;
    static final int EXIT_BAD_CONFIGURATION = 2;
    /** A part mini-lb cannot serve without died; a supervisor should restart it. */
    static final int EXIT_FATAL_ERROR = 70;

    /**
     * Guice wires mini-lb once, at startup: generating classes for its provider methods and constructors (so that
     * calls to them are fast) costs more, about 50 ms, than the one reflective call each is made with otherwise.
     * Read when Guice is first loaded; a value given on the command line is kept.
     */
    private static final String GUICE_BYTECODE_GENERATION = "guice_bytecode_gen_option";

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty(GUICE_BYTECODE_GENERATION) == null) {
            System.setProperty(GUICE_BYTECODE_GENERATION, "DISABLED");
        }
        int status = run(args, System.out, System.err);
        if (status != EXIT_OK) {
            System.exit(status);
        }
    }

    /** Starts mini-lb and returns while it serves; or returns the exit status of a failed start, help or version. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        MiniLbCommand command = new MiniLbCommand();
        CommandLine commandLine = new CommandLine(command);
        try {
            commandLine.parseArgs(args);
        } catch (UnmatchedArgumentException e) {
            err.println("mini-lb: error: " + unknownOption(e) + " (see --help)");
            return EXIT_BAD_CONFIGURATION;
        } catch (ParameterException e) {
            err.println("mini-lb: error: " + e.getMessage() + " (see --help)");
            return EXIT_BAD_CONFIGURATION;
        }
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(out);
            return EXIT_OK;
        }
        if (commandLine.isVersionHelpRequested()) {
            commandLine.printVersionHelp(out);
            return EXIT_OK;
        }
        try {
            MiniLbConfig config = command.toConfig();
            Duration warmUp = command.warmUp();
            LogSetup.apply(config.observability());
            // Exits from a thread of its own: System.exit waits for the shutdown hook, which closes mini-lb.
            MiniLb miniLb = MiniLb.start(config, reason -> new Thread(
                    () -> System.exit(EXIT_FATAL_ERROR), "mini-lb-fatal-exit").start(), warmUp);
            Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
                if (error instanceof Error) {
                    miniLb.fatal(error + " on thread " + thread.getName());
                }
            });
            Runtime.getRuntime().addShutdownHook(new Thread(miniLb::close, "mini-lb-shutdown"));
            return EXIT_OK;
        } catch (InvalidConfigurationException e) {
            err.println("mini-lb: error: " + e.getMessage());
            return EXIT_BAD_CONFIGURATION;
        } catch (PortUnavailableException e) {
            err.println("mini-lb: error: " + e.getMessage());
            return EXIT_CANNOT_START;
        }
    }

    /**
     * Names the unknown option and none of the words after it, which picocli's own message lists: after a mistyped
     * {@code --api-key} comes the key itself, and error output ends up in logs.
     */
    private static String unknownOption(UnmatchedArgumentException e) {
        String first = e.getUnmatched().get(0);
        if (!first.startsWith("-")) {
            return "unexpected argument (not shown: it may be a secret)";
        }
        String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
        List<String> suggestions = e.getSuggestions();
        return "unknown option '" + name + "'"
                + (suggestions.isEmpty() ? "" : "; did you mean '" + suggestions.get(0) + "'?");
    }
}
