"""The subject access PDF for the demo young person (Riley), timed, on a fresh data dir.

    .venv/bin/python -m bench.subject_access [--audit-entries 3000] [--repeat 3] [--profile]

Loads the demo, adds audit entries about Riley as a morning of use would (each a read of the
record by the coordinator: the tester's run held a few thousand), then times the export (the
service's document) and the PDF (web/pdf.py) separately, as the job runs them. `--profile`
prints cProfile's top 25 functions by cumulative time for one PDF. See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time

import pypdfium2


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--audit-entries", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--out", help="write the last PDF and its audit CSV here (a prefix)")
    args = parser.parse_args(argv)

    os.environ.setdefault("NETMAP_ADMIN_TWO_FACTOR", "0")
    from graph import open_store
    from netmap.services import audit, data_rights, demo, users
    from web import create_app

    with tempfile.TemporaryDirectory(prefix="netmap-bench-sar-") as data_dir:
        store = open_store("embedded", data_dir)
        store.ensure_schema()
        made = demo.seed_demo(store)
        coordinator = users.actor_for(made["users"]["coordinator"] | {"young_person_id": None})
        riley = made["young_people"].get("riley") or next(iter(made["young_people"].values()))
        riley_id = riley["id"] if isinstance(riley, dict) else riley
        left = args.audit_entries
        while left > 0:
            with store.unit_of_work() as uow:
                for _ in range(min(left, 500)):
                    audit.record(uow, coordinator, "young_person.read", riley_id)
            left -= 500
        app = create_app({"NETMAP_STORE": store, "NETMAP_DATA_DIR": data_dir,
                          "TESTING": True})
        from web.api.data_rights import subject_access_pdf

        export_ms, pdf_ms, pages, size = [], [], 0, 0
        with app.test_request_context():
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                document = data_rights.subject_access(store, coordinator, riley_id, fmt="pdf")
                t1 = time.perf_counter()
                pdf = subject_access_pdf(document)
                t2 = time.perf_counter()
                export_ms.append((t1 - t0) * 1000)
                pdf_ms.append((t2 - t1) * 1000)
                size = len(pdf)
                pages = len(pypdfium2.PdfDocument(pdf))
            if args.out:
                from web.subject_access import audit_csv

                with open(args.out + ".pdf", "wb") as f:
                    f.write(pdf)
                with open(args.out + ".csv", "w") as f:
                    f.write(audit_csv(document))
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                subject_access_pdf(data_rights.subject_access(store, coordinator, riley_id,
                                                              fmt="pdf"))
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
                print(out.getvalue())
        store.close() if hasattr(store, "close") else None
    total = [a + b for a, b in zip(export_ms, pdf_ms)]
    print(f"audit entries added: {args.audit_entries}")
    print(f"export_ms median {statistics.median(export_ms):.0f}  "
          f"pdf_ms median {statistics.median(pdf_ms):.0f}  "
          f"total_ms median {statistics.median(total):.0f} max {max(total):.0f}")
    print(f"pages {pages}  bytes {size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
