"""Fetch the login page, sign in, and open the admin index over real HTTP.

Usage: smoke.py BASE_URL USERNAME PASSWORD. Exits non-zero unless each answers 200.
"""

import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def main(base: str, username: str, password: str) -> int:
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
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
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
    admin = opener.open(request, timeout=30)
    body = admin.read().decode()
    print(f"POST /accounts/login/ then {urllib.parse.urlparse(admin.url).path} -> {admin.status}")
    if admin.status != 200 or urllib.parse.urlparse(admin.url).path != "/admin/":
        return 1
    if "Pledges" not in body:
        print("the admin index does not list pledges", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
