package dev.jfail.bench;

import dev.jfail.core.RuntimeDeclarations;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * {@code LoadAll JAR [PACKAGE] [--census]}: loads (without initialising) every class of {@code JAR}
 * on the class path, or those of {@code PACKAGE}: the application of {@code bench/startup-auto.sh}.
 * With {@code --census} (and the agent, with {@code auto@} declared) it prints, per class, how many
 * automatic points it got and of which kind, as a Markdown table.
 */
public final class LoadAll {

    private LoadAll() {
    }

    public static void main(String[] args) throws IOException {
        String prefix = args.length > 1 && !args[1].startsWith("--") ? args[1].replace('.', '/') + "/" : "";
        boolean census = List.of(args).contains("--census");
        List<String> loaded = new ArrayList<>();
        int failed = 0;
        try (JarFile jar = new JarFile(args[0])) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (!name.endsWith(".class") || !name.startsWith(prefix) || name.contains("-")) {
                    continue; // module-info, package-info, multi-release copies
                }
                String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                try {
                    Class.forName(className, false, LoadAll.class.getClassLoader());
                    loaded.add(className);
                } catch (ClassNotFoundException | LinkageError notHere) {
                    failed++;
                }
            }
        }
        System.out.println(loaded.size() + " classes loaded" + (failed == 0 ? "" : ", " + failed + " could not be"));
        if (census) {
            census(loaded);
        }
    }

    /** Per class: its automatic points by kind, from their explicit declarations' positions. */
    private static void census(List<String> classes) {
        Map<String, int[]> byClass = new TreeMap<>();
        for (String c : classes) {
            byClass.put(c, new int[6]);
        }
        for (String point : RuntimeDeclarations.automaticPoints()) {
            for (String declaration : RuntimeDeclarations.declarationsOf(point)) {
                String className = declaration.substring(declaration.indexOf('@') + 1, declaration.indexOf('#'));
                int[] counts = byClass.computeIfAbsent(className, k -> new int[6]);
                counts[kind(declaration)]++;
            }
        }
        System.out.println("| class | entry | exit | synchronized | calls | field checks | all |");
        System.out.println("|---|---|---|---|---|---|---|");
        int[] total = new int[6];
        int[] all = new int[byClass.size()];
        int i = 0;
        for (Map.Entry<String, int[]> e : byClass.entrySet()) {
            int[] n = e.getValue();
            n[5] = n[0] + n[1] + n[2] + n[3] + n[4];
            all[i++] = n[5];
            for (int k = 0; k < 6; k++) {
                total[k] += n[k];
            }
            System.out.printf("| %s | %d | %d | %d | %d | %d | %d |%n", e.getKey(), n[0], n[1], n[2], n[3], n[4], n[5]);
        }
        System.out.printf("| all %d classes | %d | %d | %d | %d | %d | %d |%n", byClass.size(), total[0], total[1], total[2],
                total[3], total[4], total[5]);
        java.util.Arrays.sort(all);
        System.out.printf("%npoints per class: median %d, 90th percentile %d, most %d%n", all[all.length / 2],
                all[Math.min(all.length - 1, (int) (all.length * 0.9))], all[all.length - 1]);
    }

    private static int kind(String declaration) {
        int colon = declaration.indexOf(':', declaration.indexOf('#'));
        String position = colon < 0 ? "entry" : declaration.substring(colon + 1);
        if (position.equals("entry")) {
            return 0;
        }
        if (position.equals("exit")) {
            return 1;
        }
        if (position.contains("=synchronized")) {
            return 2;
        }
        return position.contains("=field:") ? 4 : 3;
    }
}
