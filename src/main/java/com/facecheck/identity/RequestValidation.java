package com.facecheck.identity;

import com.facecheck.contract.VerificationRequest;
import java.time.Clock;

/**
 * Everything decided about a request before money is spent. A request that is certainly invalid is
 * rejected with the provider's own wording (so downstream sees the same text either way) and a
 * machine-readable reason; a valid one is never rejected, and leaves here in the form that is sent:
 * normalised name and ID number, photo re-encoded to fit the provider's limits. Unless told otherwise, a request
 * that does not reference the person's consent is rejected before anything else of it is judged.
 */
public final class RequestValidation {

    /** The provider refuses an {@code img} longer than this, URLs included. */
    public static final int MAX_IMAGE_CHARS = 100 * 1024;
    /** The reason of a request that references no consent, while consent is required. */
    public static final String MISSING_CONSENT = "missing-consent";

    /** What was decided. */
    public sealed interface Verdict {
    }

    /**
     * @param request the request as it will be sent: normalised fields, the photo ready for the provider
     * @param photo   what was done to the photo; null when the request names a photo URL instead
     */
    public record Accepted(VerificationRequest request, IdNumber idNumber, PhotoVerdict.Accepted photo)
            implements Verdict {
    }

    /**
     * @param idNumber the parsed ID number when it was valid, whatever else was wrong (to report birthday, sex and
     *                 region, and to serve the request in its person's turn); else null
     */
    public record Rejected(String reason, String message, String detail, IdNumber idNumber) implements Verdict {
    }

    private final PhotoCheck photos;
    private final Clock clock;
    private final boolean requireConsent;

    /**
     * @param requireConsent whether a request without a {@code consentId} is rejected: the configuration's
     *                       {@code requests.require-consent}
     */
    public RequestValidation(PhotoCheck photos, Clock clock, boolean requireConsent) {
        this.photos = photos;
        this.clock = clock;
        this.requireConsent = requireConsent;
    }

    public Verdict validate(VerificationRequest request) {
        IdCheck id = CodePoints.isBlank(request.idNumber()) ? null
                : IdNumbers.check(request.idNumber(), ChinaCalendar.today(clock));
        IdNumber idNumber = id instanceof IdCheck.Valid valid ? valid.id() : null;
        // A face photo is sensitive personal information: checking it takes the person's separate consent (PIPL
        // Art. 29), so without a reference to one nothing else of the request is judged. The ID number is kept as
        // for any rejection: the request takes its person's turn, and the audit trail names the person by personId.
        if (requireConsent && CodePoints.isBlank(request.consentId())) {
            return new Rejected(MISSING_CONSENT, "未传入个人信息处理同意编号consentId", "the request has no consentId:"
                    + " give the reference to the person's consent to this check (PIPL Arts. 29-30); a worker set"
                    + " with requests.require-consent: false checks requests without one", idNumber);
        }
        // Missing fields first, in the provider's order, so the wording matches what it would have said.
        if (CodePoints.isBlank(request.name())) {
            return new Rejected("missing-name", "未传入真实姓名xm", "the request has no name", idNumber);
        }
        if (id == null) {
            return new Rejected("missing-id-number", "未传入身份证号码sfz", "the request has no ID number", null);
        }
        if (CodePoints.isBlank(request.image()) && CodePoints.isBlank(request.imageUrl())) {
            return new Rejected("missing-image", "未传入人像图片img", "the request has neither image nor imageUrl",
                    idNumber);
        }
        Names.NameCheck name = Names.check(request.name());
        if (name instanceof Names.NameCheck.Invalid invalid) {
            return new Rejected(invalid.reason(), invalid.message(), invalid.detail(), idNumber);
        }
        if (id instanceof IdCheck.Invalid invalid) {
            return new Rejected(invalid.reason(), "错误的身份证号码", invalid.detail(), null);
        }
        String sentName = ((Names.NameCheck.Valid) name).name();
        if (!CodePoints.isBlank(request.image())) {
            PhotoVerdict photo = photos.check(request.image());
            if (photo instanceof PhotoVerdict.Rejected rejected) {
                return new Rejected(rejected.reason(), rejected.message(), rejected.detail(), idNumber);
            }
            PhotoVerdict.Accepted accepted = (PhotoVerdict.Accepted) photo;
            return new Accepted(sent(request, sentName, idNumber, accepted.base64(), null), idNumber, accepted);
        }
        PhotoUrls.Check url = PhotoUrls.check(request.imageUrl());
        if (url instanceof PhotoUrls.Invalid invalid) {
            return new Rejected("image-url-invalid", "HTTP人像图片错误：下载失败", invalid.detail(), idNumber);
        }
        return new Accepted(sent(request, sentName, idNumber, null, ((PhotoUrls.Valid) url).url()), idNumber,
                null);
    }

    private static VerificationRequest sent(VerificationRequest request, String name, IdNumber id, String image,
                                            String imageUrl) {
        return new VerificationRequest(request.requestId(), name, id.normalized(), image, imageUrl,
                request.consentId(), request.source(), request.metadata());
    }
}
