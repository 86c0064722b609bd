# jcm-dash in a container: what `make run` installs and starts, as one dashboard process.
# Not built in this repository's sandbox or CI: they have a Docker client but no Docker engine.
#
#   docker build -t jcm-dash .
#   docker run -p 8501:8501 jcm-dash                       # serves the store built from data/ below
#   docker run -p 8501:8501 -e JCM_DB=/store/jcm.duckdb -v /srv/jcm-dash:/store:ro jcm-dash
#                                                          # serves a published store, read-only
#
# Many users: one container per core on each host, behind a balancer configured as in
# deploy/haproxy-hosts.cfg (sticky by cookie, health-checked on /_stcore/health); README,
# "Serving many users". The briefing pack needs Chromium and a Japanese font, which `make run`
# does not install either: add `apt-get install -y chromium fonts-noto-cjk` to have it here.

# Debian 12 with Python 3.11, as the machines `make run` is written for.
FROM python:3.11-slim-bookworm

WORKDIR /app

# make run, step 1 ($(VENV)/.runtime): a virtual environment with requirements.txt, every version pinned.
COPY requirements.txt ./
RUN python -m venv .venv \
    && .venv/bin/python -m pip install --quiet --upgrade pip \
    && .venv/bin/python -m pip install --quiet --no-cache-dir -r requirements.txt

# make run, step 2 (make store): the store, built from data/*.csv.
COPY . .
RUN .venv/bin/python -m jcm_dash build --if-needed

# make run, step 3: Streamlit on port 8501, on every interface of the container, no file watcher
# (as make serve's workers: the code does not change under a running container).
EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=5s \
    CMD [".venv/bin/python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]
CMD [".venv/bin/python", "-m", "streamlit", "run", "app.py", "--server.port", "8501", "--server.address", "0.0.0.0", \
     "--server.headless", "true", "--server.fileWatcherType", "none"]
