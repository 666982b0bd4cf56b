"""The agreements app's work on the worker (committee/core/renderings.py).

The task path, `committee.agreements.tasks.render_implementation_report`, is stored with each
queued task: it stays where it is.
"""

from django.tasks import task

from committee.core import renderings


@task
def render_implementation_report(rendering_id: str) -> str:
    """A PDF of the implementation matrix, as asked for on the report's page."""
    # Imported here: the report's views queue this task.
    from committee.agreements.reports import make_report

    return renderings.perform(rendering_id, make_report)
