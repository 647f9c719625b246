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

/**
 * A radix tree of the prompt prefixes routed to each worker (its "tenants"), approximating what each worker holds in
 * its own prefix cache. Keys are int sequences (characters or token ids). Every node on a tenant's path carries the
 * tenant with the time it was last used there, so a node's tenants always include its children's: the least recently
 * used leaves of a tenant are what eviction removes first. A tenant's size is the number of key elements it holds.
 * Not thread-safe: its owner locks.
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

    Match match(int[] key, Set<String> allowed) {
        Node node = root;
        int position = 0;
        Match best = new Match(0, Optional.empty());
        while (position < key.length) {
            Node child = node.children.get(key[position]);
            if (child == null) {
                break;
            }
            Optional<String> tenant = mostRecent(child, allowed);
            if (tenant.isEmpty()) {
                break;
            }
            int common = commonLength(child.edge, key, position);
            position += common;
            best = new Match(position, tenant);
            if (common < child.edge.length) {
                break;
            }
            node = child;
        }
        return best;
    }

    void insert(int[] key, String tenant, long now) {
        Node node = root;
        node.tenants.put(tenant, now);
        sizes.putIfAbsent(tenant, 0L);
        int position = 0;
        while (position < key.length) {
            Node child = node.children.get(key[position]);
            if (child == null) {
                child = new Node(Arrays.copyOfRange(key, position, key.length), node);
                node.children.put(key[position], child);
            } else {
                int common = commonLength(child.edge, key, position);
                if (common < child.edge.length) {
                    child = split(child, common);
                }
            }
            if (child.tenants.put(tenant, now) == null) {
                sizes.merge(tenant, (long) child.edge.length, Long::sum);
            }
            position += child.edge.length;
            node = child;
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

    private static Optional<String> mostRecent(Node node, Set<String> allowed) {
        String best = null;
        long bestTime = Long.MIN_VALUE;
        for (Map.Entry<String, Long> entry : node.tenants.entrySet()) {
            if (allowed.contains(entry.getKey()) && (best == null || entry.getValue() > bestTime)) {
                best = entry.getKey();
                bestTime = entry.getValue();
            }
        }
        return Optional.ofNullable(best);
    }

    private static int commonLength(int[] edge, int[] key, int from) {
        int limit = Math.min(edge.length, key.length - from);
        int i = 0;
        while (i < limit && edge[i] == key[from + i]) {
            i++;
        }
        return i;
    }
}
