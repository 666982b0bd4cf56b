"""`python manage.py bench --json PATH`: what the portal's pages cost on the bulk data set.

In one go, on a database filled by `manage.py seed_bulk`:

1. per page, the queries and the server time in this process (median and 95th percentile of
   repeated requests after warm-up), the minutes' PDF beside WeasyPrint alone on the same
   HTML, and the implementation report's PDF as the worker makes it;
2. the production app server (gunicorn.conf.py, 2 workers, DEBUG off): each export's peak
   memory growth in the worker that serves it, then the throughput of 16 connections for 20 s
   per page (the bare view, the lightest signed-in page, the tracker, the pledge page, the
   admin's pledge list), the pages taking turns in two rounds so that a change in the
   machine's load falls on all of them;
3. the tracker's and dashboard's time on a data set of 1,000 pledges, for how it grows.

It prints a table and writes the JSON of issue 15 (portal/bench/results.py). docs/performance.md
says how to run it and what it found.
"""

import json
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage, staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from committee.agreements.models import Pledge
from portal.bench import growth, load, results
from portal.bench.inprocess import FULL, QUICK, InProcess, PageFailed, signed_in_client
from portal.bench.pages import GROWTH, MEMORY, NAMES, OFFICIAL, STAFF, THROUGHPUT, find_subjects
from portal.bench.server import AppServer, peak_growth_mb

# The session cookie's name on the app server, which serves plain HTTP (SESSION_COOKIE_SECURE
# off: no "__Host-" prefix).
SERVER_SESSION_COOKIE = "sessionid"
# A search no pledge matches: an export of nothing.
NO_MATCH = "bench-warm-up-matches-no-pledge"


