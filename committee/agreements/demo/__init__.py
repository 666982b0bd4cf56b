"""The demo data that `python manage.py load_demo` loads.

data.py holds the records, loader.py puts them in the database part by part, credentials.py
looks after the demo logins' password and the secretariat's second factor, and rows.py finds
or creates one row at a time, so that loading again writes nothing.
"""
