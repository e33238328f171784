package com.facecheck.bench;

import com.facecheck.app.WorkerConfig;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.identity.PhotoCheck;
import com.facecheck.identity.RequestValidation;
import com.facecheck.provider.Provider;
import com.facecheck.topology.Results;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the contenders without the worker's topology do with one request: the worker's own checks, one call, the
 * worker's own result. No retries, caps, deduplication or per-person turns.
 */
final class DirectCheck {

    private final RequestValidation validation;
    private final Provider provider;
    private final Results results;
    private final Clock clock;

    DirectCheck(WorkerConfig config, Provider provider, Clock clock) {
        this.validation = new RequestValidation(new PhotoCheck(), clock, config.requests().requireConsent());
        this.provider = provider;
        this.results = new Results(config.results().personFields(), config.secrets().hasher());
        this.clock = clock;
    }

    CompletionStage<VerificationResult> check(VerificationRequest request, Instant receivedAt) {
        RequestValidation.Verdict verdict = validation.validate(request);
        if (verdict instanceof RequestValidation.Rejected rejected) {
            return CompletableFuture.completedFuture(results.local(request, rejected, receivedAt, clock.instant()));
        }
        VerificationRequest accepted = ((RequestValidation.Accepted) verdict).request();
        return provider.verify(accepted)
                .thenApply(answer -> results.fromAnswer(accepted, answer, 1, receivedAt, clock.instant()));
    }
}
