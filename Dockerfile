# Meridian in a container: `docker build -t meridian .` then
# `docker run -v /path/to/config:/etc/meridian:ro -v meridian-state:/var/lib/meridian -p 53:5353/udp -p 53:5353/tcp -p 8080:8080 meridian`.
# The configuration must listen on 0.0.0.0 (api.listen, dns.listen) and keep its state in
# /var/lib/meridian (api.state-dir); the example baked in is the demo's, on loopback.
FROM maven:3.9-eclipse-temurin-17 AS build
# gcc builds the embedded DNS server's UDP library (ops/native-udp).
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml ./
COPY ops ops
COPY src src
COPY meridian.yaml README.md ./
COPY regions regions
COPY healthchecks healthchecks
RUN mvn -B -ntp -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/meridian --shell /usr/sbin/nologin meridian \
    && install -d -o meridian -g meridian /var/lib/meridian
COPY --from=build /src/target/meridian.jar /usr/share/meridian/meridian.jar
COPY --from=build /src/target/deb/etc/meridian /etc/meridian
USER meridian
EXPOSE 5353/udp 5353/tcp 8080/tcp
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["java", "-jar", "/usr/share/meridian/meridian.jar"]
CMD ["run", "--config-dir", "/etc/meridian"]
