package dev.jfail.dsl

import dev.jfail.FailPoints
import dev.jfail.spi.Names
import groovy.transform.CompileStatic

/**
 * {@code sysctl(8)} for failpoints, taking the very strings a kernel engineer would type:
 * <pre>
 * sysctl 'debug.fail_point.vmob_scan_rename_unlock=20%return(1)'   // sets, returns the read-back
 * sysctl 'debug.fail_point.vmob_scan_rename_unlock'                // reads back
 * sysctl 'debug.fail_point'                                        // every point, name to read-back
 * sysctl 'debug.fail_point.a=yield', 'debug.fail_point.b=off'      // several: all set or none
 * </pre>
 * The {@code debug.fail_point.} prefix may be left out, as everywhere in jfail.
 */
@CompileStatic
final class SysctlCommand {

    private static final String NODE = 'debug.fail_point'

    private SysctlCommand() {
    }

    /**
     * One argument gives one answer: the read-back as a String, or for {@code debug.fail_point}
     * itself the map of every point. Several arguments give a map of each name to its read-back.
     */
    static Object sysctl(String first, String... more) {
        List<String> args = [first] + (more as List<String>)
        if (args.size() == 1 && args[0]?.trim() == NODE) {
            return FailPoints.list()
        }
        List<String> assignments = args.findAll { String arg -> arg?.contains('=') }
        if (assignments) {
            // settings cannot contain ';' (see the grammar), so the registry's list form carries them whole
            Map<String, String> settings = [:]
            assignments.each { String arg ->
                Map.Entry<String, String> assignment = assignmentOf(arg)
                settings.remove(assignment.key) // the later argument wins, as in the list form
                settings.put(assignment.key, assignment.value)
            }
            FailPoints.setAll(FailPoints.listOf(settings))
        }
        Map<String, String> readBack = args.collectEntries { String arg ->
            String name = Names.canonical((arg.contains('=') ? arg.substring(0, arg.indexOf('=')) : arg).trim())
            [(name): FailPoints.get(name)]
        }
        args.size() == 1 ? readBack.values().first() : readBack
    }

    /** {@code x='50%sleep(10)'} as pasted from a shell: the quotes are the shell's, not the setting's. */
    private static String unquoted(String setting) {
        boolean quoted = setting.length() >= 2 && (setting[0] == "'" || setting[0] == '"') && setting[-1] == setting[0]
        quoted ? setting.substring(1, setting.length() - 1).trim() : setting
    }

    /** {@code debug.fail_point.NAME=SETTING} as the name and the setting of one entry of the registry's list form. */
    static Map.Entry<String, String> assignmentOf(String arg) {
        int eq = arg.indexOf('=')
        if (eq < 0) {
            throw new IllegalArgumentException("'$arg' sets nothing; write debug.fail_point.NAME=SETTING")
        }
        String setting = unquoted(arg.substring(eq + 1).trim())
        if (setting.contains(';')) {
            throw new IllegalArgumentException("sysctl '$arg': one setting per argument; give several arguments for several points")
        }
        Map.entry(Names.canonical(arg.substring(0, eq).trim()), setting)
    }
}
