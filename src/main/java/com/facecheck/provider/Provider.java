package com.facecheck.provider;

import com.facecheck.contract.VerificationRequest;
import java.util.concurrent.CompletionStage;

/**
 * The paid verification service as the topology sees it. Implementations never complete exceptionally:
 * every failure is one of the {@link ProviderAnswer} kinds.
 */
@FunctionalInterface
public interface Provider {

    CompletionStage<ProviderAnswer> verify(VerificationRequest request);
}
