package com.facecheck.topology;

import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;

/**
 * A request after its check, travelling to the partition of its person. Everything after the check happens
 * there, one request of a person at a time, so a person's results keep their input order.
 *
 * @param personKey  keyed hash of the ID number; for a request without a usable ID number, of its request id
 * @param nameKey    keyed hash of the normalised name; null for a rejected request
 * @param request    as it will be sent (normalised, photo re-encoded); of a rejected one, only its id
 * @param rejection  result 7 when the check rejected the request, else null
 * @param receivedAt the input record's timestamp (epoch ms), as the producer set it: results report it, but
 *                   nothing is decided by it (see {@link DropDuplicates})
 */
public record CheckedRequest(String personKey, String nameKey, VerificationRequest request,
                             VerificationResult rejection, String sourceTopic, int sourcePartition,
                             long sourceOffset, int replayCount, long receivedAt) implements PersonInput {

    String requestId() {
        return request.requestId();
    }

    CheckedRequest withoutImage() {
        return new CheckedRequest(personKey, nameKey, request.withoutImage(), rejection, sourceTopic, sourcePartition,
                sourceOffset, replayCount, receivedAt);
    }

    CheckedRequest withImage(String image) {
        var r = request;
        return new CheckedRequest(personKey, nameKey, new VerificationRequest(r.requestId(), r.name(), r.idNumber(),
                image, r.imageUrl(), r.consentId(), r.source(), r.metadata()), rejection, sourceTopic,
                sourcePartition, sourceOffset, replayCount, receivedAt);
    }

    @Override
    public String toString() {
        return "CheckedRequest[" + request + (rejection == null ? "" : ", rejected") + ", from " + sourceTopic + "-"
                + sourcePartition + "@" + sourceOffset + "]";
    }
}
