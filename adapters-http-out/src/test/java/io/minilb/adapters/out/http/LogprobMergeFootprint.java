package io.minilb.adapters.out.http;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The heap a logprob merge costs: merges a prefill answer and a decode answer of N MB each (top logprobs, as SGLang
 * writes them) and prints the bytes the merge allocated. Run with a small -Xmx to find the heap it needs, e.g.
 * {@code java -Xmx192m -cp <test-classes:classes:jackson jars> io.minilb.adapters.out.http.LogprobMergeFootprint 30}.
 * Not a test: surefire does not run it.
 */
public final class LogprobMergeFootprint {

    private LogprobMergeFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int mb = Integer.parseInt(args[0]);
        byte[] prefill = answer(mb, "input_top_logprobs", true);
        byte[] decode = answer(mb, "output_top_logprobs", false);
        System.gc();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        byte[] merged = PrefillLogprobs.fromBody(prefill).intoBody(decode).toByteArray();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("prefill %d B, decode %d B, merged %d B, allocated by the merge %d B = %.1f x the decode answer%n",
                prefill.length, decode.length, merged.length, allocated, (double) allocated / decode.length);
    }

    /** {@code {"text": ..., "meta_info": {"input_token_logprobs": [...], field: [1000 [logprob, id, null] per token]}}} */
    static byte[] answer(int mb, String field, boolean prefill) {
        StringBuilder token = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            token.append(i == 0 ? "" : ",").append("[-").append(1 + i % 9).append(".234567,").append(100000 + i).append(",null]");
        }
        token.append(']');
        StringBuilder b = new StringBuilder("{\"text\":\"hi\",\"meta_info\":{\"id\":\"x\",\"input_token_logprobs\":")
                .append(prefill ? "[[-1.5,1,null],[-2.5,2,null]]" : "[]").append(",\"").append(field).append("\":[");
        int tokens = mb * 1024 * 1024 / token.length();
        for (int t = 0; t < tokens; t++) {
            b.append(t == 0 ? "" : ",").append(token);
        }
        return b.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
