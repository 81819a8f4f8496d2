package org.causalcvr.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.api.plugin.PluginPath;
import org.causalcvr.experiments.run.RunFailedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cvr} command-line tool: the demo, data generation and conversion, training,
 * evaluation, comparison, sweeps and benchmarks. Every subcommand has {@code --help}; errors are
 * one line on standard error and a non-zero exit code.
 */
@Command(
        name = "cvr",
        mixinStandardHelpOptions = true,
        versionProvider = Cvr.Version.class,
        description =
                "Debiased post-click conversion-rate estimation (Multi-IPW, Multi-DR and baselines).",
        subcommands = {
            DemoCommand.class,
            StudyCommand.class,
            GenerateCommand.class,
            ConvertCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            PredictCommand.class,
            CompareCommand.class,
            SweepCommand.class,
            TuneCommand.class,
            EstimatorsCommand.class,
            BackendsCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Cvr implements Runnable {
    /** Exit code for bad input (options, files, data). */
    public static final int BAD_INPUT = 2;

    /** Exit code for a failure during a run (for example a NaN loss). */
    public static final int RUN_FAILED = 3;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--plugins",
            paramLabel = "PATH",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "Plugin jars from outside the tool: jar files, folders of jars or class folders,"
                            + " separated by ':' (default: the environment variable "
                            + PluginPath.ENVIRONMENT_VARIABLE
                            + "; this option wins over it).")
    String plugins;

    @CommandLine.Option(
            names = "--verify",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "Check the content checksum of every data file that has one (Parquet files are"
                            + " checked without it).")
    void verify(boolean on) {
        DataFiles.verifyAll(on);
    }

    private final Map<String, String> environment;
    private CvrRuntime runtime;

    Cvr(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * The plugins of this invocation (built-in and from {@code --plugins} or {@value
     * PluginPath#ENVIRONMENT_VARIABLE}), loaded once.
     */
    static CvrRuntime runtime(CommandLine.Model.CommandSpec spec) {
        Cvr root = (Cvr) spec.root().userObject();
        if (root.runtime == null) {
            root.runtime =
                    CvrRuntime.load(
                            PluginPath.resolve(
                                    Optional.ofNullable(root.plugins), root.environment));
        }
        return root.runtime;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @CommandLine.Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "Show the engine's own log (PyTorch's warnings); also "
                            + EngineLog.VERBOSE_VARIABLE
                            + "=1.")
    boolean verbose;

    public static void main(String[] args) {
        Runnable endFilter =
                EngineLog.quietUnlessVerbose(java.util.Arrays.asList(args), System.getenv());
        int code;
        try {
            code =
                    execute(
                            args,
                            new PrintWriter(System.out, true),
                            new PrintWriter(System.err, true));
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            code = 1;
        } finally {
            endFilter.run();
        }
        System.exit(code);
    }

    /** Runs the tool with the given output streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err, System.getenv());
    }

    /**
     * Runs the tool with the given output streams and environment (for {@value
     * PluginPath#ENVIRONMENT_VARIABLE}); returns the exit code. Both streams are flushed before it
     * returns, so every command's output reaches a terminal or a pipe.
     */
    public static int execute(
            String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        try {
            return parseAndRun(args, out, err, environment);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int parseAndRun(
            String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        DataFiles.verifyAll(false);
        CommandLine cli = new CommandLine(new Cvr(environment));
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(
                (e, a) -> {
                    err.println("cvr: " + firstLine(e.getMessage()));
                    err.println("Try 'cvr " + commandPath(e.getCommandLine()) + "--help'.");
                    return BAD_INPUT;
                });
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    Throwable cause = e;
                    if (cause instanceof CvrException
                            || cause instanceof IllegalArgumentException) {
                        err.println("cvr: " + firstLine(cause.getMessage()));
                        return cause instanceof RunFailedException ? RUN_FAILED : BAD_INPUT;
                    }
                    if (cause instanceof java.io.UncheckedIOException
                            || cause instanceof java.io.IOException) {
                        err.println("cvr: " + firstLine(String.valueOf(cause.getMessage())));
                        return BAD_INPUT;
                    }
                    throw e;
                });
        return cli.execute(args);
    }

    /** The subcommand's full path after {@code cvr}, for example {@code "convert csv "}. */
    static String commandPath(CommandLine commandLine) {
        String path = commandLine.getCommandSpec().qualifiedName(" ");
        return "cvr".equals(path) ? "" : path.substring(path.indexOf(' ') + 1) + " ";
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The version from the jar's manifest, or "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cvr " + libraryVersion()};
        }
    }

    /** The library version recorded in provenance. */
    public static String libraryVersion() {
        String v = Cvr.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