class Command(BaseCommand):
    help = (
        "Measure the portal on the data of `manage.py seed_bulk`: queries and in-process time "
        "per page, the throughput of the production app server (2 workers, 16 connections), "
        "the exports' memory, the minutes' PDF against WeasyPrint alone, and how the tracker "
        "and the dashboard grow from 1,000 pledges. Prints a table; --json writes the results. "
        "Run it with DEBUG off, as production runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", type=Path, help="Write the results to this file.")
        parser.add_argument(
            "--quick",
            action="store_true",
            help="Fewer repetitions and 2 s of load per page: for development, not for numbers.",
        )
        parser.add_argument(
            "--no-throughput", action="store_true", help="Leave out the app server part."
        )
        parser.add_argument("--no-growth", action="store_true", help="Leave out the growth part.")
        parser.add_argument(
            "--growth-from",
            type=int,
            default=1000,
            help="Pledges of the smaller data set the growth is measured from (default 1,000).",
        )
        parser.add_argument(
            "--duration",
            type=float,
            help="Seconds of load per page, over all rounds (default 20; 2 with --quick).",
        )
        parser.add_argument(
            "--rounds", type=int, help="Rounds the pages take turns in (default 2; 1 with --quick)."
        )
        parser.add_argument("--connections", type=int, default=16, help="Default 16.")
        parser.add_argument("--official", default="af-official", help="The official's login.")
        parser.add_argument("--staff", default="secretariat-1", help="The secretariat login.")
        parser.add_argument(
            "--only",
            help="Comma-separated names: measure these alone (for development).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        quick = options["quick"]
        only = set(options["only"].split(",")) if options["only"] else set(NAMES)
        unknown = only - set(NAMES)
        if unknown:
            raise CommandError(f"Unknown names: {', '.join(sorted(unknown))}.")
        duration = options["duration"] or (2.0 if quick else 20.0)
        rounds = options["rounds"] or (1 if quick else 2)
        budget = QUICK if quick else FULL
        if settings.DEBUG:
            self.stderr.write("DEBUG is on: the numbers are not production's (set DEBUG=false).")
        self._static_files()
        subjects = find_subjects(options["official"], options["staff"])
        machine = results.machine()
        machine["data"] = _data_counts()
        machine["run"] = {
            "quick": quick,
            "debug": settings.DEBUG,
            "official": subjects.official.username,
            "staff": subjects.staff.username,
            "pledge_updates": subjects.pledge.updates.count(),
            "meeting_agenda_items": subjects.meeting.agenda_items.count(),
            "app_server_workers": 2,
            "connections": options["connections"],
            "seconds_per_page": duration,
            "rounds": rounds,
            "load_generator": "python asyncio (portal/bench/load.py)",
        }
        # What went wrong: measured anyway (a PDF that took too long), or not at all (errors).
        failures: dict[str, str] = {}
        errors: list[str] = []
        pages = subjects.pages()

        # 1. In this process.
        timings = {}
        with override_settings(ROOT_URLCONF="portal.bench_urls"):
            runner = InProcess(subjects, budget)
            for name in NAMES:
                if name not in only:
                    continue
                try:
                    timings[name] = runner.measure(pages[name])
                except PageFailed as error:
                    failures[name] = str(error)
                    errors.append(str(error))
                    continue
                timing = timings[name]
                if timing.failure:
                    failures[name] = timing.failure
                self._progress(
                    f"{name}: {timing.queries} queries, median {timing.median_ms} ms "
                    f"({len(timing.samples)} runs)"
                )

        # 2. The app server.
        throughput: dict[str, load.Load] = {}
        memory: dict[str, float] = {}
        if not options["no_throughput"] and (only & {*THROUGHPUT, *MEMORY}):
            throughput, memory = self._app_server(
                subjects, pages, only, options["connections"], duration, rounds, quick
            )
            # The load generator's share of a core, at its busiest page.
            machine["run"]["load_generator_cpu_share"] = max(
                (round(r.cpu_seconds / r.seconds, 3) for r in throughput.values() if r.seconds),
                default=None,
            )
            for name, result in throughput.items():
                if result.failed:
                    message = f"{result.failed} requests failed or answered otherwise than 200"
                    failures[f"{name} (app server)"] = message
                    errors.append(f"{name} on the app server: {message}")

        # 3. Growth.
        growth_ratios, growth_details = {}, {}
        wanted = [name for name in GROWTH if name in only and name in timings]
        if not options["no_growth"] and wanted:
            growth_ratios, growth_details = self._growth(
                wanted, timings, options["growth_from"], budget, options
            )

        trivial_rps = throughput["trivial"].rps if "trivial" in throughput else None
        page_results = {}
        for name in NAMES:
            if name not in only:
                continue
            rps = throughput[name].rps if name in throughput else None
            ratio = rps / trivial_rps if rps is not None and trivial_rps else None
            page_results[name] = results.page_entry(
                timings.get(name), rps=rps, ratio=ratio, growth_mb=memory.get(name)
            )
        if failures:
            machine["failures"] = failures
        machine["load_average_after"] = results.machine()["load_average"]
        result = {"machine": machine, "pages": page_results, "growth": growth_ratios}
        if options["json"]:
            options["json"].write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(results.table(result, growth_details))
        if errors:
            raise CommandError("Some measurements failed: " + "; ".join(errors))

    # --- Parts ------------------------------------------------------------------------------

    def _progress(self, text: str) -> None:
        if self.verbosity >= 1:
            self.stderr.write(text)

    def _static_files(self) -> None:
        """Pages name their static files from the manifest when DEBUG is off: collect them
        when it is missing (as make serve does)."""
        if not isinstance(staticfiles_storage, ManifestStaticFilesStorage):
            return
        manifest = Path(settings.STATIC_ROOT) / staticfiles_storage.manifest_name
        if not manifest.exists():
            self.stderr.write("Collecting the static files (no manifest yet) …")
            call_command("collectstatic", interactive=False, verbosity=0)

    def _app_server(self, subjects, pages, only, connections, duration, rounds, quick):
        cookies = {
            OFFICIAL: [
                _cookie(signed_in_client(subjects.official, second_factor=False))
                for _ in range(connections)
            ],
            STAFF: [
                _cookie(signed_in_client(subjects.staff, second_factor=True))
                for _ in range(connections)
            ],
            None: [""],
        }
        memory, throughput = {}, {}
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "gunicorn.log"
            wanted = [name for name in MEMORY if name in only]
            if wanted:
                # One worker: the one that serves the export is the one measured.
                server = AppServer(log, workers=1)
                try:
                    for index, name in enumerate(wanted):
                        memory[name] = self._memory(
                            server,
                            pages[name],
                            pages["trivial"],
                            cookies,
                            repeats=1 if quick else 3,
                            fresh=index == 0,
                        )
                        self._progress(f"{name}: worker peak +{memory[name]} MB")
                finally:
                    server.stop()
            chosen = [name for name in THROUGHPUT if name in only]
            if chosen:
                server = AppServer(log, workers=2)
                try:
                    throughput = self._throughput(
                        server,
                        [pages[name] for name in chosen],
                        cookies,
                        connections,
                        duration,
                        rounds,
                    )
                finally:
                    server.stop()
        return throughput, memory

    @staticmethod
    def _memory(server, page, trivial, cookies, *, repeats: int, fresh: bool) -> float:
        """The largest growth of a new worker's peak memory while it serves the export, over
        `repeats` new workers (`fresh`: the server has just started one). Each has served the
        lightest page and the same export of no pledge first: what stays loaded once served
        (Django, openpyxl) is not the growth of an export of many pledges."""
        cookie = cookies[page.who][0]
        growths = []
        for repeat in range(repeats):
            if repeat or not fresh:  # a server just started has a new worker
                server.renew_workers()
            server.get(trivial.path, cookie=cookies[trivial.who][0])
            server.get(f"{page.path}?{urlencode({'q': NO_MATCH})}", cookie=cookie)
            growths.append(peak_growth_mb(server, page.path, cookie))
        return max(growths)

    def _throughput(self, server, pages, cookies, connections, duration, rounds):
        throughput = {}
        for page in pages:  # each worker warmed on every page
            for _ in range(2):
                server.get(page.path, cookie=cookies[page.who][0])
        for _round in range(rounds):
            for page in pages:
                result = load.run(
                    server.port,
                    page.path,
                    cookies[page.who],
                    connections=connections,
                    seconds=duration / rounds,
                )
                throughput.setdefault(page.name, load.Load()).add(result)
                self._progress(f"{page.name}: {result.rps:.1f} requests/s")
        return throughput

    def _growth(self, names, timings, pledges, budget, options):
        large = {
            "pledges": Pledge.objects.count(),
            **{name: timings[name] for name in names},
        }
        self._progress(f"Seeding {pledges:,} pledges for the growth …")
        with growth.smaller_data_set(pledges):
            subjects = find_subjects(options["official"], options["staff"])
            small_pages = subjects.pages()
            small = {"pledges": Pledge.objects.count()}
            with override_settings(ROOT_URLCONF="portal.bench_urls"):
                runner = InProcess(subjects, budget)
                for name in names:
                    small[name] = runner.measure(small_pages[name])
        ratios, details = {}, {}
        for name in names:
            ratios[name] = round(large[name].median_ms / small[name].median_ms, 3)
            details[name] = tuple(
                {
                    "pledges": side["pledges"],
                    "queries": side[name].queries,
                    "median_ms": side[name].median_ms,
                }
                for side in (small, large)
            )
        return ratios, details


def _cookie(client) -> str:
    return f"{SERVER_SESSION_COOKIE}={client.session.session_key}"


def _data_counts() -> dict[str, int]:
    from committee.agreements.models import Agreement, PledgeUpdate
    from committee.meetings.models import AgendaItem, Meeting
    from committee.members.models import Committee, Member

    return {
        "committees": Committee.objects.count(),
        "meetings": Meeting.objects.count(),
        "agenda_items": AgendaItem.objects.count(),
        "agreements": Agreement.objects.count(),
        "pledges": Pledge.objects.count(),
        "updates": PledgeUpdate.objects.count(),
        "members": Member.objects.count(),
    }
