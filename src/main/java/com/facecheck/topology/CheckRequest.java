package com.facecheck.topology;

import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.identity.RequestCheck;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers at once, with result 7 and no call, every request the provider would refuse anyway; passes the
 * rest on keyed by request id.
 */
final class CheckRequest implements Processor<byte[], VerificationRequest, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(CheckRequest.class);

    private final RequestCheck check;
    private final Clock clock;
    private ProcessorContext<String, Object> context;

    CheckRequest(RequestCheck check, Clock clock) {
        this.check = check;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], VerificationRequest> record) {
        VerificationRequest request = record.value();
        var rejection = check.check(request);
        if (rejection.isPresent()) {
            LOG.debug("request {} answered locally: {}", request.requestId(), rejection.get().reason());
            var result = Results.local(request, Outcome.INVALID_REQUEST, rejection.get().reason(),
                    rejection.get().message(), Instant.ofEpochMilli(record.timestamp()), clock.instant());
            context.forward(record.withKey(request.requestId()).withValue(result), FacecheckTopology.RESULTS);
        } else {
            context.forward(record.withKey(request.requestId()), FacecheckTopology.CALL);
        }
    }
}
