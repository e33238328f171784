package com.facecheck.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.chaos.ChaosRequests.Kind;
import com.facecheck.chaos.ChaosRequests.Sent;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationResult;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.topology.Admission;
import com.facecheck.topology.DeadLetters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topology's promises, checked after a scenario against what it sent, what the worker committed and what the
 * simulator saw:
 * <ol>
 *   <li>one result per request (two for a replayed one: its failure, then its final result, unless the provider
 *       always fails that person), none for a copy, none for a request nobody sent;</li>
 *   <li>one retryable dead letter per result that may be replayed, and none for any other;</li>
 *   <li>exact caps: of each burst for one ID number, exactly the per-ID cap admitted;</li>
 *   <li>calls at the simulator: each request's calls against the attempts its results count, and the calls the
 *       gateway billed, per request.</li>
 * </ol>
 * A copy shares its original's name, so a copy that was called shows as an extra call of the original.
 */
final class Promises {

    private static final int SHOWN = 10;
    /**
     * What a scenario ended with.
     *
     * @param extraCalls  calls beyond the attempts the results count: repeats after a crash or a lost answer
     * @param billedTwice requests the gateway billed more than once
     * @param problems    the first few broken promises, each naming the request
     */
    record Report(int records, int requests, int copies, int results, int lost, int doubled, int strangers,
                  int deadLetters, long calls, long extraCalls, int billedTwice, List<String> problems) {

        /** Promises 1–3 hold: nothing lost, nothing doubled, dead letters and caps exact. */
        Report assertKept() {
            assertThat(problems).as("broken promises, %s", this).isEmpty();
            return this;
        }

        /** The worker ran on by itself through what broke, and repeated no more calls than it exposed. */
        Report assertRanOnWithExtraCallsAtMost(WorkerProcess worker, long exposed) {
            assertThat(worker.alive()).as("the worker ran on by itself: %s", worker.log()).isTrue();
            assertThat(extraCalls).as("calls repeated, against %d exposed", exposed).isLessThanOrEqualTo(exposed);
            return this;
        }

        String summary() {
            return String.format("%d records (%d requests, %d copies): %d results, lost %d, doubled %d, %d retryable"
                    + " dead letters, %d calls, %d extra, %d billed twice", records, requests, copies, results, lost,
                    doubled, deadLetters, calls, extraCalls, billedTwice);
        }
    }

    private Promises() {
    }

    /** Checks every request of {@code sent}; those in {@code replayed} were replayed from the dead letters once. */
    static Report check(List<Sent> sent, Outputs out, ProviderSimulator simulator, Set<String> replayed) {
        Map<String, Sent> requests = new LinkedHashMap<>();
        int copies = 0;
        for (Sent each : sent) {
            if (each.kind() == Kind.COPY) {
                copies++;
            } else {
                requests.put(each.requestId(), each);
            }
        }
        List<String> problems = new ArrayList<>();
        int lost = 0;
        int doubled = 0;
        int deadLetters = 0;
        long calls = 0;
        long extraCalls = 0;
        int billedTwice = 0;
        Map<String, Integer> admittedById = new LinkedHashMap<>();
        for (Sent request : requests.values()) {
            String id = request.requestId();
            List<VerificationResult> results = out.resultsOf(id);
            int expectedResults = replayed.contains(id) ? 2 : 1;
            if (results.isEmpty()) {
                lost++;
                problem(problems, id + ": no result");
                continue;
            }
            if (results.size() > expectedResults) {
                doubled++;
                problem(problems, id + ": " + results.size() + " results " + codes(results));
            } else if (results.size() < expectedResults) {
                lost++;
                problem(problems, id + ": replayed, but only " + codes(results));
            }
            VerificationResult first = results.get(0);
            VerificationResult last = results.get(results.size() - 1);
            if (replayed.contains(id) && !replayable(first)) {
                problem(problems, id + ": replayed, but its first result " + first.error() + " was not replayable");
            }
            if (replayed.contains(id) && last.error() == Outcome.FAILED.code() && !ChaosRequests.alwaysFails(id)) {
                problem(problems, id + ": its replay failed again (" + last.reason() + ")");
            }
            long replayable = results.stream().filter(Promises::replayable).count();
            int letters = out.retryableDeadLettersOf(id);
            deadLetters += letters;
            if (letters != replayable) {
                problem(problems, id + ": " + letters + " retryable dead letters for " + replayable
                        + " replayable results " + codes(results));
            }
            if (request.kind() == Kind.BURST && !"cap-per-id".equals(first.reason())) {
                admittedById.merge(request.idNumber(), 1, Integer::sum);
            }
            long made = simulator.callsForName(request.name());
            long attempts = attempts(results);
            calls += made;
            extraCalls += Math.max(0, made - attempts);
            if (made < attempts) {
                problem(problems, id + ": results count " + attempts + " attempts, the provider saw " + made);
            }
            if (simulator.billedForName(request.name()) > 1) {
                billedTwice++;
            }
        }
        admittedById.forEach((idNumber, admitted) -> {
            if (admitted != Admission.DEFAULT_PER_ID) {
                problem(problems, "a burst of " + ChaosRequests.BURST + " for one ID number had " + admitted
                        + " admitted, not " + Admission.DEFAULT_PER_ID);
            }
        });
        Set<String> strangers = new HashSet<>(out.decided());
        strangers.addAll(out.deadLettered());
        strangers.removeAll(requests.keySet());
        strangers.forEach(id -> problem(problems, id + ": a result or dead letter for a request nobody sent"));
        return new Report(sent.size(), requests.size(), copies, out.resultCount(), lost, doubled, strangers.size(),
                deadLetters, calls, extraCalls, billedTwice, List.copyOf(problems));
    }

    /** Calls beyond the attempts the results count, for the requests (not the copies) of {@code sent}. */
    static long extraCalls(List<Sent> sent, Outputs out, ProviderSimulator simulator) {
        return sent.stream().filter(s -> s.kind() != Kind.COPY).mapToLong(s -> Math.max(0,
                simulator.callsForName(s.name()) - attempts(out.resultsOf(s.requestId())))).sum();
    }

    /** Whether the result sent its request to the retryable dead letters. */
    private static boolean replayable(VerificationResult result) {
        return result.reason() != null && DeadLetters.RETRYABLE_REASONS.contains(result.reason());
    }

    private static long attempts(List<VerificationResult> results) {
        return results.stream().mapToLong(VerificationResult::attempts).sum();
    }

    private static String codes(List<VerificationResult> results) {
        return results.stream().map(r -> r.error() + (r.reason() == null ? "" : " " + r.reason())).toList().toString();
    }

    private static void problem(List<String> problems, String problem) {
        if (problems.size() < SHOWN) {
            problems.add(problem);
        } else if (problems.size() == SHOWN) {
            problems.add("…");
        }
    }
}
