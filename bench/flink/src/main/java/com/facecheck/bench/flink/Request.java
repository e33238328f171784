package com.facecheck.bench.flink;

/**
 * One identity check to make, as Flink's POJO serializer carries it (public fields, no-arg constructor): it is
 * also what the async operator keeps in its checkpointed queue while the call is in flight. An invalid record
 * has {@code invalid} set and only {@code requestId}.
 */
public class Request {
    public String requestId;
    public String name;
    public String idNumber;
    public String image;
    /** The Kafka record's timestamp, epoch milliseconds. */
    public long receivedAt;
    public boolean invalid;

    public Request() {
    }

    /** Names only the request: a log line must never carry a name, an ID number or a photo. */
    @Override
    public String toString() {
        return "Request[" + requestId + (invalid ? ", invalid" : "") + "]";
    }
}
