package com.facecheck.cli;

import com.facecheck.app.Secrets;
import com.facecheck.contract.Json;
import com.facecheck.contract.JsonLines;
import com.facecheck.contract.PersonFields;
import com.facecheck.contract.RequestParser;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.identity.ChinaCalendar;
import com.facecheck.identity.IdNumber;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.identity.PhotoCheck;
import com.facecheck.identity.PhotoVerdict;
import com.facecheck.identity.RequestValidation;
import com.facecheck.provider.Credentials;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Checks request payloads the way the worker does before paying for a call, without Kafka or a provider:
 * for upstream teams testing what they are about to send.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check requests (JSON lines) the way the worker does before calling the provider, and print one"
                + " JSON verdict per line. Needs no Kafka and no provider.",
                "Exits 0 whatever the verdicts; 2 only when the input cannot be read or an option is wrong."})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private FacecheckCli cli;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "JSON lines to check; '-' or nothing reads stdin")
    private String input;

    @Option(names = "--person-fields", paramLabel = "FIELDS",
            description = "which of the person's fields to print besides personId, as a result would show them:"
                    + " comma-separated from masked-name, masked-id-number, birthday, sex, region (default: what"
                    + " results show by default, masked-name)")
    private String personFields;

    @Option(names = "--require-consent", arity = "1", paramLabel = "true|false", defaultValue = "true",
            description = "whether a request without a consentId is rejected (missing-consent), as the worker's key"
                    + " requests.require-consent decides (default: ${DEFAULT-VALUE}, as the worker's)")
    private boolean requireConsent;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PersonFields fields = fields();
        KeyedHasher keys = hasher();
        RequestParser parser = new RequestParser(keys);
        RequestValidation validation = new RequestValidation(new PhotoCheck(), ChinaCalendar.clock(), requireConsent);
        int ok = 0;
        int rejected = 0;
        int notRequests = 0;
        for (JsonLines.Line line : JsonLinesInput.read(input)) {
            ObjectNode verdict = Json.MAPPER.createObjectNode().put("line", line.number());
            try {
                VerificationRequest request = parser.parse(line.bytes());
                RequestValidation.Verdict result = validation.validate(request);
                describe(verdict, request, result, fields, keys);
                if (result instanceof RequestValidation.Accepted) {
                    ok++;
                } else {
                    rejected++;
                }
            } catch (RequestParser.NotARequestException e) {
                verdict.put("ok", false).put("reason", "not-a-request").put("detail", e.getMessage());
                notRequests++;
            } catch (RuntimeException e) {
                // The worker sends such a request to the poison dead letters; here too it costs its line only.
                verdict.put("ok", false).put("reason", "check-failed").put("detail", "checking this request failed ("
                        + e.getClass().getSimpleName() + "); the worker would dead-letter it. Please report it");
                notRequests++;
            }
            out.println(Json.MAPPER.writeValueAsString(verdict));
        }
        spec.commandLine().getErr().printf("validated %d requests: %d ok, %d rejected, %d not requests%n",
                ok + rejected + notRequests, ok, rejected, notRequests);
        return 0;
    }

    private PersonFields fields() {
        try {
            return personFields == null ? PersonFields.DEFAULT : PersonFields.parse(personFields);
        } catch (IllegalArgumentException e) {
            throw new CliError("--person-fields: " + e.getMessage());
        }
    }

    /** The person as a result would show them under the same fields; the photo as it would be sent. */
    private static void describe(ObjectNode verdict, VerificationRequest request, RequestValidation.Verdict result,
                                 PersonFields fields, KeyedHasher keys) {
        verdict.put("requestId", request.requestId());
        IdNumber id;
        String name;
        if (result instanceof RequestValidation.Accepted accepted) {
            verdict.put("ok", true);
            id = accepted.idNumber();
            name = accepted.request().name();
        } else {
            RequestValidation.Rejected rejection = (RequestValidation.Rejected) result;
            verdict.put("ok", false).put("reason", rejection.reason()).put("message", rejection.message())
                    .put("detail", rejection.detail());
            id = rejection.idNumber();
            name = request.name();
        }
        putIfPresent(verdict, "personId", id == null ? null : PersonFields.personId(keys, id.normalized()));
        putIfPresent(verdict, "name", fields.name(name));
        putIfPresent(verdict, "idNumber", fields.idNumber(id != null ? id.normalized() : request.idNumber()));
        if (id != null) {
            putIfPresent(verdict, "birthday", fields.birthday(id.birthday().toString()));
            putIfPresent(verdict, "sex", fields.sex(id.sex().chinese()));
            putIfPresent(verdict, "region", fields.region(id.region().orElse(null)));
            verdict.put("idConvertedFrom15", id.convertedFrom15());
        }
        if (result instanceof RequestValidation.Accepted accepted) {
            putPhoto(verdict, accepted.photo());
        }
    }

    private static void putIfPresent(ObjectNode verdict, String field, String value) {
        if (value != null) {
            verdict.put(field, value);
        }
    }

    private static void putPhoto(ObjectNode verdict, PhotoVerdict.Accepted photo) {
        ObjectNode node = verdict.putObject("photo");
        if (photo == null) {
            node.put("source", "url");
            return;
        }
        node.put("source", "base64").put("format", photo.format()).put("width", photo.width())
                .put("height", photo.height()).put("bytesBefore", photo.originalBytes())
                .put("bytesAfter", photo.sentBytes()).put("reencoded", photo.reencoded());
    }

    /**
     * Derived request ids and personIds match the worker's only under the same secret; without one, a random key
     * gives ids that are stable within this run only.
     */
    private KeyedHasher hasher() {
        String secret;
        try {
            // As the worker reads it: the variable, or the file its _FILE twin names.
            secret = Credentials.secret(cli.environment(), Secrets.HASH_SECRET_ENV).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
        if (secret != null) {
            byte[] configured = secret.getBytes(StandardCharsets.UTF_8);
            if (!KeyedHasher.isUsable(configured)) {
                // Ids under another key would not match the worker's: better no output than misleading output.
                throw new CliError("FACECHECK_HASH_SECRET is set but shorter than " + KeyedHasher.MIN_SECRET_BYTES
                        + " bytes; set it to the worker's secret, or unset it for ids stable within this run only");
            }
            return new KeyedHasher(configured);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new KeyedHasher(random);
    }
}
