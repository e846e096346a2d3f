# syntax=docker/dockerfile:1
#
# webex-emulator, the local Webex cloud, as a container for teams that run it as a CI service
# (docs/emulator.md, "Docker"):
#
#   docker build -t webex-emulator .
#   docker run --rm -p 8642:8642 webex-emulator
#
# Configured by the emulator's environment variables: WEBEX_EMULATOR_LISTEN (set below),
# WEBEX_EMULATOR_PUBLIC_URL, WEBEX_EMULATOR_TLS, WEBEX_EMULATOR_TLS_DIR, WEBEX_EMULATOR_FIXTURES,
# WEBEX_EMULATOR_LOG. Other containers reach it by its service name once that is its public URL:
#
#   docker run --rm --network ci --name emulator \
#     -e WEBEX_EMULATOR_PUBLIC_URL=http://emulator:8642 webex-emulator

# rust-toolchain.toml names the channel `stable`; this is the stable release the workspace is
# built and tested with, pinned so that an image build is repeatable. RUSTUP_TOOLCHAIN makes
# rustup use the image's toolchain instead of fetching the channel rust-toolchain.toml names.
ARG RUST_VERSION=1.95.0
ARG DEBIAN_RELEASE=bookworm

FROM rust:${RUST_VERSION}-slim-${DEBIAN_RELEASE} AS build
ARG RUST_VERSION
ENV RUSTUP_TOOLCHAIN=${RUST_VERSION}
# aws-lc-sys (TLS and the media server's DTLS) falls back to CMake where its C build needs it.
# Not pinned to a Debian version: the release's security updates replace old versions.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends cmake \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The emulator alone, from the workspace's lock file; the binary is copied out of the cached
# target directory so that the cache stays a cache.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p webex-emulator \
    && install -m 0755 target/release/webex-emulator /usr/local/bin/webex-emulator

FROM debian:${DEBIAN_RELEASE}-slim
# curl for the health check (it speaks https too, for WEBEX_EMULATOR_TLS=1); unpinned as above.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /home/emulator emulator
COPY --from=build /usr/local/bin/webex-emulator /usr/local/bin/webex-emulator
USER 10001:10001
WORKDIR /home/emulator
# Every interface of the container. Without WEBEX_EMULATOR_PUBLIC_URL the emulator hands out
# http://127.0.0.1:8642 URLs, for clients on the host: publish the port as the same host port
# (-p 8642:8642). For clients in other containers, set WEBEX_EMULATOR_PUBLIC_URL to the name they
# use (http://emulator:8642; https:// with TLS).
ENV WEBEX_EMULATOR_LISTEN=0.0.0.0:8642
EXPOSE 8642
# The port of WEBEX_EMULATOR_LISTEN, over http, else over https (WEBEX_EMULATOR_TLS or
# WEBEX_EMULATOR_TLS_DIR turn TLS on; the certificate is the emulator's own, so not verified here).
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 CMD ["sh", "-c", \
    "url=127.0.0.1:${WEBEX_EMULATOR_LISTEN##*:}/_emulator/health; curl -fsS --max-time 2 -o /dev/null http://$url || curl -fsS --insecure --max-time 2 -o /dev/null https://$url"]
LABEL org.opencontainers.image.title="webex-emulator" \
      org.opencontainers.image.description="A local Webex cloud for tests, examples and offline development" \
      org.opencontainers.image.source="https://github.com/webex-rs/webex-rs" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0"
ENTRYPOINT ["webex-emulator"]
