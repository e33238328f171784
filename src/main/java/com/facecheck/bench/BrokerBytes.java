package com.facecheck.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;

/** What the broker holds on disk, per topic, as it reports it (the log directories' replica sizes). */
final class BrokerBytes {

    private BrokerBytes() {
    }

    static Map<String, Long> byTopic(Admin admin) {
        try {
            Map<String, Long> sizes = new HashMap<>();
            var brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id).toList();
            admin.describeLogDirs(brokers).allDescriptions().get(30, TimeUnit.SECONDS).values()
                    .forEach(dirs -> dirs.values().forEach(dir -> dir.replicaInfos().forEach(
                            (partition, replica) -> sizes.merge(partition.topic(), replica.size(), Long::sum))));
            return sizes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the broker for its log sizes", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not report its log sizes: " + e.getMessage(), e);
        }
    }

    /** Bytes the topics other than {@code except} grew by from {@code before} to {@code after}. */
    static long written(Map<String, Long> before, Map<String, Long> after, String except) {
        long grown = 0;
        for (var topic : after.entrySet()) {
            if (!topic.getKey().equals(except)) {
                grown += Math.max(0, topic.getValue() - before.getOrDefault(topic.getKey(), 0L));
            }
        }
        return grown;
    }
}
