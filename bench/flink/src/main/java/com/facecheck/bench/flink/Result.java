package com.facecheck.bench.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The result of one request: its code picks the result topic, {@code json} is the record's value. */
public class Result {
    public static final int INVALID_REQUEST = 7;
    public static final int FAILED = 9;

    private static final ObjectMapper JSON = new ObjectMapper();

    public String requestId;
    public int code;
    public String json;

    public Result() {
    }

    static Result of(Request request, int code, Boolean match, int calls) {
        ObjectNode node = JSON.createObjectNode();
        node.put("requestId", request.requestId);
        node.put("code", code);
        if (match == null) {
            node.putNull("match");
        } else {
            node.put("match", match);
        }
        node.put("calls", calls);
        node.put("receivedAt", Instant.ofEpochMilli(request.receivedAt).toString());
        node.put("decidedAt", Instant.now().toString());
        Result result = new Result();
        result.requestId = request.requestId;
        result.code = code;
        result.json = node.toString();
        return result;
    }

    @Override
    public String toString() {
        return "Result[" + requestId + ", code " + code + "]";
    }
}
