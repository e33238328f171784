package com.facecheck.topology;

import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.identity.IdNumber;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.identity.RequestValidation;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Checks each request as it arrives and sends it on to the partition of its person (keyed by a keyed hash of
 * the ID number), in the form it will be sent: normalised, photo re-encoded to fit. A request that is certainly
 * invalid travels on too, as its id and its result 7 already decided (nothing else of it), so that it takes its turn
 * behind the same person's earlier requests and its duplicates are recognised like any other's.
 */
final class CheckRequest implements Processor<byte[], VerificationRequest, String, CheckedRequest> {

    private final RequestValidation validation;
    private final KeyedHasher keys;
    private final Results results;
    private final Clock clock;
    private ProcessorContext<String, CheckedRequest> context;

    CheckRequest(RequestValidation validation, KeyedHasher keys, Results results, Clock clock) {
        this.validation = validation;
        this.keys = keys;
        this.results = results;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, CheckedRequest> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], VerificationRequest> record) {
        VerificationRequest request = record.value();
        RequestValidation.Verdict verdict = validation.validate(request);
        CheckedRequest checked;
        if (verdict instanceof RequestValidation.Accepted accepted) {
            VerificationRequest sent = accepted.request();
            checked = checked(personKey(sent.idNumber()), keys.hex("name", sent.name()), sent, null, record);
        } else {
            var rejected = (RequestValidation.Rejected) verdict;
            var result = results.local(request, rejected, Instant.ofEpochMilli(record.timestamp()), clock.instant());
            IdNumber id = rejected.idNumber();
            String personKey = id != null ? personKey(id.normalized())
                    : "request:" + keys.hex("request-id", request.requestId());
            checked = checked(personKey, null, request.idOnly(), result, record);
        }
        context.forward(record.withKey(checked.personKey()).withValue(checked));
    }

    private String personKey(String normalizedIdNumber) {
        return "id:" + keys.hex("id-number", normalizedIdNumber);
    }

    private CheckedRequest checked(String personKey, String nameKey, VerificationRequest request,
                                   VerificationResult rejection,
                                   Record<byte[], VerificationRequest> record) {
        var source = context.recordMetadata();
        return new CheckedRequest(personKey, nameKey, request, rejection, source.map(m -> m.topic()).orElse(null),
                source.map(m -> m.partition()).orElse(-1), source.map(m -> m.offset()).orElse(-1L),
                DeadLetters.replayCount(record.headers()), record.timestamp());
    }
}
