package com.facecheck.crypto;

import com.facecheck.contract.Json;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.identity.Masking;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A request as it rests in Kafka: in the by-person repartition topic, the pending stores and the retryable dead
 * letters. The name, ID number, photo and photo URL are sealed together in one envelope under the keyset's primary
 * key, with the request id as associated data; everything else stays readable, and so does a masked view of the
 * sealed fields, for readers without the keyset.
 *
 * @param masked what a reader without the keyset may see of the sealed fields; null when nothing is sealed
 * @param sealed the envelope; null when the request carries none of the sealed fields (e.g. one reduced to its id)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SealedRequest(String requestId, String consentId, String source, JsonNode metadata, Masked masked,
                            Sealed sealed) {

    /** The sealed fields masked as logs show them; the photo only by its length, its URL only by its presence. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Masked(String name, String idNumber, Integer imageChars, String imageUrl) {
    }

    /**
     * @param keyId    the id of the key that sealed the envelope (unsigned), as {@code keys list} shows it: the key
     *                 a reader needs. Tink also writes it in front of the ciphertext, which is what decides.
     * @param fields   Tink's ciphertext, in JSON unpadded base64url, which Jackson writes from and reads into these
     *                 bytes directly: through a String, the photo's 50,000 characters cost a third of the stream
     *                 thread's time in sealing and opening (JFR, facecheck bench)
     */
    public record Sealed(long keyId,
                         @JsonSerialize(using = EnvelopeWriter.class) @JsonDeserialize(using = EnvelopeReader.class)
                         byte[] fields) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Sealed that && keyId == that.keyId && Arrays.equals(fields, that.fields);
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(keyId) + Arrays.hashCode(fields);
        }

        @Override
        public String toString() {
            return "Sealed[keyId=" + keyId + ", " + fields.length + " bytes]";
        }
    }

    static final class EnvelopeWriter extends JsonSerializer<byte[]> {
        @Override
        public void serialize(byte[] envelope, JsonGenerator out, SerializerProvider serializers) throws IOException {
            if (out.canWriteBinaryNatively()) {
                // A token buffer (valueToTree, convertValue) would keep the bytes, and a tree shows bytes as padded
                // standard base64: the text itself keeps the record's form there.
                out.writeString(Base64Variants.MODIFIED_FOR_URL.encode(envelope));
            } else {
                out.writeBinary(Base64Variants.MODIFIED_FOR_URL, envelope, 0, envelope.length);
            }
        }
    }

    static final class EnvelopeReader extends JsonDeserializer<byte[]> {
        @Override
        public byte[] deserialize(JsonParser in, DeserializationContext context) throws IOException {
            try {
                return in.getBinaryValue(Base64Variants.MODIFIED_FOR_URL);
            } catch (IOException | IllegalArgumentException e) {
                throw new FieldCipher.UnopenedEnvelope("not a sealed field: the envelope is not base64url text");
            }
        }
    }

    /** The wire form of {@code request}: its personal fields sealed, bound to its request id. */
    public static SealedRequest seal(VerificationRequest request, FieldCipher cipher) {
        SealedRequest clear = new SealedRequest(request.requestId(), request.consentId(), request.source(),
                request.metadata(), null, null);
        if (request.name() == null && request.idNumber() == null && request.image() == null
                && request.imageUrl() == null) {
            return clear;
        }
        Masked masked = new Masked(request.name() == null ? null : Masking.name(request.name()),
                request.idNumber() == null ? null : Masking.idNumber(request.idNumber()),
                request.image() == null ? null : request.image().length(),
                request.imageUrl() == null ? null : "present");
        byte[] envelope = cipher.seal(Fields.encode(request), request.requestId());
        return new SealedRequest(clear.requestId, clear.consentId, clear.source, clear.metadata, masked,
                new Sealed(Integer.toUnsignedLong(FieldCipher.keyId(envelope)), envelope));
    }

    /**
     * The request with its sealed fields opened.
     *
     * @throws FieldCipher.UnopenedEnvelope when the keyset lacks the sealing key or the envelope is not this
     *                                      request's
     */
    public VerificationRequest open(FieldCipher cipher) {
        if (sealed == null) {
            return new VerificationRequest(requestId, null, null, null, null, consentId, source, metadata);
        }
        String[] fields = Fields.decode(cipher.open(sealed.fields(), requestId));
        return new VerificationRequest(requestId, fields[0], fields[1], fields[2], fields[3], consentId, source,
                metadata);
    }

    /**
     * The shared mapper, except that a {@link VerificationRequest} inside any record it writes or reads is in this
     * sealed form: the mapper for every record of the worker that rests in Kafka with a request in it.
     */
    public static ObjectMapper mapper(FieldCipher cipher) {
        SimpleModule sealing = new SimpleModule("sealed-requests");
        sealing.addSerializer(VerificationRequest.class, new JsonSerializer<>() {
            @Override
            public void serialize(VerificationRequest value, JsonGenerator out, SerializerProvider serializers)
                    throws IOException {
                serializers.defaultSerializeValue(seal(value, cipher), out);
            }
        });
        sealing.addDeserializer(VerificationRequest.class, new JsonDeserializer<>() {
            @Override
            public VerificationRequest deserialize(JsonParser in, DeserializationContext context) throws IOException {
                return context.readValue(in, SealedRequest.class).open(cipher);
            }
        });
        return Json.MAPPER.copy().registerModule(sealing);
    }

    /**
     * The plaintext inside the envelope: the four fields in a fixed order, each absent, text, or a photo's bytes.
     * A photo in canonical base64 (as the check re-encodes it) is sealed as the bytes it stands for, so that the
     * envelope's own base64 does not grow the largest field of the record by another third.
     */
    private static final class Fields {

        private static final int VERSION = 1;
        private static final int ABSENT = 0;
        private static final int TEXT = 1;
        private static final int BASE64 = 2;

        static byte[] encode(VerificationRequest request) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + length(request.image()));
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(VERSION);
                writeText(out, request.name());
                writeText(out, request.idNumber());
                writeImage(out, request.image());
                writeText(out, request.imageUrl());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        static String[] decode(byte[] bytes) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                if (in.readUnsignedByte() != VERSION) {
                    throw new IllegalArgumentException("the sealed fields are of a version this worker cannot read");
                }
                String[] fields = new String[4];
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = readField(in);
                }
                return fields;
            } catch (IOException e) {
                throw new IllegalArgumentException("the sealed fields are cut short");
            }
        }

        private static void writeText(DataOutputStream out, String text) throws IOException {
            if (text == null) {
                out.writeByte(ABSENT);
                return;
            }
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            out.writeByte(TEXT);
            out.writeInt(utf8.length);
            out.write(utf8);
        }

        private static void writeImage(DataOutputStream out, String image) throws IOException {
            byte[] decoded = canonicalBase64(image);
            if (decoded == null) {
                writeText(out, image);
                return;
            }
            out.writeByte(BASE64);
            out.writeInt(decoded.length);
            out.write(decoded);
        }

        /**
         * The bytes {@code image} encodes when encoding them again gives exactly {@code image}, else null. The basic
         * decoder already refuses every character outside the alphabet; what it lets through that a new encoding
         * would change is a short or early padding and stray bits in the last group, so only those are compared:
         * encoding the whole photo again would cost as much as sealing it.
         */
        private static byte[] canonicalBase64(String image) {
            if (image == null || image.isEmpty() || image.length() % 4 != 0) {
                return null;
            }
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(image);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int padding = image.endsWith("==") ? 2 : image.endsWith("=") ? 1 : 0;
            if (decoded.length != image.length() / 4 * 3 - padding) {
                return null;
            }
            int lastGroup = 3 - padding;
            String reencoded = Base64.getEncoder().encodeToString(
                    Arrays.copyOfRange(decoded, decoded.length - lastGroup, decoded.length));
            return image.endsWith(reencoded) ? decoded : null;
        }

        private static String readField(DataInputStream in) throws IOException {
            int kind = in.readUnsignedByte();
            if (kind == ABSENT) {
                return null;
            }
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IOException("a field longer than what is left");
            }
            byte[] bytes = in.readNBytes(length);
            return switch (kind) {
                case TEXT -> new String(bytes, StandardCharsets.UTF_8);
                case BASE64 -> Base64.getEncoder().encodeToString(bytes);
                default -> throw new IOException("unknown field kind " + kind);
            };
        }

        private static int length(String text) {
            return text == null ? 0 : text.length();
        }
    }

    @Override
    public String toString() {
        return "SealedRequest[requestId=" + requestId + ", masked=" + masked + ", sealed under key "
                + (sealed == null ? "none" : sealed.keyId()) + "]";
    }
}
