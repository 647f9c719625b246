package io.minilb.simulator.state;

import java.util.ArrayDeque;
import java.util.List;

/** The last N items added; thread-safe. */
final class BoundedHistory<T> {
    private final int capacity;
    private final ArrayDeque<T> items;

    BoundedHistory(int capacity) {
        this.capacity = capacity;
        this.items = new ArrayDeque<>(Math.min(capacity, 64));
    }

    synchronized void add(T item) {
        if (items.size() == capacity) {
            items.removeFirst();
        }
        items.addLast(item);
    }

    synchronized List<T> snapshot() {
        return List.copyOf(items);
    }

    synchronized void clear() {
        items.clear();
    }
}
