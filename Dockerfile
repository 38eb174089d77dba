# Ringdesk in a small image: a static binary (pure-Go SQLite and pgx, no
# cgo) on distroless/static, which has CA certificates and nothing else,
# run as an unprivileged user. Build: docker build -t ringdesk .
# Run:   docker run -p 8080:8080 -v ringdesk-data:/data ringdesk
# The build line below is also run by CI without a container engine
# (cmd/ringdesk/packaging_test.go), so keep it on one RUN line.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=docker
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/ringdesk ./cmd/ringdesk
# The data directory, owned by the image's unprivileged user (65532).
RUN mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ringdesk /usr/local/bin/ringdesk
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV RINGDESK_ADDR=0.0.0.0:8080 \
    RINGDESK_DATA=/data \
    RINGDESK_LOG_FORMAT=json
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/ringdesk"]
CMD ["serve"]
