from django.urls import path

from .views import programme, returns

app_name = "audits"

# Audit programme, question bank, cases and the status flow.
programme_urls = [
    path("", programme.programme, name="programme"),
]

# Returns: My returns, the return form, autosave, submission, concerns, progress matrix.
return_urls = [
    path("my-returns/", returns.my_returns_list, name="my-returns"),
]

urlpatterns = programme_urls + return_urls
