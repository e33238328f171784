# syntax=docker/dockerfile:1
# The worker's image: built with the Maven wrapper, run on a JRE, as a non-root user, on a read-only root file
# system (the state directory and /tmp are volumes). docs/kubernetes.md and docs/quickstart-compose.md use it.
#
# Two images. The default (last) stage, the production one, holds facecheck-streams-worker.jar: the worker's commands
# without the embedded broker, the simulator and the demo. `--target simulator` builds the same image with the full
# jar instead, whose `simulate` docker-compose.yml's simulator service runs; nothing in production needs it.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# The wrapper and the POM first: their layer, and the dependencies fetched with them, survive a change of the sources.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q -Dmaven.test.skip=true package

FROM eclipse-temurin:17-jre AS base
# A fixed uid/gid, so that Kubernetes' runAsUser/fsGroup and the volumes' owners can name it.
RUN groupadd --system --gid 10001 facecheck \
    && useradd --system --uid 10001 --gid facecheck --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin facecheck \
    && mkdir -p /var/lib/facecheck/state /var/lib/facecheck/secrets \
    && chown -R facecheck:facecheck /var/lib/facecheck
# /var/lib/facecheck/secrets exists owned by the user because a named volume mounted there takes the owner of the
# image's folder: docker-compose.yml's one-shot service writes the local stack's secrets into it.
USER 10001:10001
WORKDIR /var/lib/facecheck
ENV FACECHECK_STREAMS_STATE_DIR=/var/lib/facecheck/state
VOLUME ["/var/lib/facecheck/state", "/tmp"]
EXPOSE 8081
# Health on the worker's http.port; bash's /dev/tcp needs no curl in the image. Only `run` listens there: a
# container running another command (simulate, topics create) sets its own healthcheck or none.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${FACECHECK_HTTP_PORT:-8081} && printf 'GET /health/live HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# The heap is a share of the container's memory limit, not of the host's: RocksDB (the state stores), the Kafka
# clients' buffers and the thread stacks live outside the heap and need the rest. Kafka Streams and Vert.x unpack
# native libraries and caches into java.io.tmpdir, which must be writable: /tmp is a volume. JAVA_TOOL_OPTIONS adds
# or overrides flags without rebuilding.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", \
            "-jar", "/opt/facecheck/facecheck-streams.jar"]
CMD ["run"]

# The local stack's image: every command, the simulator's among them. The jar keeps the production image's path, so
# that the entrypoint and compose's commands are the same for both.
FROM base AS simulator
COPY --from=build /src/target/facecheck-streams.jar /opt/facecheck/facecheck-streams.jar

# The production image, the default target: the worker's jar only.
FROM base AS worker
COPY --from=build /src/target/facecheck-streams-worker.jar /opt/facecheck/facecheck-streams.jar
