package com.facecheck.bench.flink;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line the benchmark harness relies on; any problem is a {@link Problem} with a one-line message. */
final class Options {

    static final String USAGE = "usage: java -jar facecheck-bench-flink.jar --bootstrap HOST:PORT --requests TOPIC"
            + " --result-topics T0,...,T9 --provider-url http://HOST:PORT --capacity N --checkpoint-interval-ms MS"
            + " --group GROUP --transactional-id-prefix PREFIX --stats-file PATH [--parallelism 1] [--call-timeout-ms 10000]"
            + " (provider credential in FACECHECK_APPCODE)";

    private static final Set<String> REQUIRED = Set.of("bootstrap", "requests", "result-topics", "provider-url", "capacity",
            "checkpoint-interval-ms", "group", "transactional-id-prefix", "stats-file");
    private static final Set<String> OPTIONAL = Set.of("parallelism", "call-timeout-ms");

    final String bootstrap;
    final String requests;
    final List<String> resultTopics;
    final String providerUrl;
    final int capacity;
    final long checkpointIntervalMs;
    final String group;
    final String transactionalIdPrefix;
    final String statsFile;
    final int parallelism;
    final long callTimeoutMs;
    final String appCode;

    static final class Problem extends Exception {
        Problem(String message) {
            super(message);
        }
    }

    private Options(Map<String, String> v, String appCode) throws Problem {
        bootstrap = v.get("bootstrap");
        if (!bootstrap.matches("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*")) {
            throw new Problem("--bootstrap must be HOST:PORT[,HOST:PORT...], not '" + bootstrap + "'");
        }
        requests = nonBlank(v, "requests");
        resultTopics = new ArrayList<>();
        for (String topic : v.get("result-topics").split(",", -1)) {
            if (topic.isBlank()) {
                throw new Problem("--result-topics has an empty topic name");
            }
            resultTopics.add(topic.strip());
        }
        if (resultTopics.size() != 10) {
            throw new Problem("--result-topics needs exactly 10 comma-separated topics (index = code 0-9), got "
                    + resultTopics.size());
        }
        providerUrl = stripSlash(v.get("provider-url"));
        try {
            URI uri = URI.create(providerUrl);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new Problem("--provider-url must be an http(s) URL such as http://127.0.0.1:39180, not '" + providerUrl + "'");
        }
        capacity = (int) positive(v, "capacity", 1_000_000);
        checkpointIntervalMs = positive(v, "checkpoint-interval-ms", Long.MAX_VALUE);
        if (checkpointIntervalMs < 10) {
            throw new Problem("--checkpoint-interval-ms must be at least 10 (Flink's minimum)");
        }
        group = nonBlank(v, "group");
        transactionalIdPrefix = nonBlank(v, "transactional-id-prefix");
        statsFile = nonBlank(v, "stats-file");
        parallelism = v.containsKey("parallelism") ? (int) positive(v, "parallelism", 1024) : 1;
        callTimeoutMs = v.containsKey("call-timeout-ms") ? positive(v, "call-timeout-ms", 3_600_000) : 10_000;
        if (appCode == null || appCode.isBlank()) {
            throw new Problem("environment variable FACECHECK_APPCODE (the provider's AppCode) is not set");
        }
        this.appCode = appCode.strip();
    }

    static Options parse(String[] args, Map<String, String> env) throws Problem {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new Problem("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!REQUIRED.contains(name) && !OPTIONAL.contains(name)) {
                throw new Problem("unknown option --" + name);
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new Problem("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (values.put(name, value) != null) {
                throw new Problem("option --" + name + " given twice");
            }
        }
        for (String name : REQUIRED.stream().sorted().toList()) {
            if (!values.containsKey(name)) {
                throw new Problem("missing option --" + name);
            }
        }
        return new Options(values, env.get("FACECHECK_APPCODE"));
    }

    private static String nonBlank(Map<String, String> v, String name) throws Problem {
        String value = v.get(name);
        if (value == null || value.isBlank()) {
            throw new Problem("--" + name + " must not be empty");
        }
        return value.strip();
    }

    private static long positive(Map<String, String> v, String name, long max) throws Problem {
        String value = v.get(name);
        try {
            long n = Long.parseLong(value.strip());
            if (n < 1 || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Problem("--" + name + " must be a whole number from 1 to " + max + ", not '" + value + "'");
        }
    }

    private static String stripSlash(String url) {
        String s = url.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
