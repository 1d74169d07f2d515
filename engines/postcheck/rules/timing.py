"""4.1(i): personal use of social media in working hours, outside breaks."""

from engines.postcheck.post import Post
from engines.postcheck.verdict import Finding


def find(post: Post) -> list[Finding]:
    hours, moment = post.context.working_hours, post.local_time
    if hours is None or moment is None or moment.weekday() not in hours.weekdays:
        return []
    now = moment.time()
    if not hours.start <= now < hours.end:
        return []
    if any(start <= now < end for start, end in hours.breaks):
        return []
    return [
        Finding(
            clause="4.1(i)",
            code="timing.working_hours",
            start=0,
            end=0,
            message=(
                f"Posting at {now:%H:%M} on a {moment:%A} is inside the school's working hours "
                f"({hours.start:%H:%M}-{hours.end:%H:%M}) and outside a break."
            ),
            suggestion="Save it as a draft and post it at break, lunch or after work.",
            severity="caution",
        )
    ]
