import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/**
 * Counts the tests in the Surefire and Failsafe reports under the current folder and prints, alone on
 * their lines, "containers: N passed, N failed, N skipped" (suites of one package) and
 * "tests: N passed, N failed, N skipped" (all). Exits 1 when a test failed or when no test of that
 * package executed.
 *
 * <p>Usage: {@code java .ci/TestTally.java PACKAGE [SINCE_FILE]}: only reports written after
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
            System.err.println("usage: java .ci/TestTally.java PACKAGE [SINCE_FILE]");
            System.exit(2);
        }
        String containerPackage = args[0] + ".";
        FileTime since = args.length > 1 ? Files.getLastModifiedTime(Path.of(args[1])) : FileTime.fromMillis(0);

        Tally containers = Tally.NONE;
        Tally all = Tally.NONE;
        for (Path report : reportsWrittenSince(since)) {
            Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(report.toFile()).getDocumentElement();
            Tally tally = tallyOf(suite);
            all = all.plus(tally);
            if (suite.getAttribute("name").startsWith(containerPackage)) {
                containers = containers.plus(tally);
            }
        }
        System.out.println(containers.line("containers"));
        System.out.println(all.line("tests"));
        if (all.failed > 0) {
            System.out.println("ci: " + all.failed + " test(s) failed");
            System.exit(1);
        }
        if (containers.passed == 0) {
            System.out.println("ci: no test of " + args[0] + " executed (is a Docker engine running?)");
            System.exit(1);
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
