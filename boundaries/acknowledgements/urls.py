from django.urls import URLPattern, URLResolver

app_name = "acknowledgements"

urlpatterns: list[URLPattern | URLResolver] = []
