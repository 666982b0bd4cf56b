"""The production app server: gunicorn with the portal's settings (docs/deployment.md).

    .venv/bin/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:8000

gunicorn reads ./gunicorn.conf.py by itself when started in the project folder. Anything
here can be overridden on the command line or in GUNICORN_CMD_ARGS; `--print-config` shows
what is in force. The portal's own settings come from the environment, as for every process.
"""

import os
from urllib.parse import urlsplit, urlunsplit

from gunicorn.glogging import Logger

from portal.env import env_int

wsgi_app = "portal.wsgi:application"
proc_name = "portal"
# Loopback, for a reverse proxy on the same machine (docs/deployment.md); --bind otherwise.
bind = ["127.0.0.1:8000"]

# Sync workers, one request each: the reverse proxy buffers slow clients, and each worker
# holds one database connection (kept between requests: DATABASE_CONN_MAX_AGE). Two per
# core keep the cores busy while others wait on PostgreSQL; the cap keeps a large machine
# from opening more connections than PostgreSQL's default 100 allow to a few servers and
# their task workers.
# WEB_CONCURRENCY sets the number outright.
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = env_int("WEB_CONCURRENCY", min(2 * (_cores or 1) + 1, 16))
worker_class = "sync"

# A sync worker silent for `timeout` seconds is killed, request and all. Some PDFs are still
# made in the request (a draft of minutes, an edition asked for the first time) and may take
# PDF_RENDER_TIMEOUT seconds before the portal stops the renderer and answers 503: the
# worker must outlive that, with room for the queries around it.
timeout = env_int("PDF_RENDER_TIMEOUT", 60) + 30
# A restart (SIGHUP, a new release) or a stop (SIGTERM) lets requests in progress finish.
graceful_timeout = timeout
# Each worker is replaced after about a thousand requests, not all at once, so that memory a
# long-lived process accumulates is given back.
max_requests = 1000
max_requests_jitter = 100
# Each worker starts the portal itself (and its PDF renderer's forkserver): nothing is
# shared across a fork, and SIGHUP loads new code.
preload_app = False

# Behind a proxy: a request is HTTPS when the proxy says so in X-Forwarded-Proto, believed
# only from the addresses in FORWARDED_ALLOW_IPS (gunicorn's own variable; loopback by
# default). X-Forwarded-For is read by the portal itself (TRUSTED_PROXY_COUNT).
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# systemd (or another supervisor) manages the process: no control socket, which would also
# be one path in the home folder for every gunicorn of the user.
control_socket_disable = True

# Request size: gunicorn has no limit on bodies; the portal refuses one over its upload limit
# (committee/core/http.py), and the proxy's client_max_body_size stops larger ones first.


class AccessLog(Logger):
    """gunicorn's logger, whose access lines never hold a query string (the calendar feed's
    secret is one) nor a secret in a path (committee.core.http.path_for_log), the referrer's
    included: whatever access_log_format says, the request line, URL, query and referrer
    are cleaned first."""

    def atoms(self, resp, req, environ, request_time):
        path = _path_for_log(environ.get("PATH_INFO") or "/")
        cleaned = {**environ, "PATH_INFO": path, "RAW_URI": path, "QUERY_STRING": ""}
        if "HTTP_REFERER" in cleaned:
            cleaned["HTTP_REFERER"] = _referrer_for_log(cleaned["HTTP_REFERER"])
        headers = [
            (name, _referrer_for_log(value) if name.lower() == "referer" else value)
            for name, value in getattr(req, "headers", [])
        ]
        return super().atoms(resp, headers, cleaned, request_time)


def _path_for_log(path: str) -> str:
    try:
        from committee.core.http import path_for_log

        return path_for_log(path)
    except Exception:
        # A line without its path rather than a failed request.
        return "[path]"


def _referrer_for_log(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, _path_for_log(parts.path or "/"), "", ""))


logger_class = AccessLog
accesslog = "-"
# Who (the proxy's address, then the client's as the proxy saw it), when, what, how it went,
# how long it took in milliseconds, and the browser.
access_log_format = (
    '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
)
errorlog = "-"
