package com.facecheck.ops;

import com.facecheck.topology.TopicNames;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the worker's topics that do not exist yet. */
public final class TopicSetup {

    private TopicSetup() {
    }

    /** Creates every missing topic of {@code names} with {@code partitions} partitions; returns those created. */
    public static List<String> createMissing(String bootstrapServers, TopicNames names, int partitions,
                                             short replicationFactor) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> missing = missing(admin, names).stream()
                    .map(t -> new NewTopic(t, partitions, replicationFactor)).toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            return missing.stream().map(NewTopic::name).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics at " + bootstrapServers + ": "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    /** The topics of {@code names} that do not exist, in the order of {@link TopicNames#all()}. */
    public static List<String> missing(Admin admin, TopicNames names)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        return names.all().stream().filter(topic -> !existing.contains(topic)).toList();
    }
}
