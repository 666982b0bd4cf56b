"""`manage.py bench`: what the portal's pages cost on the bulk data set (`manage.py seed_bulk`).

- pages.py: what is measured, by name, and for whom;
- inprocess.py: query counts and server time per page through Django's test client;
- server.py: the production app server (gunicorn.conf.py, 2 workers) and its workers' memory;
- load.py: the load generator for the throughput of the app server;
- results.py: the JSON and the table.

docs/performance.md says how to run it and what it found.
"""
