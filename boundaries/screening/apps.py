from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "boundaries.screening"
    label = "screening"
    verbose_name = "Can I post this?"

    def ready(self) -> None:
        from boundaries.core.navigation import register_link
        from boundaries.screening import status  # noqa: F401 - registers control statuses
        from boundaries.screening.schoolcontext import connect_signals

        connect_signals()

        register_link(
            "Your conduct online",
            "Can I post this?",
            "screening:check",
            "screening.use",
            kinds={"school", "central_service"},
        )
        register_link(
            "Your conduct online",
            "A friend request from someone at school",
            "screening:connection",
            "screening.use",
            kinds={"school", "central_service"},
        )
