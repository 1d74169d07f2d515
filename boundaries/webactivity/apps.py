from django.apps import AppConfig


class WebactivityConfig(AppConfig):
    name = "boundaries.webactivity"
    label = "webactivity"
    verbose_name = "Web use in working hours"

    def ready(self) -> None:
        from boundaries.core.navigation import register_link
        from boundaries.webactivity import status  # noqa: F401 - registers the control status

        school = {"school", "central_service"}
        register_link(
            "Web use in working hours",
            "Social media use in working hours",
            "webactivity:report",
            "webactivity.report",
            kinds=school,
        )
        register_link(
            "Web use in working hours",
            "Your web use figures",
            "webactivity:mine",
            "webactivity.own",
            kinds=school,
        )
        register_link(
            "Web use in working hours",
            "Analyse a web-filter log",
            "webactivity:upload",
            "webactivity.manage",
            kinds=school,
        )
