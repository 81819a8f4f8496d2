package org.causalcvr.experiments;

/** The version of causal-cvr that ran an experiment, as recorded in every report. */
public final class CodeVersion {
    private CodeVersion() {}

    /**
     * The {@code Implementation-Version} of this library's jar, or {@code development} when run
     * from classes (an IDE, the module's own tests).
     */
    public static String current() {
        String v = CodeVersion.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** The machine in words: operating system, architecture, cores and Java version. */
    public static String machine() {
        return System.getProperty("os.name")
                + " "
                + System.getProperty("os.arch")
                + ", "
                + Runtime.getRuntime().availableProcessors()
                + " cores, Java "
                + System.getProperty("java.version");
    }
}
