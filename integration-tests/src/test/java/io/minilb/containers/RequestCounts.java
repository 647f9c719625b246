package io.minilb.containers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How many requests for one path each simulator has received, by alias: a snapshot of their admin counters. */
record RequestCounts(String path, Map<String, Long> perServer) {

    static RequestCounts of(List<PdServer> servers, String path) {
        Map<String, Long> counts = new LinkedHashMap<>();
        servers.forEach(server -> counts.put(server.alias(), server.admin().requestCount(path)));
        return new RequestCounts(path, counts);
    }

    /** Requests each server received between {@code earlier} and this snapshot. */
    Map<String, Long> since(RequestCounts earlier) {
        Map<String, Long> increase = new LinkedHashMap<>();
        perServer.forEach((alias, count) -> increase.put(alias, count - earlier.perServer.getOrDefault(alias, 0L)));
        return increase;
    }

    /** The same count for every server. */
    static Map<String, Long> each(List<PdServer> servers, long count) {
        Map<String, Long> counts = new LinkedHashMap<>();
        servers.forEach(server -> counts.put(server.alias(), count));
        return counts;
    }
}
