package org.causalcvr.cli;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps the engine's own log out of the terminal unless asked for: PyTorch's C++ library prints
 * lines such as {@code [W1130 05:12:59.02 LegacyTypeDispatch.h:74] Warning: AutoNonVariableTypeMode
 * is deprecated ...}, which say nothing to the user (that one came from DJL's {@code NDArray.set}
 * when a model was loaded; the backend now copies parameters in place and no longer triggers it,
 * but other engine paths still may).
 *
 * <p>Why a filter: libtorch writes these lines from C++ straight to file descriptor 2, and its log
 * level variable ({@code TORCH_CPP_LOG_LEVEL}) is read only when Python initialises torch, so
 * setting it does not silence them (measured: with TORCH_CPP_LOG_LEVEL=ERROR or 2 exported before
 * the JVM starts, the line still appears). So the process's standard error becomes a pipe (the C
 * library's {@code pipe} and {@code dup2}) read by one thread that drops the engine's info and
 * warning lines (c10's {@code [I...]}/{@code [W...]} prefix) and passes every other byte on to the
 * real standard error. {@code --verbose} or {@value #VERBOSE_VARIABLE}{@code =1} leaves standard
 * error untouched.
 */
final class EngineLog {
    /** Set (to anything but empty or 0) to keep the engine's log. */
    static final String VERBOSE_VARIABLE = "CVR_VERBOSE";

    /** c10's log line prefix for info and warning: {@code [W1130 05:12:59.020985321 File.h:74]}. */
    private static final Pattern ENGINE_LINE =
            Pattern.compile("^\\[[IW]\\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d+ [^\\]]*\\] .*");

    private EngineLog() {}

    /** The C library calls for the pipe. */
    private interface CLibrary extends com.sun.jna.Library {
        int pipe(int[] fds);

        int dup(int fd);

        int dup2(int from, int to);

        int close(int fd);

        long read(int fd, byte[] buffer, long count);

        long write(int fd, byte[] buffer, long count);
    }

    /** Whether this invocation asked for the engine's log. */
    static boolean verbose(List<String> args, Map<String, String> environment) {
        String v = environment.get(VERBOSE_VARIABLE);
        return args.contains("--verbose") || (v != null && !v.isEmpty() && !v.equals("0"));
    }

    /** Whether {@code line} is one of the engine's info or warning lines. */
    static boolean isEngineLine(String line) {
        return ENGINE_LINE.matcher(line).matches();
    }

    /**
     * Filters the engine's lines out of this process's standard error unless {@link #verbose}.
     * Returns the action that ends the filter (call it before exiting, so that nothing written to
     * standard error is lost); a no-op when nothing was set up.
     */
    static Runnable quietUnlessVerbose(List<String> args, Map<String, String> environment) {
        if (verbose(args, environment)) {
            return () -> {};
        }
        try {
            CLibrary c = com.sun.jna.Native.load("c", CLibrary.class);
            int[] fds = new int[2];
            if (c.pipe(fds) != 0) {
                return () -> {};
            }
            int realErr = c.dup(2);
            if (realErr < 0 || c.dup2(fds[1], 2) < 0) {
                c.close(fds[0]);
                c.close(fds[1]);
                return () -> {};
            }
            c.close(fds[1]);
            Thread pump = new Thread(() -> pump(c, fds[0], realErr), "cvr-stderr-filter");
            pump.setDaemon(true);
            pump.start();
            return () -> {
                System.err.flush();
                // the pipe's last writer goes: the pump reads to its end, then stops
                c.dup2(realErr, 2);
                try {
                    pump.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return () -> {}; // not fatal: the engine's lines then reach the terminal
        }
    }

    /** Copies lines from {@code in} to {@code out}, dropping the engine's. */
    private static void pump(CLibrary c, int in, int out) {
        byte[] buffer = new byte[8192];
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        try {
            while (true) {
                long n = c.read(in, buffer, buffer.length);
                if (n <= 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    line.write(buffer[i]);
                    if (buffer[i] == '\n') {
                        emit(c, out, line);
                    }
                }
            }
        } finally {
            emit(c, out, line);
            c.close(in);
        }
    }

    private static void emit(CLibrary c, int out, java.io.ByteArrayOutputStream line) {
        if (line.size() == 0) {
            return;
        }
        byte[] bytes = line.toByteArray();
        line.reset();
        if (isEngineLine(new String(bytes, StandardCharsets.UTF_8).stripTrailing())) {
            return;
        }
        int done = 0;
        while (done < bytes.length) {
            byte[] rest =
                    done == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, done, bytes.length);
            long w = c.write(out, rest, rest.length);
            if (w <= 0) {
                return;
            }
            done += (int) w;
        }
    }
}
