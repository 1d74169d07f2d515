from django.urls import URLPattern, URLResolver

app_name = "webactivity"

urlpatterns: list[URLPattern | URLResolver] = []
