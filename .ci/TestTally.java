import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/**
 * Counts the tests in the Surefire and Failsafe reports under the current folder and prints, alone on
 * their lines, "containers: N passed, N failed, N skipped" for each package named (labelled by its last
 * segment) and "tests: N passed, N failed, N skipped" (all). Exits 1 when a test failed or when no test
 * of one of those packages passed (their tests skip where Docker or a browser is missing).
 *
 * <p>Usage: {@code java .ci/TestTally.java PACKAGE[,PACKAGE...] [SINCE_FILE]}: only reports written after
 * SINCE_FILE's modification time count, so stale reports of an earlier build in the same tree don't.
 */
public final class TestTally {

    record Tally(int passed, int failed, int skipped) {
        static final Tally NONE = new Tally(0, 0, 0);

        Tally plus(Tally other) {
            return new Tally(passed + other.passed, failed + other.failed, skipped + other.skipped);
        }

        String line(String label) {
            return label + ": " + passed + " passed, " + failed + " failed, " + skipped + " skipped";
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java .ci/TestTally.java PACKAGE[,PACKAGE...] [SINCE_FILE]");
            System.exit(2);
        }
        List<String> packages = List.of(args[0].split(","));
        FileTime since = args.length > 1 ? Files.getLastModifiedTime(Path.of(args[1])) : FileTime.fromMillis(0);

        Map<String, Tally> byPackage = new LinkedHashMap<>();
        packages.forEach(name -> byPackage.put(name, Tally.NONE));
        Tally all = Tally.NONE;
        for (Path report : reportsWrittenSince(since)) {
            Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(report.toFile()).getDocumentElement();
            Tally tally = tallyOf(suite);
            all = all.plus(tally);
            for (String name : packages) {
                if (suite.getAttribute("name").startsWith(name + ".")) {
                    byPackage.merge(name, tally, Tally::plus);
                }
            }
        }
        byPackage.forEach((name, tally) -> System.out.println(tally.line(name.substring(name.lastIndexOf('.') + 1))));
        System.out.println(all.line("tests"));
        if (all.failed > 0) {
            System.out.println("ci: " + all.failed + " test(s) failed");
            System.exit(1);
        }
        for (Map.Entry<String, Tally> entry : byPackage.entrySet()) {
            if (entry.getValue().passed == 0) {
                System.out.println("ci: no test of " + entry.getKey() + " passed (skipped: the reason is printed above;"
                        + " is a Docker engine running, is chromium installed?)");
                System.exit(1);
            }
        }
    }

    private static Tally tallyOf(Element suite) {
        int tests = count(suite, "tests");
        int failed = count(suite, "failures") + count(suite, "errors");
        int skipped = count(suite, "skipped");
        return new Tally(tests - failed - skipped, failed, skipped);
    }

    private static int count(Element suite, String attribute) {
        String value = suite.getAttribute(attribute);
        return value.isEmpty() ? 0 : Integer.parseInt(value);
    }

    private static List<Path> reportsWrittenSince(FileTime since) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("."))) {
            return files
                    .filter(file -> file.getParent() != null)
                    .filter(file -> List.of("surefire-reports", "failsafe-reports")
                            .contains(file.getParent().getFileName().toString()))
                    .filter(file -> file.getFileName().toString().matches("TEST-.*\\.xml"))
                    .filter(file -> modifiedAfter(file, since))
                    .sorted()
                    .toList();
        }
    }

    private static boolean modifiedAfter(Path file, FileTime since) {
        try {
            return Files.getLastModifiedTime(file).compareTo(since) >= 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
