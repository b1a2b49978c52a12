# syntax=docker/dockerfile:1
# Image of the outcomes service. Build from the repository root, e.g.
#   docker build -f deploy/docker/outcomes.Dockerfile -t werkstattnetz/outcomes .
# It copies shared/ and services/outcomes/ only: one image per service, shippable on its own.

ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /build
COPY shared/ shared/
COPY services/outcomes/ services/outcomes/
# Build wheels for the two local packages and every dependency first, then install from those wheels
# only, so the venv holds exactly what was resolved here (pip compiles the bytecode while installing,
# which a read-only root filesystem could not do later). pip and setuptools only build; the service
# needs neither.
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip wheel --wheel-dir /wheels ./shared ./services/outcomes \
    && /opt/venv/bin/pip install --no-index --find-links /wheels werkstattnetz-outcomes \
    && /opt/venv/bin/pip uninstall --yes setuptools pip

FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="werkstattnetz-outcomes" \
      org.opencontainers.image.description="werkstattnetz outcomes: exits and integration outcomes"
# ENVIRONMENT defaults to production so that an image started without configuration refuses the
# development JWT secret; compose sets development explicitly.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ENVIRONMENT=production \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8003
# The base image's own pip, setuptools and wheel are build tools too: not shipped.
RUN /usr/local/bin/python -m pip uninstall --yes --quiet pip setuptools wheel \
    && groupadd --system --gid 10001 werkstattnetz \
    && useradd --system --uid 10001 --gid werkstattnetz --home-dir /nonexistent --no-create-home \
       --shell /usr/sbin/nologin werkstattnetz
COPY --from=builder /opt/venv /opt/venv
# A root-owned, empty working directory: `python -m` puts it on sys.path, so it must not be writable.
WORKDIR /app
# Numeric, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
EXPOSE 8003
# slim has no curl; the interpreter is there anyway. urlopen raises (exit 1) on refusal or non-2xx.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health/live' % os.environ.get('HTTP_PORT', '8003'), timeout=3)"]
CMD ["python", "-m", "outcomes"]
