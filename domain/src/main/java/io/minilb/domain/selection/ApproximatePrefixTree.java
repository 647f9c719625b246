package io.minilb.domain.selection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A radix tree of the prompt prefixes routed to each worker (its "tenants"), approximating what each worker holds in
 * its own prefix cache. Keys are prompts ({@link PromptKey}), edges int sequences (characters or token ids). Every
 * node on a tenant's path carries the tenant with the time it was last used there, so a node's tenants always include
 * its children's: the least recently used leaves of a tenant are what eviction removes first. A tenant's size is the
 * number of key elements it holds. A decision walks the prompt down the tree once ({@link #walk}), then matches and
 * inserts along that path. Not thread-safe: its owner locks.
 */
final class ApproximatePrefixTree {

    /** The longest prefix held by one of the allowed tenants, and that tenant (the most recent at the deepest node). */
    record Match(int length, Optional<String> tenant) {
    }

    private static final class Node {
        int[] edge;
        Node parent;
        final Map<Integer, Node> children = new HashMap<>(2);
        final Map<String, Long> tenants = new HashMap<>(2);

        Node(int[] edge, Node parent) {
            this.edge = edge;
            this.parent = parent;
        }

        boolean hasChildOf(String tenant) {
            for (Node child : children.values()) {
                if (child.tenants.containsKey(tenant)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Node root = new Node(new int[0], null);
    private final Map<String, Long> sizes = new HashMap<>();
    /** The nodes the last walked key passes through, top down; reused from one walk to the next. */
    private final ArrayList<Node> path = new ArrayList<>();
    private PromptKey walked;
    /** Elements of the walked key the tree holds: the path's length, the last node's edge possibly in part. */
    private int walkedLength;

    /**
     * Follows the key down the tree as far as the tree holds it, comparing each element once; {@link #match} and
     * {@link #insert} then work on that path without reading the key again.
     */
    void walk(PromptKey key) {
        path.clear();
        walked = key;
        Node node = root;
        int position = 0;
        while (position < key.length()) {
            Node child = node.children.get(key.at(position));
            if (child == null) {
                break;
            }
            path.add(child);
            int common = key.commonLength(child.edge, position);
            position += common;
            if (common < child.edge.length) {
                break;
            }
            node = child;
        }
        walkedLength = position;
    }

    /** Of the walked key, the longest prefix held by an allowed tenant. */
    Match match(Predicate<String> allowed) {
        String tenant = null;
        int length = 0;
        int position = 0;
        for (int i = 0; i < path.size(); i++) {
            Node node = path.get(i);
            // A node's tenants include its children's: below a node no allowed tenant holds, none does.
            String recent = mostRecent(node, allowed);
            if (recent == null) {
                break;
            }
            position = Math.min(position + node.edge.length, walkedLength);
            tenant = recent;
            length = position;
        }
        return new Match(length, Optional.ofNullable(tenant));
    }

    /** Records the walked key for the tenant: marks the path, splits its last edge where the key leaves it. */
    void insert(String tenant, long now) {
        Long time = now;
        root.tenants.put(tenant, time);
        sizes.putIfAbsent(tenant, 0L);
        Node parent = root;
        int position = 0;
        for (int i = 0; i < path.size(); i++) {
            Node node = path.get(i);
            int common = Math.min(node.edge.length, walkedLength - position);
            Node held = common < node.edge.length ? split(node, common) : node;
            hold(held, tenant, time);
            position += common;
            parent = held;
        }
        if (position < walked.length()) {
            Node leaf = new Node(walked.copyFrom(position), parent);
            parent.children.put(leaf.edge[0], leaf);
            hold(leaf, tenant, time);
        }
        path.clear();
        walked = null;
    }

    private void hold(Node node, String tenant, Long time) {
        if (node.tenants.put(tenant, time) == null) {
            sizes.merge(tenant, (long) node.edge.length, Long::sum);
        }
    }

    /** Key elements held for this tenant: its share of the tree's memory. */
    long size(String tenant) {
        return sizes.getOrDefault(tenant, 0L);
    }

    Set<String> tenants() {
        return Set.copyOf(sizes.keySet());
    }

    /** Removes the tenant's least recently used leaves until it holds at most {@code maxSize} elements. */
    void evict(String tenant, long maxSize) {
        if (size(tenant) <= maxSize) {
            return;
        }
        PriorityQueue<Node> leaves = new PriorityQueue<>(Comparator.comparingLong(leaf -> leaf.tenants.get(tenant)));
        collectLeaves(root, tenant, leaves);
        while (size(tenant) > maxSize && !leaves.isEmpty()) {
            Node leaf = leaves.poll();
            Node parent = leaf.parent;
            detach(leaf, tenant);
            if (parent != root && !parent.hasChildOf(tenant)) {
                leaves.add(parent);
            }
        }
    }

    /** Forgets the tenant everywhere: a worker that left the pool. */
    void remove(String tenant) {
        List<Node> held = held(root, tenant);
        // Deepest first, so that a node is pruned only once its children were.
        for (int i = held.size() - 1; i >= 0; i--) {
            detach(held.get(i), tenant);
        }
        root.tenants.remove(tenant);
        sizes.remove(tenant);
    }

    private void detach(Node node, String tenant) {
        node.tenants.remove(tenant);
        sizes.merge(tenant, (long) -node.edge.length, Long::sum);
        if (node.tenants.isEmpty()) {
            node.parent.children.remove(node.edge[0]);
        }
    }

    /** Splits {@code node}'s edge after {@code length} elements: the new upper node keeps the same tenants. */
    private static Node split(Node node, int length) {
        Node upper = new Node(Arrays.copyOfRange(node.edge, 0, length), node.parent);
        upper.tenants.putAll(node.tenants);
        node.parent.children.put(upper.edge[0], upper);
        node.edge = Arrays.copyOfRange(node.edge, length, node.edge.length);
        node.parent = upper;
        upper.children.put(node.edge[0], node);
        return upper;
    }

    private static void collectLeaves(Node from, String tenant, PriorityQueue<Node> leaves) {
        for (Node node : held(from, tenant)) {
            if (!node.hasChildOf(tenant)) {
                leaves.add(node);
            }
        }
    }

    /**
     * The nodes below {@code from} that hold the tenant, each before its descendants. Iterative: a tree built from
     * ever longer prompts is as deep as the longest one.
     */
    private static List<Node> held(Node from, String tenant) {
        List<Node> held = new ArrayList<>();
        ArrayDeque<Node> pending = new ArrayDeque<>();
        pending.push(from);
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            for (Node child : node.children.values()) {
                if (child.tenants.containsKey(tenant)) {
                    held.add(child);
                    pending.push(child);
                }
            }
        }
        return held;
    }

    private static String mostRecent(Node node, Predicate<String> allowed) {
        String best = null;
        long bestTime = Long.MIN_VALUE;
        for (Map.Entry<String, Long> entry : node.tenants.entrySet()) {
            if (entry.getValue() > bestTime && allowed.test(entry.getKey())) {
                best = entry.getKey();
                bestTime = entry.getValue();
            }
        }
        return best;
    }
}
