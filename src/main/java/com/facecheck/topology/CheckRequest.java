package com.facecheck.topology;

import com.facecheck.contract.VerificationRequest;
import com.facecheck.identity.RequestValidation;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers at once, with result 7 and no call, every request that is certainly invalid; passes the rest on,
 * keyed by request id, in the form they are sent (normalised, photo re-encoded to fit).
 */
final class CheckRequest implements Processor<byte[], VerificationRequest, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(CheckRequest.class);

    private final RequestValidation validation;
    private final Clock clock;
    private ProcessorContext<String, Object> context;

    CheckRequest(RequestValidation validation, Clock clock) {
        this.validation = validation;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], VerificationRequest> record) {
        VerificationRequest request = record.value();
        RequestValidation.Verdict verdict = validation.validate(request);
        if (verdict instanceof RequestValidation.Accepted accepted) {
            context.forward(record.withKey(request.requestId()).withValue(accepted.request()), FacecheckTopology.CALL);
        } else {
            var rejected = (RequestValidation.Rejected) verdict;
            LOG.debug("request {} answered locally: {}", request.requestId(), rejected.reason());
            var result = Results.local(request, rejected, Instant.ofEpochMilli(record.timestamp()), clock.instant());
            context.forward(record.withKey(request.requestId()).withValue(result), FacecheckTopology.RESULTS);
        }
    }
}
