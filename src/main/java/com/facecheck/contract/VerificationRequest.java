package com.facecheck.contract;

import com.facecheck.identity.Masking;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One verification request as read from the input topic, after field aliases ({@code xm}, {@code sfz},
 * {@code img}) have been resolved. Every field but {@code requestId} may be null: missing fields are the
 * request checker's business, not the parser's.
 *
 * <p>{@link #toString()} is masked: a request may end up in an exception message or a debugger, never in
 * clear text.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerificationRequest(
        String requestId,
        String name,
        String idNumber,
        String image,
        String imageUrl,
        String consentId,
        String source,
        JsonNode metadata) {

    public VerificationRequest {
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("requestId is required");
        }
    }

    /** The same request without its photo, for places that must not hold one. */
    public VerificationRequest withoutImage() {
        return new VerificationRequest(requestId, name, idNumber, null, imageUrl, consentId, source, metadata);
    }

    /** The request reduced to its id and photo: what the pending-photos store keeps apart from the rest. */
    public VerificationRequest photoOnly() {
        return new VerificationRequest(requestId, null, null, image, null, null, null, null);
    }

    /** The request reduced to its id: for one already answered, none of its personal data needs to travel on. */
    public VerificationRequest idOnly() {
        return new VerificationRequest(requestId, null, null, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "VerificationRequest[requestId=" + requestId
                + ", name=" + Masking.name(name)
                + ", idNumber=" + Masking.idNumber(idNumber)
                + ", image=" + (image == null ? "absent" : image.length() + " chars")
                + ", imageUrl=" + (imageUrl == null ? "absent" : "present")
                + ", source=" + source + "]";
    }
}
