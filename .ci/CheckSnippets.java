import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Examples are tests: every Java or Groovy block shown in the given Markdown pages is either a
 * region of a source file that the build compiles and runs, or says it is an excerpt.
 *
 * <pre>
 * &lt;!-- snippet: examples/src/test/java/com/example/bank/AccountTest.java#hold --&gt;
 * ```java                                    the block must equal the lines between
 * ...                                        "tag::hold[]" and "end::hold[]" in that file
 * ```                                        (indentation aside; nested tag lines left out)
 *
 * &lt;!-- excerpt --&gt;                         a fragment, not meant to compile on its own
 * </pre>
 *
 * Run from the repository's root: {@code java .ci/CheckSnippets.java README.md docs/guide/*.md}.
 * Exit 1 with one line per offending block.
 */
public class CheckSnippets {

    private static final Set<String> CHECKED = Set.of("java", "groovy");

    public static void main(String[] args) throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        int excerpts = 0;
        for (String page : args) {
            List<String> lines = Files.readAllLines(Path.of(page));
            for (int i = 0; i < lines.size(); i++) {
                String fence = lines.get(i).strip();
                if (!fence.startsWith("```")) {
                    continue;
                }
                int end = closingFence(lines, i);
                String lang = fence.substring(3).strip();
                if (CHECKED.contains(lang)) {
                    String marker = markerBefore(lines, i);
                    String where = page + ":" + (i + 1);
                    if (marker.equals("<!-- excerpt -->")) {
                        excerpts++;
                    } else if (marker.startsWith("<!-- snippet:") && marker.endsWith("-->")) {
                        String ref = marker.substring("<!-- snippet:".length(), marker.length() - 3).strip();
                        String problem = compare(ref, lines.subList(i + 1, end));
                        if (problem != null) {
                            problems.add(where + ": " + problem);
                        }
                        checked++;
                    } else {
                        problems.add(where + ": " + lang + " block is neither from a compiled source"
                                + " (<!-- snippet: FILE#TAG --> before it) nor marked <!-- excerpt -->");
                    }
                }
                i = end;
            }
        }
        problems.forEach(System.err::println);
        System.out.println("snippets: " + checked + " checked against their sources, " + excerpts
                + " marked as excerpts, " + problems.size() + " problem(s)");
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    private static int closingFence(List<String> lines, int open) {
        for (int j = open + 1; j < lines.size(); j++) {
            if (lines.get(j).strip().equals("```")) {
                return j;
            }
        }
        return lines.size();
    }

    private static String markerBefore(List<String> lines, int fence) {
        for (int j = fence - 1; j >= 0; j--) {
            if (!lines.get(j).isBlank()) {
                return lines.get(j).strip();
            }
        }
        return "";
    }

    /** Null when the block equals the tagged region of the file, else what differs. */
    private static String compare(String ref, List<String> block) throws IOException {
        int hash = ref.lastIndexOf('#');
        if (hash < 0) {
            return "snippet reference '" + ref + "' has no #TAG";
        }
        Path file = Path.of(ref.substring(0, hash));
        String tag = ref.substring(hash + 1);
        if (!Files.isRegularFile(file)) {
            return "snippet source " + file + " does not exist";
        }
        List<String> source = Files.readAllLines(file);
        int from = -1;
        int to = -1;
        for (int j = 0; j < source.size(); j++) {
            if (source.get(j).contains("tag::" + tag + "[]")) {
                from = j + 1;
            } else if (source.get(j).contains("end::" + tag + "[]")) {
                to = j;
            }
        }
        if (from < 0 || to < from) {
            return file + " has no region tag::" + tag + "[] ... end::" + tag + "[]";
        }
        List<String> region = new ArrayList<>();
        for (String line : source.subList(from, to)) {
            if (!line.contains("tag::") && !line.contains("end::")) {
                region.add(line);
            }
        }
        List<String> want = dedent(region);
        List<String> got = dedent(block);
        for (int k = 0; k < Math.max(want.size(), got.size()); k++) {
            String w = k < want.size() ? want.get(k) : "<end>";
            String g = k < got.size() ? got.get(k) : "<end>";
            if (!w.equals(g)) {
                return "block differs from " + ref + " at its line " + (k + 1) + ": shown '" + g.strip()
                        + "', source '" + w.strip() + "'";
            }
        }
        return null;
    }

    private static List<String> dedent(List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(l.isBlank() ? "" : l.substring(indent).stripTrailing());
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        while (!out.isEmpty() && out.get(0).isEmpty()) {
            out.remove(0);
        }
        return out;
    }
}
