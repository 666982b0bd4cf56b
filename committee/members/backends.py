"""The signed-in reader, kept between requests and never out of date.

Every page asks who is signed in and on which committees, for which delegation, in which
role: two queries and about 1.5 ms before the page's own work, most of it building the
memberships' committees and parties in five languages. KeptReaderBackend is Django's
ModelBackend, whose user, with their memberships read (rules.memberships), is kept in the
app server process's memory (the "readers" cache) under the data version
(core/freshness.py). Every table the reader is made of moves that version on at commit:
logins (every column but the time of the last sign-in: a new password, a deactivation, a
name), members, committees, parties. A request that reads a newer version reads the reader
anew, so a login changed or deactivated, or a membership ended, holds from the next request,
as without keeping.

Django still checks the session against the user as it comes from here (the password's
hash: a password changed signs out every other session, as the version moved on). Each
request gets its own copy: the cache stores the user pickled.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches

from committee.core import freshness
from committee.members import rules

READERS = "readers"


class KeptReaderBackend(ModelBackend):
    def get_user(self, user_id):
        version = freshness.data_version()
        if version is None:
            return super().get_user(user_id)
        cache = caches[READERS]
        key = f"reader:{version}:{user_id}"
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            rules.memberships(user)
            cache.set(key, user)
        return user
