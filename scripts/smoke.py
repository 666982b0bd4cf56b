"""Fetch the login page, sign in with the password and the second factor, and open the admin
index over real HTTP.

Usage: smoke.py BASE_URL USERNAME PASSWORD [TOTP_KEY]. The TOTP key (base32, as given to an
authenticator app) defaults to $DEMO_TOTP_KEY. Exits non-zero unless each step answers 200.
"""

import http.cookiejar
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# The project root, for the TOTP helper (it needs neither settings nor a database).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from committee.accounts.totp import current_code, hex_from_base32

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def main(base: str, username: str, password: str, totp_key: str = "") -> int:
    totp_key = totp_key or os.environ.get("DEMO_TOTP_KEY", "")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    deadline = time.monotonic() + 60
    while True:
        try:
            page = opener.open(f"{base}/accounts/login/", timeout=10)
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                print("the server did not answer within 60 s", file=sys.stderr)
                return 1
            time.sleep(0.5)
    html = page.read().decode()
    print(f"GET /accounts/login/ -> {page.status}")
    token = TOKEN.search(html)
    if page.status != 200 or not token:
        return 1

    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": username,
            "password": password,
            "next": "/admin/",
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    verify = opener.open(request, timeout=30)
    html = verify.read().decode()
    path = urllib.parse.urlparse(verify.url).path
    print(f"POST /accounts/login/ then {path} -> {verify.status}")
    token = TOKEN.search(html)
    if verify.status != 200 or path != "/accounts/verify/" or not token:
        return 1
    if not totp_key:
        print("no TOTP key: pass it or set DEMO_TOTP_KEY", file=sys.stderr)
        return 1

    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "code": current_code(hex_from_base32(totp_key)),
            "next": "/admin/",
        }
    ).encode()
    request = urllib.request.Request(verify.url, data=form, headers={"Referer": verify.url})
    admin = opener.open(request, timeout=30)
    body = admin.read().decode()
    print(f"POST /accounts/verify/ then {urllib.parse.urlparse(admin.url).path} -> {admin.status}")
    if admin.status != 200 or urllib.parse.urlparse(admin.url).path != "/admin/":
        return 1
    if "Pledges" not in body:
        print("the admin index does not list pledges", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
