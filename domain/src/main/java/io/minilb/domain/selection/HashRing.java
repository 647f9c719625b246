package io.minilb.domain.selection;

import io.minilb.domain.worker.WorkerLoad;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A consistent-hash ring over worker ids, each placed at {@link #VIRTUAL_NODES} points. A point's place depends on
 * its worker's id only, so a worker joining or leaving moves just the keys that land next to its own points (about
 * 1/n of them); the others keep their worker. Immutable.
 */
final class HashRing {

    /** Enough points per worker that each gets close to 1/n of the keys (SGLang's router uses 150). */
    static final int VIRTUAL_NODES = 160;

    private final List<String> ids;
    private final long[] points;
    private final int[] owners;

    HashRing(List<? extends WorkerLoad> workers) {
        ids = workers.stream().map(WorkerLoad::id).toList();
        int count = ids.size() * VIRTUAL_NODES;
        long[][] pairs = new long[count][];
        for (int w = 0; w < ids.size(); w++) {
            String id = ids.get(w);
            for (int v = 0; v < VIRTUAL_NODES; v++) {
                pairs[w * VIRTUAL_NODES + v] = new long[] {hash(id + "#" + v), w};
            }
        }
        // Equal points (a 64-bit collision) are ordered by worker id so that the ring never depends on list order.
        Arrays.sort(pairs, (x, y) -> x[0] != y[0]
                ? Long.compare(x[0], y[0])
                : ids.get((int) x[1]).compareTo(ids.get((int) y[1])));
        points = new long[count];
        owners = new int[count];
        for (int i = 0; i < count; i++) {
            points[i] = pairs[i][0];
            owners[i] = (int) pairs[i][1];
        }
    }

    /** Whether this ring was built over exactly these workers, in this order. */
    boolean isOver(List<? extends WorkerLoad> candidates) {
        if (candidates.size() != ids.size()) {
            return false;
        }
        for (int i = 0; i < ids.size(); i++) {
            if (!candidates.get(i).id().equals(ids.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The index, in the list the ring was built over, of the worker owning the first point at or after the key's
     * hash, wrapping around.
     */
    int indexFor(long keyHash) {
        int index = Arrays.binarySearch(points, keyHash);
        int point = index >= 0 ? index : -index - 1;
        return owners[point == points.length ? 0 : point];
    }

    static long hash(String key) {
        return hash(key.getBytes(StandardCharsets.UTF_8));
    }

    /** FNV-1a then a murmur3 finalizer: stable across JVMs and runs (unlike String.hashCode mixing), well spread. */
    static long hash(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** The hash of the prompt's first {@code limit} elements (characters or token ids), read in place. */
    static long hashPrompt(RoutingContext context, int limit) {
        int length = Math.min(limit, context.promptLength());
        int[] tokens = context.sharedTokens();
        String text = context.promptText();
        boolean isTokens = context.hasTokens();
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++) {
            h ^= isTokens ? tokens[i] : text.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
