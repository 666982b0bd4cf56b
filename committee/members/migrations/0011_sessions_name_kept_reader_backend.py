"""Sessions signed in before the kept reader named Django's ModelBackend, which is no longer
in AUTHENTICATION_BACKENDS: they name its subclass now, so that nobody is signed out by the
upgrade (committee/members/backends.py)."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations
from django.utils import timezone

BEFORE = "django.contrib.auth.backends.ModelBackend"
NOW = "committee.members.backends.KeptReaderBackend"


def name_the_kept_reader_backend(apps, schema_editor):
    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) == BEFORE:
            data[BACKEND_SESSION_KEY] = NOW
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0010_reader_changed"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(name_the_kept_reader_backend, migrations.RunPython.noop)]
