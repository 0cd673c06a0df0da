package dev.jfail.kernel.runner;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of {@code jfail-races}: its exit status and what it printed. */
record Ran(int status, String out, String err) {

    static Ran run(String... args) {
        CommandLine cl = RacesCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Ran(status, out.toString(), err.toString());
    }
}
