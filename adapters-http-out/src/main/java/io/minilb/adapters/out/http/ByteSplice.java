package io.minilb.adapters.out.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A copy of a byte array with some ranges replaced, planned before it is built: its {@link #length} is known first,
 * so the caller can check it against a limit and reserve it before a single byte is copied. Edits must not overlap.
 */
final class ByteSplice {

    private record Edit(int at, int removed, byte[][] inserted) {
    }

    private final byte[] source;
    private final List<Edit> edits = new ArrayList<>();
    private long length;

    ByteSplice(byte[] source) {
        this.source = source;
        this.length = source.length;
    }

    /** Replaces {@code removed} bytes at {@code at} with the concatenation of {@code inserted}. */
    void replace(int at, int removed, byte[]... inserted) {
        edits.add(new Edit(at, removed, inserted));
        length -= removed;
        for (byte[] part : inserted) {
            length += part.length;
        }
    }

    void insert(int at, byte[]... inserted) {
        replace(at, 0, inserted);
    }

    boolean isEmpty() {
        return edits.isEmpty();
    }

    /** The length of the result, which may exceed what an array can hold. */
    long length() {
        return length;
    }

    /** The result; the source itself when there is no edit. */
    byte[] toByteArray() {
        if (edits.isEmpty()) {
            return source;
        }
        edits.sort(Comparator.comparingInt(Edit::at));
        byte[] out = new byte[Math.toIntExact(length)];
        int read = 0;
        int written = 0;
        for (Edit edit : edits) {
            int kept = edit.at() - read;
            System.arraycopy(source, read, out, written, kept);
            written += kept;
            for (byte[] part : edit.inserted()) {
                System.arraycopy(part, 0, out, written, part.length);
                written += part.length;
            }
            read = edit.at() + edit.removed();
        }
        System.arraycopy(source, read, out, written, source.length - read);
        return out;
    }
}
