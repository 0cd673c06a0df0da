package dev.jfail.config;

import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.Messages;
import dev.jfail.core.Report;
import dev.jfail.core.SettingList;
import dev.jfail.tooling.Declaration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The settings and declarations a JVM starts with, from the {@code FAILPOINTS} environment variable,
 * {@code -Ddebug.fail_point.NAME=SETTING} and {@code -Djfail.points=...} system properties, and the
 * agent's argument, applied in that order (the most specific last). Each source stands alone: a bad
 * one is reported on one line and ignored, the others still apply, and the JVM runs on.
 */
public final class StartupSettings {

    static final String ENVIRONMENT = "FAILPOINTS";
    static final String POINTS_PROPERTY = "jfail.points";

    private StartupSettings() {
    }

    /** Declarations from {@code -Djfail.points}; a bad list is reported and ignored. */
    public static List<Declaration> declaredByProperty(Properties properties) {
        String points = properties.getProperty(POINTS_PROPERTY);
        if (points == null || points.isBlank()) {
            return List.of();
        }
        List<Declaration> specs = new ArrayList<>();
        for (String entry : points.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                specs.add(Declaration.parse(entry));
            } catch (IllegalArgumentException e) {
                Report.error("-D" + POINTS_PROPERTY + ": " + e.getMessage() + " (ignored)");
            }
        }
        return specs;
    }

    public static void applyEnvironment(FailPointRegistry registry, Map<String, String> environment) {
        String settings = environment.get(ENVIRONMENT);
        if (settings != null && !settings.isBlank()) {
            applyAll(registry, ENVIRONMENT, settings);
        }
    }

    public static void applyProperties(FailPointRegistry registry, Properties properties) {
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (key.startsWith(FailPointRegistry.SYSCTL_PREFIX) && key.length() > FailPointRegistry.SYSCTL_PREFIX.length()) {
                String setting = properties.getProperty(key);
                try {
                    registry.set(key, setting);
                } catch (RuntimeException e) {
                    Report.error("-D" + key + "=" + setting + ": " + Messages.oneLine(e) + " (ignored)");
                }
            }
        }
    }

    /** {@code name=setting;...} from one source, all or nothing. */
    public static void applyAll(FailPointRegistry registry, String source, String settings) {
        applyAll(registry, source, List.of(settings));
    }

    /** Several {@code name=setting;...} lists from one source as one, all or nothing. */
    public static void applyAll(FailPointRegistry registry, String source, List<String> lists) {
        boolean blank = true;
        for (String list : lists) { // no stream: the agent's start must not link the JVM's first lambda
            blank &= list.isBlank();
        }
        if (blank) {
            return;
        }
        try {
            registry.setAll(SettingList.concat(lists));
        } catch (RuntimeException e) {
            Report.error(source + ": " + Messages.oneLine(e) + " (ignored)");
        }
    }
}
