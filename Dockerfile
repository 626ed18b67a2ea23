# mentorbot: one image for every serving process (`mentorbot run` by default).
# Build: docker build -t mentorbot .   Run: see compose.yaml and docs/deploy.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage
RUN pip install . && useradd --create-home --uid 10001 mentorbot

USER mentorbot
WORKDIR /home/mentorbot
# matplotlib's font list, built here once, in a directory the process can write: without it
# each new container scanned the fonts before its first chart, and a directory it cannot
# write makes matplotlib scan them again in every process (docs/deploy.md).
ENV MPLCONFIGDIR=/home/mentorbot/.matplotlib
RUN python -c "import matplotlib.font_manager"
# Health, readiness and metrics (MENTORBOT_HEALTH_PORT); Slack over HTTP listens on 3000.
ENV MENTORBOT_HEALTH_PORT=8080 \
    MENTORBOT_LOG_FORMAT=json
EXPOSE 8080 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2).status != 200)"]
# SIGTERM stops it cleanly within 10 s (Docker's default grace period).
STOPSIGNAL SIGTERM
ENTRYPOINT ["mentorbot"]
CMD ["run"]
