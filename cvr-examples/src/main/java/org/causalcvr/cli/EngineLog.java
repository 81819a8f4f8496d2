package org.causalcvr.cli;

import java.util.List;
import java.util.Map;

/**
 * Keeps the engine's own log out of the terminal unless asked for: PyTorch's C++ library prints
 * lines such as {@code Warning: AutoNonVariableTypeMode is deprecated ...} on every {@code
 * evaluate} and {@code predict}, which say nothing to the user.
 *
 * <p>PyTorch reads its log level from the environment variable {@value #LEVEL_VARIABLE} when it
 * loads, so the level is set in the process's own environment (the C library's {@code setenv}, as
 * the Java API cannot) before any engine class is touched. An explicit {@value #LEVEL_VARIABLE},
 * {@value #VERBOSE_VARIABLE}{@code =1} or {@code --verbose} leaves the engine's log as it is.
 */
final class EngineLog {
    /** PyTorch's C++ log level variable (0 = INFO ... 2 = ERROR). */
    static final String LEVEL_VARIABLE = "TORCH_CPP_LOG_LEVEL";

    /** Set (to anything but empty or 0) to keep the engine's log. */
    static final String VERBOSE_VARIABLE = "CVR_VERBOSE";

    private EngineLog() {}

    /** The C library's setenv. */
    private interface CLibrary extends com.sun.jna.Library {
        int setenv(String name, String value, int overwrite);
    }

    /** Whether this invocation asked for the engine's log. */
    static boolean verbose(List<String> args, Map<String, String> environment) {
        String v = environment.get(VERBOSE_VARIABLE);
        return args.contains("--verbose") || (v != null && !v.isEmpty() && !v.equals("0"));
    }

    /** Silences the engine's warnings for this process unless {@link #verbose}. */
    static void quietUnlessVerbose(List<String> args, Map<String, String> environment) {
        if (verbose(args, environment) || environment.containsKey(LEVEL_VARIABLE)) {
            return;
        }
        try {
            com.sun.jna.Native.load("c", CLibrary.class).setenv(LEVEL_VARIABLE, "ERROR", 0);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            // Not fatal: the engine's warnings then reach the terminal.
        }
    }
}
