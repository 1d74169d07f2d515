from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "boundaries.security"
    label = "security"
    verbose_name = "Sign-in security"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_delete, post_save

        from boundaries.core.models import Membership, User
        from boundaries.core.navigation import register_link
        from boundaries.security import (
            breached,  # noqa: F401 - registers the breached-passwords file check
            deploy_checks,  # noqa: F401 - registers TLS checks
            sessions,
        )

        register_link(
            "People",
            "Sign-in with Microsoft or Google",
            "providers:list",
            "sign_in_provider.manage",
        )
        register_link("People", "Who is signed in", "people_sessions:list", "sessions.end")

        user_logged_in.connect(sessions.on_signed_in, dispatch_uid="security.signed_in")
        user_logged_out.connect(sessions.on_signed_out, dispatch_uid="security.signed_out")
        post_save.connect(sessions.on_user_saved, sender=User, dispatch_uid="security.user_saved")
        post_delete.connect(
            sessions.on_membership_removed, sender=Membership, dispatch_uid="security.role_removed"
        )
